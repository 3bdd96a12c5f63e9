"""The one JSON reader for what cpo-learn did not write itself this run: learner files and import files.

``json.loads`` alone recurses once per nesting level (100,000 ``[`` give a ``RecursionError``) and reads
whatever size it is given. ``load_json`` refuses, with a reason that fits in an error line, bytes over a size
cap and documents nested deeper than ``MAX_DEPTH`` (a learner file nests four levels, an export five), so
one hostile file is one error, never a traceback that takes other learners down with it.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 32
"""Arrays and objects inside each other, at most (a learner file needs 4, an export 5)."""

_STRING = re.compile(rb'"[^"]*"')
_INNERMOST = re.compile(rb"\[\]|\{\}")
_NOT_STRUCTURE = bytes(set(range(256)) - set(b'[]{}"'))


class JSONInputError(ValueError):
    """Bytes that are not a JSON document this reader accepts; the message is the reason, one line."""


def too_deep(raw: bytes, limit: int = MAX_DEPTH) -> bool:
    """Whether the JSON in ``raw`` nests arrays and objects more than ``limit`` deep (any bytes accepted).

    Linear and in C: escaped backslashes and then escaped quotes are dropped (so every ``"`` left opens or
    closes a string), every byte but brackets and quotes is dropped, the strings (now only the brackets they
    held, most of them nothing) are cut out, and each pass removes the innermost pairs; a document still
    holding brackets after ``limit`` passes is too deep, and so is one whose unclosed openers alone go deeper.
    """
    reduced = raw.replace(b"\\\\", b"").replace(b'\\"', b"").translate(None, _NOT_STRUCTURE)
    # Two quotes side by side are a string without brackets, or the end of one string and the start of the
    # next with no bracket between them: either way dropping them leaves every other string as it was.
    reduced = reduced.replace(b'""', b"")
    brackets = _STRING.sub(b"", reduced) if b'"' in reduced else reduced
    for passes in range(limit + 1):
        if not brackets:
            return False
        shorter = _INNERMOST.sub(b"", brackets)  # one scan: a pair that a removal exposes waits for the next pass
        if len(shorter) == len(brackets):
            # Unbalanced (json.loads will say where), but the unclosed openers still nest: 100,000 "[" would
            # make json.loads recurse that deep before it finds the missing "]".
            return passes + brackets.count(b"[") + brackets.count(b"{") > limit
        brackets = shorter
    return True


def load_json(raw: bytes, *, max_bytes: int, encoding: str = "utf-8") -> Any:
    """The JSON document in ``raw``; ``JSONInputError`` when it is too big, not text, not JSON or too deep."""
    if len(raw) > max_bytes:
        raise JSONInputError(f"{len(raw):,} bytes, more than the {max_bytes:,} this cpo-learn reads")
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise JSONInputError(f"not UTF-8 text (byte {exc.start})") from None
    if too_deep(raw):
        raise JSONInputError(f"nested more than {MAX_DEPTH} levels deep")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = "it is empty" if not text.strip() else f"line {exc.lineno} column {exc.colno}: {exc.msg}"
        raise JSONInputError(f"not valid JSON ({where})") from None
    except RecursionError:  # pragma: no cover - too_deep catches it first; kept as a last line of defence
        raise JSONInputError(f"nested more than {MAX_DEPTH} levels deep") from None
