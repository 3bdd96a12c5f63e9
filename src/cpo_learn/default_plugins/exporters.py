"""The built-in output formats, ``md``, ``html``, ``json`` and ``ics``, registered like any plugin's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cpo_learn import hookimpl

if TYPE_CHECKING:
    from cpo_learn.rendering.exporters import ExporterRegistrar


@hookimpl
def cpo_learn_register_exporters(register: ExporterRegistrar) -> None:
    """Register the built-in formats: Markdown, HTML and JSON (``rendering.curriculum``) and iCalendar
    (``rendering.ics``)."""
    from cpo_learn.rendering.curriculum import render_html, render_json, render_markdown
    from cpo_learn.rendering.ics import render_ics

    register("md", ".md", render_markdown)
    register("html", ".html", render_html)
    register("json", ".json", render_json)
    register("ics", ".ics", render_ics)
