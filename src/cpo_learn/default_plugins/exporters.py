"""The built-in output formats, ``md``, ``html`` and ``json``, registered like any plugin's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cpo_learn import hookimpl

if TYPE_CHECKING:
    from cpo_learn.rendering.exporters import ExporterRegistrar


@hookimpl
def cpo_learn_register_exporters(register: ExporterRegistrar) -> None:
    """Register the built-in formats: Markdown, HTML and JSON (rendered by ``rendering.curriculum``)."""
    from cpo_learn.rendering.curriculum import render_html, render_json, render_markdown

    register("md", ".md", render_markdown)
    register("html", ".html", render_html)
    register("json", ".json", render_json)
