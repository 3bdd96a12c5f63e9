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
import zlib
from dataclasses import dataclass
from typing import Any

from cpo_learn.cache import cache_dir, cache_enabled, stamp, write_cache

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
    return os.path.join(cache_dir(), f"entry-points-{group}-{zlib.adler32(marshal.dumps(key)):08x}.marshal")


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
    from importlib.metadata import entry_points

    found: dict[str, EntryPoint] = {}
    for ep in entry_points(group=group):
        if ep.name in found:
            continue
        dist = ep.dist
        found[ep.name] = EntryPoint(ep.name, ep.value, dist.name if dist is not None else None,
                                    dist.version if dist is not None else None)
    return [found[name] for name in sorted(found)]
