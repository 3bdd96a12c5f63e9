"""Where cpo-learn keeps caches, and the switch that turns them all off.

Imported by the console script before anything else, so it imports only ``os`` (the cached ``--help`` must not
pay for more). ``CPO_LEARN_CACHE_DIR`` moves the caches; ``CPO_LEARN_NO_CACHE=1`` turns every one of them off.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def cache_dir() -> str:
    """``CPO_LEARN_CACHE_DIR``, else ``$XDG_CACHE_HOME/cpo-learn``, else ``~/.cache/cpo-learn``."""
    chosen = os.environ.get("CPO_LEARN_CACHE_DIR")
    if chosen:
        return chosen
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "cpo-learn")


def cache_enabled() -> bool:
    """False when ``CPO_LEARN_NO_CACHE`` is set (to anything but ``0``): every cache is then skipped."""
    return os.environ.get("CPO_LEARN_NO_CACHE", "") in ("", "0")


_UNREPEATABLE: list[str] = []


def mark_unrepeatable(reason: str) -> None:
    """Say that this run did something whose output must not be replayed (``cli/replay.py``): it called a
    plugin's code, a plugin had a problem, it read the moment or stdin, or changed a file."""
    _UNREPEATABLE.append(reason)


def unrepeatable() -> list[str]:
    """Why this run's output must not be replayed (empty when it may be)."""
    return list(_UNREPEATABLE)


def key_name(key: Any) -> str:
    """Eight hex digits naming the cache entry of ``key`` (built of str, int, list, tuple, None and bool).

    From ``repr``, which is the same for equal keys in every process (``marshal.dumps`` is not: it shares
    repeated objects by reference, so equal keys can give different bytes). Two keys that share a name only
    evict each other: every cache compares the whole key it stored."""
    import zlib

    return f"{zlib.adler32(repr(key).encode('utf-8', 'backslashreplace')):08x}"


def stamp(path: str) -> list[Any]:
    """``[path, mtime in ns, size]`` of a file or folder (``-1`` for both when it cannot be read)."""
    try:
        st = os.stat(path)
    except OSError:
        return [path, -1, -1]
    return [path, st.st_mtime_ns, st.st_size]


def tree_stamps(root: str) -> list[tuple[str, int, int]]:
    """(path, mtime in ns, size) of every file under ``root`` (hidden folders left out), in a stable order."""
    stamps: list[tuple[str, int, int]] = []
    for directory, folders, files in os.walk(root):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(files):
            path = os.path.join(directory, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            stamps.append((path, st.st_mtime_ns, st.st_size))
    return stamps


def write_cache(path: str, payload: bytes) -> None:
    """Write a cache file whole (``files.write_atomically``, not synced); a cache that cannot be written is
    skipped: it only means working it out again next time."""
    from cpo_learn.files import write_atomically

    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_atomically(path, payload, temp=f"{path}.{os.getpid()}.tmp", durable=False)
    except OSError:
        pass
