"""The plugin host: the hook specifications (``hookspecs``), loading and calling plugins one at a time
(``plugins``, ``entrypoints``), and what the host gathers from them: output formats (``formats``) and
organisation policy applied to plans (``policy``).
"""
