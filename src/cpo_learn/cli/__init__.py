"""The command line: the click group (``main``), the console script with its ``--help`` cache (``launcher``),
shared options (``options``) and one module per command (``commands``). The only layer that imports click.
"""
