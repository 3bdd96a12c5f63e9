"""Planning: a learner's ``profile`` and recorded ``state``, the ``planner`` (a pure function) and the ``plan`` it
makes. No I/O, no clock, no click: the same inputs give the same plan.
"""
