"""The use cases the commands call: one ``App`` per invocation (``context``) holding options, plugins, catalog and
store, and one module per job (``learner``, ``recording``, ``curriculum``, ``progress``, ``profiles``, ``sync``,
``transfer``, ``report``, ``validation``, ``scaffold``). Nothing here imports click.
"""
