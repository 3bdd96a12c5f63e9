"""The one rule for text that reaches a terminal: nothing from content, names or notes is printed raw.

A title, a learner's name or a note can hold an escape sequence (``ESC]0;...`` retitles the terminal,
``ESC[2J`` clears it), a bidi override that shows text reordered, or a lone surrogate from a file name that is
not UTF-8. ``terminal_text`` escapes every character that is not printable the way Python writes it (``\\x1b``,
``\\u202e``, ``\\udcff``), keeping newlines and tabs, so what is shown reads the same as the bytes behind it
and cannot act on the terminal; ``one_line`` escapes newlines too, for one-line messages. ``has_control`` is
what validation refuses in pack text.

The terminal's own rules live here too: how wide text shows (``display_width``: a CJK letter takes two
columns, a combining accent none), how text is cut to a width (``clip``, ending in "…"), and when colour is
used (``colour_wanted``) and how (``paint``). Pure functions on strings; ``wcwidth`` is imported only when a
string is not plain ASCII.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# C0 controls but tab and newline (a carriage return moves the cursor back over what was shown); DEL and the
# C1 controls (U+009B is a one-byte CSI); the bidi embeddings, overrides and isolates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def has_control(text: str) -> bool:
    """Whether ``text`` holds a control character that pack text may not carry."""
    return _CONTROL.search(text) is not None


def first_control(text: str) -> str:
    """The first such control character in ``text`` (empty when there is none), for messages."""
    found = _CONTROL.search(text)
    return found.group() if found else ""


def _escape(ch: str) -> str:
    return ch.encode("unicode_escape", "backslashreplace").decode("ascii")


def terminal_text(text: str) -> str:
    """``text`` safe to print on a terminal: every character that is not printable escaped, but newlines
    (``\\r\\n`` too: CSV ends its lines so) and tabs, so multi-line output stays multi-line."""
    if text.isprintable():
        return text
    if "\r\n" in text:
        return "\r\n".join(terminal_text(part) for part in text.split("\r\n"))
    return "".join(ch if ch.isprintable() or ch in "\n\t" else _escape(ch) for ch in text)


def one_line(text: str) -> str:
    """``text`` with every character that is not printable escaped (``\\n``, ``\\u202e``, ``\\udcff``).

    Messages quote what the user gave (ids, keys, file names), and that may hold newlines, bidi controls or the
    lone surrogates Python makes of undecodable file names: escaped, a message stays one line that any
    terminal can print and that reads the same as the bytes behind it.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)


ELLIPSIS = "…"
"""What ends a cell cut to fit the terminal (one column wide)."""

# SGR codes of the few styles the terminal output uses: statuses and bars.
STYLES: dict[str, str] = {"green": "32", "yellow": "33", "red": "31", "cyan": "36", "dim": "2", "bold": "1"}


def char_width(ch: str) -> int:
    """Columns one printable character takes: 2 for wide (CJK) letters, 0 for combining marks, else 1."""
    if ch.isascii():
        return 1
    from wcwidth import wcwidth

    return max(wcwidth(ch), 0)


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal (``len`` counts characters: a CJK name is twice as wide)."""
    if text.isascii():
        return len(text)
    return sum(char_width(ch) for ch in text)


def clip(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` columns, ending in "…" when anything was cut."""
    if display_width(text) <= width:
        return text
    if width <= 0:
        return ""
    room, kept = width - 1, []
    for ch in text:
        size = char_width(ch)
        if size > room:
            break
        kept.append(ch)
        room -= size
    return "".join(kept).rstrip() + ELLIPSIS


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` columns (on the left when ``right``-aligned)."""
    space = " " * max(width - display_width(text), 0)
    return space + text if right else text + space


def colour_wanted(*, on_terminal: bool, environ: Mapping[str, str], refused: bool = False) -> bool:
    """Colour only on a terminal, never when ``NO_COLOR`` is set to anything (https://no-color.org) or the
    user said ``--no-color``."""
    return on_terminal and not refused and not environ.get("NO_COLOR")


def paint(text: str, style: str | None) -> str:
    """``text`` in one of ``STYLES`` (no style, or an unknown one: as it is). The caller decides whether
    colour is wanted; ``text`` must already be safe (``terminal_text``)."""
    code = STYLES.get(style or "")
    return f"\x1b[{code}m{text}\x1b[0m" if code and text else text


def wrap(text: str, width: int | None, indent: str = "  ") -> str:
    """``text`` (one line) broken between words so no line is wider than ``width`` (None: as it is); the lines
    after the first start with ``indent``. A word wider than the width is left whole on its own line."""
    if width is None or display_width(text) <= width:
        return text
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if current and display_width(candidate) > width:
            lines.append(current)
            candidate = indent + word
        current = candidate
    lines.append(current)
    return "\n".join(lines)
