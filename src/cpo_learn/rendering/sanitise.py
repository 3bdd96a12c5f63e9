"""Making HTML safe: whatever a content pack writes, no script can run in the page and nothing loads.

Everything the HTML exporter puts in ``<body>`` goes through ``sanitise_html``: an allow-list of tags and
attributes (Ammonia, through ``nh3``), ``script``/``style`` removed with their content, and links limited to
http, https and mailto. A pack's Markdown body is cleaned first, more strictly, by ``sanitise_content``: what
a pack may embed is text, formatting, lists, tables, code, quotes and links (followed only when clicked).
It may not embed images or anything else the browser fetches when the page opens (an image becomes a link
to it), and it may not set ``class``, ``id`` or ``role``, which belong to the page: a pack cannot dress its
text up as a "done" badge or an anchor of the page. Imported lazily: nh3 is not needed for ``--help``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

TAGS = {
    "a", "abbr", "article", "aside", "b", "blockquote", "br", "caption", "code", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "i", "input", "kbd", "label", "li", "main", "mark", "nav",
    "ol", "p", "pre", "progress", "q", "s", "section", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "ul",
}
CHART_TAGS = {"svg", "g", "rect", "text", "title", "line"}
"""The SVG the exporter draws (``charts.py``); packs may not embed it."""
TAGS |= CHART_TAGS
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "aria-label", "aria-hidden", "role"},
    "a": {"href"},
    "input": {"checked", "disabled"},
    "progress": {"value", "max"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "ol": {"start"},
    "svg": {"viewbox", "viewBox", "width", "height"},
    "rect": {"x", "y", "width", "height", "rx", "fill"},
    "text": {"x", "y", "font-size", "fill", "text-anchor"},
    "line": {"x1", "y1", "x2", "y2", "stroke"},
}
TAG_ATTRIBUTE_VALUES = {"input": {"type": {"checkbox"}}}
URL_SCHEMES = {"http", "https", "mailto"}
CONTENT_TAGS = TAGS - CHART_TAGS - {"input", "progress", "label", "main", "nav", "header", "footer", "article",
                                    "aside"}
CONTENT_ATTRIBUTES = {
    tag: names - {"class", "id", "role"} for tag, names in ATTRIBUTES.items()
    if tag not in ("input", "progress", *CHART_TAGS)
}


def sanitise_html(fragment: str) -> str:
    """The fragment with everything that could run script removed (tags, attributes, URL schemes)."""
    import nh3

    return nh3.clean(
        fragment,
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        tag_attribute_values=TAG_ATTRIBUTE_VALUES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def sanitise_content(fragment: str) -> str:
    """A pack's HTML (its rendered Markdown body) cleaned to what a pack may embed (see the module's text)."""
    import nh3

    return nh3.clean(
        fragment,
        tags=CONTENT_TAGS,
        clean_content_tags={"script", "style"},
        attributes=CONTENT_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def safe_url(url: str | None) -> str | None:
    """The URL when it is an absolute http(s) address, else None (so it is shown as text, never linked)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()
