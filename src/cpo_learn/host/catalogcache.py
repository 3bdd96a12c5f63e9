"""The validated catalog, remembered between runs and keyed on every input that built it.

Building the catalog (validating every item and cross reference) costs about 25 ms on every command even when
each pack's parsed files come from the pack cache. It depends only on what the plugins registered, so it is
pickled under the cache dir with a key made of:

- a format number, the cpo-learn version, the Python version, and the (path, mtime, size) of every module of
  ``cpo_learn.content`` (the validation code, so an edited checkout never serves a catalog of older rules);
- the plugins that register content, in the order they are called, the plugins left out (disabled), and
  every plugin's version (a pack's ``requires`` is checked against them);
- for a plugin that only loads a pack (``cpo_learn.pack_hook`` or a pack in a plugins dir): the pack's path
  and the (path, mtime, size) of every file in it, so its hook is not even called;
- for a plugin with code of its own: everything it registered this run. Its hook is called on every run
  (it may read anything), and the catalog is reused only when what it registered is equal to last time.

A hook that raised, a value that cannot be compared exactly (a set, an object of the plugin's own), trace
mode and ``CPO_LEARN_NO_CACHE=1`` all mean building afresh (and nothing is stored); a damaged or stale file
is ignored and overwritten.
"""

from __future__ import annotations

import copyreg
import io
import os
import pickle
import sys
import zlib
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from pathlib import PurePath
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from cpo_learn.cache import cache_dir, cache_enabled, stamp, write_cache

if TYPE_CHECKING:
    from cpo_learn.content.catalog import Catalog

FORMAT = 1


class NotComparable(TypeError):
    """A registered value the key cannot hold exactly: the catalog is built afresh."""


def comparable(value: Any) -> Any:
    """``value`` as plain, ordered data that compares equal exactly when the inputs are equal.

    Dicts keep their order (validation may depend on it); dataclasses become their type and fields.
    """
    if value is None or isinstance(value, bool | int | float | str | bytes):
        return value
    if isinstance(value, datetime | date):
        return (type(value).__name__, value.isoformat())
    if isinstance(value, PurePath):
        return ("path", str(value))
    if isinstance(value, dict | MappingProxyType):
        return ("dict", tuple((comparable(k), comparable(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(comparable(v) for v in value))
    if is_dataclass(value) and not isinstance(value, type):
        return (type(value).__qualname__, tuple(comparable(getattr(value, f.name)) for f in fields(value)))
    raise NotComparable(type(value).__name__)


def _code_stamps() -> list[Any]:
    from cpo_learn import content

    folder = os.path.dirname(content.__file__ or "")
    return [stamp(os.path.join(folder, name)) for name in sorted(os.listdir(folder)) if name.endswith(".py")]


def base_key(disabled: set[str], versions: dict[str, str | None]) -> list[Any]:
    """What every catalog depends on besides the plugins' registrations (see the module docstring)."""
    from cpo_learn import __version__

    return [FORMAT, __version__, sys.version, _code_stamps(), sorted(disabled), sorted(versions.items())]


def _path(plugins: list[str]) -> str:
    # one file per set of content plugins, so switching environments does not evict the other's catalog
    digest = zlib.crc32("\0".join(plugins).encode("utf-8", "surrogateescape"))
    return os.path.join(cache_dir(), f"catalog-{digest:08x}.pickle")


def load(plugins: list[str], key: Any) -> Catalog | None:
    """The catalog stored under exactly ``key``, else None (also for a missing or damaged file)."""
    if not cache_enabled():
        return None
    try:
        with open(_path(plugins), "rb") as handle:
            entry = pickle.load(handle)
        if entry["key"] != key:
            return None
        catalog: Catalog = entry["catalog"]
        return catalog
    except Exception:  # a damaged or foreign cache file only means building again
        return None


def _mapping(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(items)


def _reduce_mapping(value: MappingProxyType[Any, Any]) -> tuple[Any, ...]:
    return (_mapping, (dict(value),))


def store(plugins: list[str], key: Any, catalog: Catalog) -> None:
    """Remember the catalog under ``key``; one that cannot be written or pickled is skipped."""
    if not cache_enabled():
        return
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, MappingProxyType: _reduce_mapping}
    try:
        pickler.dump({"key": key, "catalog": catalog})
    except Exception:  # something a plugin put in the catalog cannot be pickled: build it every time
        return
    write_cache(_path(plugins), buffer.getvalue())
