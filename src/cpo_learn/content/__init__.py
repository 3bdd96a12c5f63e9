"""Content: the records plugins add (``model``), reading packs (``packs``, ``packcache``), the ``registry``
plugins fill, checking each item's fields (``fields``) and the whole (``validate``) into the immutable ``catalog``.

The bottom layer: it imports nothing else of cpo-learn but the base modules.
"""
