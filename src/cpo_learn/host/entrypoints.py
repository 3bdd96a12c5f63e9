"""The ``cpo_learn`` entry points of the installed distributions, remembered between runs.

Finding them means importing ``importlib.metadata`` and reading every installed distribution's metadata:
about 20 ms on every command. The list changes only when a distribution is installed, upgraded or removed,
which changes the modification time of the ``sys.path`` folder it lives in (``site-packages``), so the list is
cached under the cache dir keyed on the interpreter, ``sys.path`` and those folders' modification times.
``CPO_LEARN_NO_CACHE=1`` turns the cache off.
"""

from __future__ import annotations

import importlib
import marshal
import os
import re
import sys
from dataclasses import dataclass
from typing import Any

from cpo_learn.cache import cache_dir, cache_enabled, key_name, stamp, write_cache
from cpo_learn.terminal import one_line

FORMAT = 1
# "package.module", "package.module:attr.sub" and an optional "[extras]", as in the packaging spec
_VALUE = re.compile(r"^(?P<module>[\w.]+)\s*(?::\s*(?P<attr>[\w.]+)\s*)?(?:\[.*\]\s*)?$")


@dataclass(frozen=True)
class EntryPoint:
    """One entry point: its name, what it points at, and the distribution that declares it."""

    name: str
    value: str
    distribution: str | None
    version: str | None

    def load(self) -> Any:
        """Import the module the entry point names and return it (or the attribute it names)."""
        match = _VALUE.match(self.value)
        if match is None:
            raise ImportError(f"entry point {self.name} = {self.value!r} is not 'module' or 'module:attribute'")
        target: Any = importlib.import_module(match["module"])
        for part in (match["attr"] or "").split("."):
            if part:
                target = getattr(target, part)
        return target


def _key() -> list[Any]:
    directories = [p for p in sys.path if p and os.path.isdir(p)]
    return [FORMAT, sys.executable, list(sys.path), [stamp(d) for d in directories]]


def _cache_file(group: str, key: list[Any]) -> str:
    return os.path.join(cache_dir(), f"entry-points-{group}-{key_name(key)}.marshal")


def discover(group: str) -> list[EntryPoint]:
    """Every entry point of ``group``, one per name (the first on ``sys.path`` wins), sorted by name."""
    key = _key()
    path = _cache_file(group, key)
    if cache_enabled():
        try:
            with open(path, "rb") as handle:
                entry = marshal.load(handle)
            if entry["key"] == key:
                return [EntryPoint(*fields) for fields in entry["entry_points"]]
        except (OSError, EOFError, ValueError, TypeError, KeyError):
            pass
    found = _scan(group)
    if cache_enabled():
        entry = {"key": key, "entry_points": [(e.name, e.value, e.distribution, e.version) for e in found]}
        write_cache(path, marshal.dumps(entry))
    return found


def _scan(group: str) -> list[EntryPoint]:
    """Read every distribution's entry points of ``group``; a distribution whose metadata cannot be read (a
    ``METADATA`` that is not UTF-8, a half-removed install) is skipped with a warning on stderr, never a
    traceback: one broken package must not stop every command."""
    from importlib.metadata import distributions

    found: dict[str, EntryPoint] = {}
    for dist in distributions():  # in sys.path order: the first distribution to name an entry point wins
        try:
            entry_points = [ep for ep in dist.entry_points if ep.group == group]
            if not entry_points:
                continue
            name, version = dist.metadata["Name"], dist.version
        except Exception as exc:  # whatever a damaged file raises (UnicodeDecodeError, OSError, ...)
            where = getattr(dist, "_path", None) or "an installed distribution"
            print(one_line(f"cpo-learn: warning: skipped {where}: its metadata cannot be read "
                           f"({type(exc).__name__}: {exc}); reinstall or remove that package"), file=sys.stderr)
            continue
        for ep in entry_points:
            found.setdefault(ep.name, EntryPoint(ep.name, ep.value, name, version))
    return [found[name] for name in sorted(found)]
