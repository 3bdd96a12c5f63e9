"""The console script serves ``--help`` from a cache that follows every change it depends on."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import write

pytestmark = pytest.mark.cold_cache  # tests of the caches: each starts with an empty cache dir

PLUGIN = """
import click
import cpo_learn

@cpo_learn.hookimpl
def cpo_learn_register_commands(cli):
    @cli.command(name="{name}")
    def command():
        '''{help}'''
        click.echo("ran {name}")
"""


def cpo_learn(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "-m", "cpo_learn", *args], capture_output=True, text=True, env=env)


def test_cached_help_is_identical_to_the_rendered_one(tmp_path: Path) -> None:
    first = cpo_learn("--help")
    assert list((tmp_path / "cache").glob("help-*.marshal"))
    second = cpo_learn("--help")
    fresh = cpo_learn("--help", env_extra={"CPO_LEARN_NO_CACHE": "1"})
    assert first.stdout == second.stdout == fresh.stdout
    assert "Commands:" in first.stdout and "validate" in first.stdout


def test_help_follows_plugin_commands(tmp_path: Path) -> None:
    plugins = tmp_path / "plugins"
    write(plugins / "acme.py", PLUGIN.format(name="acme-report", help="Acme's weekly report."))
    env = {"CPO_LEARN_PLUGINS_DIR": str(plugins)}
    assert "acme-report" in cpo_learn("--help", env_extra=env).stdout
    assert "acme-report" in cpo_learn("--help", env_extra=env).stdout  # from the cache
    write(plugins / "acme.py", PLUGIN.format(name="acme-digest", help="Acme's digest, now longer."))
    changed = cpo_learn("--help", env_extra=env).stdout
    assert "acme-digest" in changed and "acme-report" not in changed
    assert cpo_learn("acme-digest", env_extra=env).stdout == "ran acme-digest\n"
    assert "acme-digest" not in cpo_learn("--help").stdout


def test_broken_plugin_warning_is_never_cached(tmp_path: Path) -> None:
    plugins = tmp_path / "plugins"
    write(plugins / "broken.py", "raise ImportError('missing dependency')\n")
    env = {"CPO_LEARN_PLUGINS_DIR": str(plugins)}
    for _ in range(2):
        result = cpo_learn("--help", env_extra=env)
        assert result.returncode == 0
        assert "plugin 'broken'" in result.stderr


def test_unwritable_cache_dir_still_prints_help(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    result = cpo_learn("--help", env_extra={"CPO_LEARN_CACHE_DIR": str(blocker / "cache")})
    assert result.returncode == 0 and "Commands:" in result.stdout
