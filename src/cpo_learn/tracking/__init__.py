"""Tracking: the learner's event log (``events``), their file on disk (``store``, ``tracker``), and what follows
from the log: ``progress``, ``sync`` of ticked boxes, ``transfer`` (export and import) and ``xapi`` statements.
"""
