"""Jinja2 environments for the exporters: plugin template dirs first, then the built-ins.

A template in a ``cpo_learn_template_dirs`` directory with the name of a built-in one replaces it, and can
extend the original as ``{% extends "default:curriculum.md.j2" %}`` (datasette's pattern). Jinja2, markdown
and nh3 are imported here, lazily, never at start-up.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2
    import markdown

BUILTIN_TEMPLATES = Path(__file__).parent / "templates"
# ">" and "#" only mean something at the start of a line, and this text never starts one
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<|~])")


def md_text(value: object) -> str:
    """Text made inert in Markdown: one line, with every character Markdown gives meaning escaped."""
    text = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;"))


def md_url(url: str) -> str:
    """A URL safe inside Markdown's ``(<...>)`` link destination."""
    return url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")


def mermaid_label(value: object) -> str:
    """Text for a quoted Mermaid label: quotes and angle brackets as Mermaid entities."""
    text = " ".join(str(value).split())
    for char, entity in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, entity)
    return text


@functools.lru_cache(maxsize=1)
def _markdown_converter() -> markdown.Markdown:
    import markdown

    # Building a converter (extensions, processors) costs far more than converting one module body, so one
    # converter serves every body, reset between uses.
    return markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


def markdown_html(text: str) -> str:
    """Markdown (a module's body) as sanitised HTML."""
    from cpo_learn.rendering.sanitise import sanitise_html

    converter = _markdown_converter()
    try:
        return sanitise_html(converter.convert(text))
    finally:
        converter.reset()


def environment(template_dirs: Iterable[str], autoescape: bool) -> jinja2.Environment:
    """A Jinja2 environment over the plugins' template dirs, the built-ins and the ``default:`` prefix.

    Environments are kept per (dirs, autoescape) so templates are compiled once per process.
    """
    return _environment(tuple(str(d) for d in template_dirs), autoescape)


@functools.lru_cache(maxsize=16)
def _environment(template_dirs: tuple[str, ...], autoescape: bool) -> jinja2.Environment:
    import jinja2
    from markupsafe import Markup

    from cpo_learn.quantities import hours_text
    from cpo_learn.rendering.sanitise import safe_url

    builtin = jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES))
    loader = jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(list(template_dirs)),
        builtin,
        jinja2.PrefixLoader({"default": builtin}, delimiter=":"),
    ])
    env = jinja2.Environment(
        loader=loader, autoescape=autoescape, trim_blocks=True, lstrip_blocks=True,
        keep_trailing_newline=True, undefined=jinja2.StrictUndefined,
    )

    def markdown_filter(text: str) -> Markup:
        return Markup(markdown_html(text))

    env.filters.update(
        md=md_text, md_url=md_url, mermaid=mermaid_label, hours=hours_text, markdown=markdown_filter,
        safe_url=safe_url,
    )
    return env
