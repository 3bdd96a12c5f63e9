"""The entry-point list is cached between runs and follows every install and uninstall."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from cpo_learn.host.entrypoints import EntryPoint, _scan, discover
from helpers import write

pytestmark = pytest.mark.cold_cache  # tests of the caches: each starts with an empty cache dir


def test_cached_list_equals_a_fresh_scan(tmp_path: Path) -> None:
    first = discover("cpo_learn")
    assert list((tmp_path / "cache").glob("entry-points-cpo_learn-*.marshal"))
    assert discover("cpo_learn") == first == _scan("cpo_learn")
    assert {"education", "cpo", "mentorship"} <= {ep.name for ep in first}
    assert all(ep.distribution == "cpo-learn" and ep.version for ep in first if ep.name == "cpo")


def test_install_and_uninstall_are_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    assert "acme" not in {ep.name for ep in discover("cpo_learn")}
    # a module name of its own: the import stays in sys.modules, and other tests import their own acme_plugin
    monkeypatch.delitem(sys.modules, "entry_point_cache_probe", raising=False)
    write(site / "entry_point_cache_probe.py", "VALUE = 42\n")
    dist = site / "acme-1.0.dist-info"
    write(dist / "METADATA", "Metadata-Version: 2.1\nName: acme\nVersion: 1.0\n")
    write(dist / "entry_points.txt", "[cpo_learn]\nacme = entry_point_cache_probe:VALUE\n")
    found = {ep.name: ep for ep in discover("cpo_learn")}
    assert found["acme"] == EntryPoint("acme", "entry_point_cache_probe:VALUE", "acme", "1.0")
    assert found["acme"].load() == 42
    monkeypatch.delitem(sys.modules, "entry_point_cache_probe")
    shutil.rmtree(dist)
    assert "acme" not in {ep.name for ep in discover("cpo_learn")}


@pytest.mark.parametrize(("value", "expected"), [
    ("json", "json"), ("json:dumps", "dumps"), ("os.path:join", "join"), ("json : dumps [extra]", "dumps"),
])
def test_entry_point_values(value: str, expected: str) -> None:
    assert EntryPoint("x", value, None, None).load().__name__.rsplit(".", 1)[-1] == expected


def test_malformed_value_is_an_import_error() -> None:
    with pytest.raises(ImportError, match="is not 'module' or 'module:attribute'"):
        EntryPoint("x", "not a module!", None, None).load()
