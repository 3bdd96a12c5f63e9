"""Reading a pack through a cache of parsed packs, so a command does not re-read YAML that has not changed.

Each pack's parsed contents are pickled under the cache dir, keyed on the pack's absolute path, together
with the (path, mtime, size) of every file in the pack; any change to any file re-parses it. The cache
holds only what was parsed from the pack's own files, so it is always equivalent to parsing again.
``CPO_LEARN_NO_CACHE=1`` turns it off.
"""

from __future__ import annotations

import os
import pickle
import zlib
from dataclasses import replace
from pathlib import Path

from cpo_learn.cache import cache_dir, cache_enabled, tree_stamps, write_cache
from cpo_learn.content.packs import PackContents, parse_pack

FORMAT = 3  # 3: pack.toml's version is optional; 2: byte-order marks, the nesting limit, values YAML cannot build


def read_pack(root: Path, plugin: str = "") -> PackContents:
    """Read a whole pack directory, from the parsed-pack cache when none of its files changed."""
    contents = load(root)
    if contents is None:
        contents = parse_pack(root)
        store(root, contents)
    for item in contents.items:
        item.plugin = plugin
    contents.problems = [replace(problem, plugin=plugin) for problem in contents.problems]
    return contents


def pack_files(root: Path) -> list[tuple[str, int, int]]:
    """(path, mtime in ns, size) of every file a pack is read from: the fingerprint of its contents."""
    return tree_stamps(str(root))


def _entry_path(root: Path) -> str:
    key = str(root.resolve()).encode("utf-8", "surrogateescape")
    return os.path.join(cache_dir(), "packs", f"{zlib.crc32(key):08x}-{root.name[:40]}.pickle")


def load(root: Path) -> PackContents | None:
    """The cached contents of the pack at ``root`` if none of its files changed, else None."""
    if not cache_enabled():
        return None
    try:
        with open(_entry_path(root), "rb") as handle:
            entry = pickle.load(handle)
        if entry["format"] != FORMAT or entry["root"] != str(root.resolve()) or entry["files"] != pack_files(root):
            return None
        contents: PackContents = entry["contents"]
        return contents
    except Exception:  # a missing, stale or damaged cache entry only means parsing again
        return None


def store(root: Path, contents: PackContents) -> None:
    """Remember the parsed contents; a cache that cannot be written is skipped silently."""
    if not cache_enabled():
        return
    target = _entry_path(root)
    entry = {"format": FORMAT, "root": str(root.resolve()), "files": pack_files(root), "contents": contents}
    write_cache(target, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
