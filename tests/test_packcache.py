"""The parsed-pack cache returns exactly what parsing returns, and follows every change to a pack's files."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from cpo_learn.content.packcache import read_pack
from cpo_learn.content.packs import parse_pack
from helpers import Invoke, module_text

pytestmark = pytest.mark.cold_cache  # tests of the caches: each starts with an empty cache dir


def test_cached_pack_equals_a_fresh_parse(make_pack: Callable[..., Path], tmp_path: Path) -> None:
    pack = make_pack("acme", {"a": module_text("acme/a"), "b": module_text("acme/b", hours=0)})
    first = read_pack(pack, "acme")
    assert list((tmp_path / "cache" / "packs").glob("*.pickle"))
    second = read_pack(pack, "acme")
    fresh = parse_pack(pack, "acme")
    assert first == second == fresh
    assert all(item.plugin == "acme" for item in second.items)


def test_edited_pack_is_parsed_again(run: Invoke, make_pack: Callable[..., Path]) -> None:
    pack = make_pack("acme", {"a": module_text("acme/a", title="First title")})
    titles = json.loads(run("--plugins-dir", "plugins", "show", "acme/a", "--json").stdout)["title"]
    assert titles == "First title"
    (pack / "modules" / "a.md").write_text(module_text("acme/a", title="Second, longer title"))
    assert json.loads(run("--plugins-dir", "plugins", "show", "acme/a", "--json").stdout)["title"] == \
        "Second, longer title"
    (pack / "modules" / "b.md").write_text(module_text("acme/b"))
    assert run("--plugins-dir", "plugins", "show", "acme/b").exit_code == 0
    (pack / "modules" / "b.md").unlink()
    assert run("--plugins-dir", "plugins", "show", "acme/b").exit_code == 1


def test_damaged_cache_entry_is_ignored(run: Invoke, make_pack: Callable[..., Path], tmp_path: Path) -> None:
    make_pack("acme", {"a": module_text("acme/a")})
    run("--plugins-dir", "plugins", "modules")
    for entry in (tmp_path / "cache" / "packs").glob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    result = run("--plugins-dir", "plugins", "show", "acme/a")
    assert result.exit_code == 0 and result.stderr == ""
