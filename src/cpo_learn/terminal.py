"""The one rule for text that reaches a terminal: nothing from content, names or notes is printed raw.

A title, a learner's name or a note can hold an escape sequence (``ESC]0;...`` retitles the terminal,
``ESC[2J`` clears it), a bidi override that shows text reordered, or a lone surrogate from a file name that is
not UTF-8. ``terminal_text`` escapes every character that is not printable the way Python writes it (``\\x1b``,
``\\u202e``, ``\\udcff``), keeping newlines and tabs, so what is shown reads the same as the bytes behind it
and cannot act on the terminal; ``one_line`` escapes newlines too, for one-line messages. ``has_control`` is
what validation refuses in pack text. Pure functions on strings; no imports beyond ``re``.
"""

from __future__ import annotations

import re

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
    # line by line, so a long listing is checked in C and only a line holding something else is escaped
    return "\n".join(line if line.isprintable() else _escape_line(line) for line in text.split("\n"))


def _escape_line(line: str) -> str:
    return "".join(ch if ch.isprintable() or ch == "\t" else _escape(ch) for ch in line)


def one_line(text: str) -> str:
    """``text`` with every character that is not printable escaped (``\\n``, ``\\u202e``, ``\\udcff``).

    Messages quote what the user gave (ids, keys, file names), and that may hold newlines, bidi controls or the
    lone surrogates Python makes of undecodable file names: escaped, a message stays one line that any
    terminal can print and that reads the same as the bytes behind it.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else _escape(ch) for ch in text)
