"""Words for messages and names: the one "did you mean" and the one rule for learner slugs.

Every message that suggests a close match goes through ``closest``; ``suggestion`` and ``did_you_mean`` are
its two phrasings (in a validation problem and in a command's error). Pure functions on strings: importing
this module costs nothing beyond ``re`` and ``unicodedata``; ``difflib`` is imported only when a word is wrong.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from cpo_learn.errors import UsageError

SLUG_LIMIT = 64
"""The longest learner slug (a file name part), in characters."""
SLUG_BYTES = 128
"""... and in UTF-8 bytes: with ``.json.damaged-<time>`` after it, a file name stays under the 255 bytes
file systems allow, whatever script the name is in (64 four-byte letters would not)."""

# Names Windows will not give a file, whatever the suffix.
_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                       *(f"lpt{i}" for i in range(10))})


def and_list(parts: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``: a list of phrases in a sentence."""
    items = list(parts)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def closest(word: str, choices: Iterable[str], n: int = 3, *, cutoff: float = 0.5,
            containing: bool = True) -> list[str]:
    """The choices closest to ``word``: close spellings first, then (with ``containing``) choices holding it."""
    import difflib

    pool = list(choices)
    found = difflib.get_close_matches(word, pool, n=n, cutoff=cutoff)
    if containing:
        for candidate in sorted(pool):
            if len(found) >= n:
                break
            if word and word in candidate and candidate not in found:
                found.append(candidate)
    return found


def suggestion(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the one closest spelling, or ``""``: the phrasing of validation problems."""
    near = closest(word, sorted(choices), n=1, cutoff=0.6, containing=False)
    return f" (did you mean '{near[0]}'?)" if near else ""


def did_you_mean(word: str, choices: Iterable[str], n: int = 3) -> str:
    """``; did you mean 'a', 'b'?`` for up to ``n`` close choices, or ``""``: the phrasing of command errors."""
    near = closest(word, choices, n=n)
    return f"; did you mean {', '.join(repr(c) for c in near)}?" if near else ""


def unknown_id_message(what: str, word: str, choices: Iterable[str], hint: str) -> str:
    """One line: the id is unknown, the closest ids, and how to list them all."""
    return f"unknown {what} '{word}'{did_you_mean(word, choices)} ({hint})"


def slugify(name: str) -> str:
    """The file-name-safe slug for a learner's name: letters and digits (any script) joined by ``-``.

    ``"Ada Lovelace"`` -> ``ada-lovelace``, ``"José"`` -> ``jose``, ``"../x"`` -> ``x``, ``"李雷"`` is kept.
    The slug never contains a path separator or a dot, so ``<home>/learners/<slug>.json`` stays in the home;
    a name without a single letter or digit is a ``UsageError``.
    """
    # Fold case and strip accents (é -> e), then fold again: the result must be its own slug.
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(ch if ch.isalnum() and ch.isprintable() else "-" for ch in text)
    slug = re.sub("-+", "-", kept).strip("-")[:SLUG_LIMIT]
    while len(slug.encode("utf-8", "surrogatepass")) > SLUG_BYTES:
        slug = slug[:-1]
    slug = slug.rstrip("-")
    if not slug:
        raise UsageError(f"learner name {name!r} has no letter or digit; "
                         "use a name like 'ada' or 'Ada Lovelace'")
    return f"{slug}-learner" if slug in _RESERVED else slug
