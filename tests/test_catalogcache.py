"""The validated-catalog cache gives exactly the catalog a fresh build gives, and follows every input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

import cpo_learn
from cpo_learn.host.plugins import PluginHost
from helpers import BUILTIN_PLUGINS, Invoke, module_text, write

pytestmark = pytest.mark.cold_cache  # tests of the caches: each starts with an empty cache dir


def build(tmp_path: Path, **env: str) -> PluginHost:
    host = PluginHost([str(tmp_path / "plugins")] if (tmp_path / "plugins").is_dir() else [],
                      env={"CPO_LEARN_LOAD_PLUGINS": BUILTIN_PLUGINS + ",acme,beta,coded", **env})
    host.load()
    return host


def catalogs(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").glob("catalog-*.pickle"))


def test_a_cached_catalog_equals_a_fresh_build(make_pack: Callable[..., Path], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    make_pack("acme", {"a": module_text("acme/a"), "bad": module_text("acme/bad", hours=0)})
    first = build(tmp_path).catalog()
    assert catalogs(tmp_path)
    host = build(tmp_path)
    second = host.catalog()
    monkeypatch.setenv("CPO_LEARN_NO_CACHE", "1")
    fresh = build(tmp_path).catalog()
    assert first == second == fresh
    assert host.records["acme"].registered == {"modules": 1}
    assert "invalid content left out" in (host.records["acme"].error or "")


def test_an_edited_or_added_pack_builds_again(make_pack: Callable[..., Path], tmp_path: Path) -> None:
    pack = make_pack("acme", {"a": module_text("acme/a", title="First title")})
    assert build(tmp_path).catalog().modules["acme/a"].title == "First title"
    (pack / "modules" / "a.md").write_text(module_text("acme/a", title="Second, longer title"))
    assert build(tmp_path).catalog().modules["acme/a"].title == "Second, longer title"
    make_pack("beta", {"b": module_text("beta/b")})
    assert "beta/b" in build(tmp_path).catalog().modules


def test_a_plugin_with_code_registers_on_every_run(tmp_path: Path) -> None:
    plugin = write(tmp_path / "plugins" / "coded.py", """
        import cpo_learn

        @cpo_learn.hookimpl
        def cpo_learn_register_content(registry):
            registry.add_skill(id="juggling", title="Juggling")
    """)
    assert "juggling" in build(tmp_path).catalog().skills
    plugin.write_text(plugin.read_text().replace('"Juggling"', '"Juggling balls"'))
    assert build(tmp_path).catalog().skills["juggling"].title == "Juggling balls"


def test_a_new_version_or_disabled_plugin_builds_again(make_pack: Callable[..., Path], tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    make_pack("acme", {"a": module_text("acme/a")})
    build(tmp_path).catalog()
    before = catalogs(tmp_path)[0].read_bytes()
    monkeypatch.setattr(cpo_learn, "__version__", "99.0.0")
    assert "acme/a" in build(tmp_path).catalog().modules
    assert catalogs(tmp_path)[0].read_bytes() != before  # rebuilt and stored under the new key
    assert "acme/a" not in build(tmp_path, CPO_LEARN_DISABLE_PLUGINS="acme").catalog().modules


def test_a_damaged_cache_is_ignored_and_rebuilt(run: Invoke, make_pack: Callable[..., Path],
                                                tmp_path: Path) -> None:
    make_pack("acme", {"a": module_text("acme/a")})
    run("--plugins-dir", "plugins", "modules")
    for entry in catalogs(tmp_path):
        entry.write_bytes(b"not a pickle")
    result = run("--plugins-dir", "plugins", "show", "acme/a", "--json")
    assert result.exit_code == 0 and result.stderr == ""
    assert json.loads(result.stdout)["id"] == "acme/a"
    assert all(entry.read_bytes() != b"not a pickle" for entry in catalogs(tmp_path))


def test_no_cache_turns_it_off(run: Invoke, make_pack: Callable[..., Path], tmp_path: Path) -> None:
    make_pack("acme", {"a": module_text("acme/a")})
    assert run("--plugins-dir", "plugins", "show", "acme/a", env={"CPO_LEARN_NO_CACHE": "1"}).exit_code == 0
    assert catalogs(tmp_path) == []


def test_a_hook_that_raised_is_reported_on_every_run(tmp_path: Path) -> None:
    write(tmp_path / "plugins" / "coded.py", """
        import cpo_learn

        @cpo_learn.hookimpl
        def cpo_learn_register_content(registry):
            raise RuntimeError("boom")
    """)
    for _ in range(2):
        warnings: list[str] = []
        host = PluginHost([str(tmp_path / "plugins")], warn=warnings.append)
        host.load()
        host.catalog()
        assert any("boom" in line for line in warnings)


def test_the_default_vocabulary_is_keyed_on_its_module_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import shutil

    from cpo_learn.default_plugins import vocabulary

    # The hook's code names a copy of its module file, which this test may touch: touching the real one (its
    # ctime changes) made every other test process's caches and replays see a changed cpo-learn meanwhile.
    copy = tmp_path / "vocabulary.py"
    shutil.copy2(vocabulary.__file__, copy)
    hook = vocabulary.cpo_learn_register_content
    monkeypatch.setattr(hook, "__code__", hook.__code__.replace(co_filename=str(copy)))
    assert build(tmp_path).catalog().skills["analytics"].title == "Analytical skills"
    changed = tuple((i, f"{title}!", text) for i, title, text in vocabulary.SKILLS)
    monkeypatch.setattr(vocabulary, "SKILLS", changed)
    # the file is as it was: the hook is not called, the cached catalog is served
    assert build(tmp_path).catalog().skills["analytics"].title == "Analytical skills"
    before = os.stat(copy)
    os.utime(copy, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000_000))
    assert build(tmp_path).catalog().skills["analytics"].title == "Analytical skills!"


def test_only_default_plugins_are_taken_at_their_word(tmp_path: Path) -> None:
    data = tmp_path / "title.txt"
    data.write_text("Juggling")
    write(tmp_path / "plugins" / "coded.py", f"""
        import cpo_learn

        @cpo_learn.hookimpl
        def cpo_learn_register_content(registry):
            with open({str(data)!r}) as handle:
                registry.add_skill(id="juggling", title=handle.read())

        cpo_learn_register_content.cpo_learn_static_content = True
    """)
    assert build(tmp_path).catalog().skills["juggling"].title == "Juggling"
    data.write_text("Juggling balls")
    assert build(tmp_path).catalog().skills["juggling"].title == "Juggling balls"
