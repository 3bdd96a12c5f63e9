"""Jinja2 environments for the exporters: plugin template dirs first, then the built-ins.

A template in a ``cpo_learn_template_dirs`` directory with the name of a built-in one replaces it, and can
extend the original as ``{% extends "default:curriculum.md.j2" %}`` (datasette's pattern). Jinja2, markdown
and nh3 are imported here, lazily, never at start-up.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2
    import markdown

LINK_SCAN_BUDGET = 200_000
"""``[`` in a paragraph times its length past which the paragraph is shown as plain text, and a tenth of what
a whole body may spend (see ``PlainBracketHeavyText``): 40 links in a 5,000-character paragraph still render
as links; the worst a body can cost is well under a second."""
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
    from markdown.extensions import Extension
    from markdown.treeprocessors import Treeprocessor
    from markdown.util import AtomicString

    class PlainBracketHeavyText(Treeprocessor):
        """Python-Markdown looks for a link from every ``[`` to the end of its paragraph, in Python: 20,000
        unmatched ``[`` take a minute. A paragraph whose brackets times its length pass ``LINK_SCAN_BUDGET``
        is kept as plain (escaped) text instead, and so is every paragraph once the body has spent ten times
        that: linear, and no real module comes near it."""

        def run(self, root: Any) -> None:
            spent = 0
            for element in root.iter():
                for attribute in ("text", "tail"):
                    value = getattr(element, attribute)
                    if not value or isinstance(value, AtomicString):
                        continue
                    cost = value.count("[") * len(value)
                    if cost > LINK_SCAN_BUDGET or spent + cost > LINK_SCAN_BUDGET * 10:
                        setattr(element, attribute, AtomicString(value))
                    else:
                        spent += cost

    class ImagesAsLinks(Treeprocessor):
        """Nothing from a pack loads when the page opens: ``![alt](url)`` becomes a link to the image."""

        def run(self, root: Any) -> None:
            for element in root.iter("img"):
                src, alt = element.get("src", ""), element.get("alt", "") or element.get("src", "")
                element.attrib.clear()
                element.tag = "a"
                element.set("href", src)
                element.text = f"image: {alt}"

    class Guards(Extension):
        def extendMarkdown(self, md: markdown.Markdown) -> None:
            md.treeprocessors.register(PlainBracketHeavyText(md), "cpo-learn-plain-brackets", 25)
            md.treeprocessors.register(ImagesAsLinks(md), "cpo-learn-images-as-links", 5)

    # Building a converter (extensions, processors) costs far more than converting one module body, so one
    # converter serves every body, reset between uses.
    return markdown.Markdown(extensions=["extra", "sane_lists", Guards()], output_format="html")


def markdown_html(text: str) -> str:
    """Markdown (a module's body) as sanitised HTML (from the body cache when this text was seen before)."""
    bodies = _bodies()
    if bodies is not None:
        found = bodies.seen.get(text)
        if found is not None:
            bodies.used[text] = found
            return found
    html = _convert(text)
    if bodies is not None:
        bodies.used[text] = html
    return html


def _convert(text: str) -> str:
    from cpo_learn.rendering.sanitise import sanitise_content

    converter = _markdown_converter()
    try:
        return sanitise_content(converter.convert(text))
    finally:
        converter.reset()


class _Bodies:
    """Module bodies as HTML, kept between runs: converting Markdown is most of what a large HTML page costs.

    One file (``bodies.pickle`` under the cache dir) maps each body's text to its HTML, under a key of what the
    conversion depends on: the cpo-learn and Python versions, Python-Markdown's and nh3's versions and the
    (path, mtime, size) of nh3's library, this module and ``sanitise.py`` (the extensions, guards and
    allow-lists). A body is its own key, so an edited body is converted again. A run that converted something
    new writes the file again with the bodies it used (and the others, up to ``LIMIT``); a damaged file is
    ignored and replaced; ``CPO_LEARN_NO_CACHE=1`` turns it off.
    """

    FORMAT = 1
    LIMIT = 50_000

    def __init__(self, folder: str) -> None:
        import os
        import pickle
        import sys

        import markdown
        import nh3

        from cpo_learn import __version__
        from cpo_learn.cache import stamp

        here = os.path.dirname(__file__)
        self.key = [self.FORMAT, __version__, sys.version, markdown.__version__,
                    getattr(nh3, "__version__", None), stamp(nh3.__file__ or ""),
                    stamp(os.path.join(here, "templating.py")), stamp(os.path.join(here, "sanitise.py"))]
        self.path = os.path.join(folder, "bodies.pickle")
        self.seen: dict[str, str] = {}
        self.used: dict[str, str] = {}
        try:
            with open(self.path, "rb") as handle:
                entry = pickle.load(handle)
            bodies = entry["bodies"]
            if entry["key"] == self.key and all(type(k) is str and type(v) is str for k, v in bodies.items()):
                self.seen = bodies
        except Exception:  # a missing, stale or damaged file only means converting again
            self.seen = {}

    def save(self) -> None:
        import pickle

        from cpo_learn.cache import write_cache

        if all(text in self.seen for text in self.used):
            return
        bodies = {**self.seen, **self.used} if len(self.seen) + len(self.used) <= self.LIMIT else dict(self.used)
        write_cache(self.path, pickle.dumps({"key": self.key, "bodies": bodies}, pickle.HIGHEST_PROTOCOL))


def _bodies() -> _Bodies | None:
    from cpo_learn.cache import cache_dir, cache_enabled

    return _bodies_in(cache_dir()) if cache_enabled() else None


@functools.lru_cache(maxsize=4)
def _bodies_in(folder: str) -> _Bodies:
    # one per cache dir, so a process that runs several commands (tests, cpo_learn.testing) follows its own
    return _Bodies(folder)


class BodySlots:
    """Module bodies set aside while a page around them is sanitised (``set_aside_bodies``).

    A body's HTML is sanitised once, by the stricter content rules, when it is converted (``markdown_html``).
    While a page is rendered inside ``set_aside_bodies``, the ``markdown`` filter gives an empty ``span``
    whose ``id`` holds a random nonce of this render and the body's number; once the page is sanitised,
    ``fill`` puts each body where its slot survived. Nothing a pack writes can forge a slot: text reaches the
    page escaped, a body's own ``id`` attributes are removed, and the nonce is not known before the render. A
    slot the page sanitiser removed (a body put where no element may go) takes its body with it.
    """

    def __init__(self) -> None:
        self.nonce = os.urandom(8).hex()
        self.bodies: list[str] = []
        self._pattern = re.compile(f'<span id="cpo-learn-body-{self.nonce}-([0-9]+)"></span>')

    def slot(self, html: str) -> str:
        """The placeholder for one body's (sanitised) HTML."""
        self.bodies.append(html)
        return f'<span id="cpo-learn-body-{self.nonce}-{len(self.bodies) - 1}"></span>'

    def fill(self, clean: str) -> str:
        """Sanitised HTML with every surviving slot replaced by its body."""
        if not self.bodies:
            return clean
        return self._pattern.sub(lambda found: self.bodies[int(found.group(1))], clean)


_BODY_SLOTS: contextvars.ContextVar[BodySlots | None] = contextvars.ContextVar("cpo_learn_body_slots", default=None)


@contextlib.contextmanager
def set_aside_bodies() -> Iterator[BodySlots]:
    """While the block runs, the ``markdown`` filter gives slots for the bodies (``BodySlots``) rather than
    their HTML, so a page sanitiser does not parse again what was sanitised when it was converted."""
    slots = BodySlots()
    token = _BODY_SLOTS.set(slots)
    try:
        yield slots
    finally:
        _BODY_SLOTS.reset(token)


def save_bodies() -> None:
    """Keep the module bodies converted in this run for the next (see ``_Bodies``); nothing when caching is
    off or nothing new was converted."""
    from cpo_learn.cache import cache_dir, cache_enabled

    if cache_enabled() and _bodies_in.cache_info().currsize:  # only once a body was looked up in this process
        _bodies_in(cache_dir()).save()


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
    options: dict[str, Any] = {"autoescape": autoescape, "trim_blocks": True, "lstrip_blocks": True,
                               "keep_trailing_newline": True}
    env = jinja2.Environment(loader=loader, undefined=jinja2.StrictUndefined,
                             bytecode_cache=_bytecode_cache(options), **options)

    def markdown_filter(text: str) -> Markup:
        html = markdown_html(text)
        slots = _BODY_SLOTS.get()
        return Markup(slots.slot(html) if slots is not None else html)

    env.filters.update(
        md=md_text, md_url=md_url, mermaid=mermaid_label, hours=hours_text, markdown=markdown_filter,
        safe_url=safe_url,
    )
    return env


def _bytecode_cache(options: dict[str, Any]) -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (compiling the curriculum's templates costs more than rendering
    them), or None with ``CPO_LEARN_NO_CACHE=1`` or when the cache dir cannot be made.

    Jinja2 keys each compiled template on its name and file and checks the source's checksum, so an edited
    template is compiled again; what Jinja2 does not key on (its own version, Python's, the options that shape
    the compiled code) names the folder. A file that cannot be read is compiled again and replaced; one that
    cannot be written is skipped.
    """
    import os
    import sys
    import zlib

    import jinja2

    from cpo_learn.cache import cache_dir, cache_enabled

    if not cache_enabled():
        return None

    class Templates(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # a damaged file only means compiling the template again
                bucket.reset()

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            with contextlib.suppress(OSError):  # a full or read-only cache dir: compiled again next time
                super().dump_bytecode(bucket)

    shape = zlib.crc32(repr(sorted(options.items())).encode())
    folder = os.path.join(cache_dir(), f"templates-{jinja2.__version__}-{sys.implementation.cache_tag}-{shape:08x}")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    return Templates(folder)
