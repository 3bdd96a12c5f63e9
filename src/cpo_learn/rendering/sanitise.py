"""Making HTML safe: whatever a content pack writes, no script can run in the page.

Everything the HTML exporter puts in ``<body>`` goes through ``sanitise_html``: an allow-list of tags and
attributes (Ammonia, through ``nh3``), ``script``/``style`` removed with their content, and links limited to
http, https and mailto. Imported lazily: nh3 is not needed for ``--help``.
"""

from __future__ import annotations

from urllib.parse import urlsplit

TAGS = {
    "a", "abbr", "article", "aside", "b", "blockquote", "br", "caption", "code", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "i", "img", "input", "kbd", "label", "li", "main", "mark", "nav",
    "ol", "p", "pre", "progress", "q", "s", "section", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "ul",
}
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "aria-label", "aria-hidden", "role"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "input": {"checked", "disabled"},
    "progress": {"value", "max"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "ol": {"start"},
}
TAG_ATTRIBUTE_VALUES = {"input": {"type": {"checkbox"}}}
URL_SCHEMES = {"http", "https", "mailto"}


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


def safe_url(url: str | None) -> str | None:
    """The URL when it is an absolute http(s) address, else None (so it is shown as text, never linked)."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()
