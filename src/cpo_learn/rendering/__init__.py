"""Rendering: a plan (or the catalog) as text: the exporter registry (``exporters``), the built-in formats
(``curriculum``), Jinja2 templates (``templating``, ``templates/``), HTML sanitising, JSON and plain-text views.
"""
