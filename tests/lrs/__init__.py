"""The LRS tests: a package, so its conftest is ``lrs.conftest`` and never shadows ``tests/conftest.py``."""
