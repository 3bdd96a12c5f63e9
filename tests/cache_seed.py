"""The caches a user's second run finds, built once per test process and copied into each test's cache dir.

Parsing the built-in packs' YAML and scanning the installed distributions take most of a command's time when
the cache dir is empty, and every test starts with an empty one: seeded, each test starts where a user's
second command does. The copy is the test's own (a test may damage or remove it); the caches are keyed on
every input that built them, so a test that changes a pack, a plugin or the environment misses them and
builds its own, as a user would. Tests of the caches themselves start empty: mark them ``cold_cache``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from cpo_learn.app.context import App

COLD = "cold_cache"
"""The marker of a test (or module) that starts with an empty cache dir."""


def build_warm_caches(folder: Path, env_vars: tuple[str, ...]) -> Path:
    """Fill ``folder`` with the caches of the built-in plugins' catalog, built with no cpo-learn setting."""
    with pytest.MonkeyPatch.context() as patch:
        for name in env_vars:
            patch.delenv(name, raising=False)
        patch.setenv("CPO_LEARN_HOME", str(folder / "home"))
        patch.setenv("CPO_LEARN_CACHE_DIR", str(folder / "cache"))
        App().catalog()
    return folder / "cache"


def seed(cache: Path, warm: Path, request: pytest.FixtureRequest) -> None:
    """Copy the warm caches to the test's cache dir ``cache``, unless the test is marked ``cold_cache``."""
    if request.node.get_closest_marker(COLD) is None and os.path.isdir(warm):
        shutil.copytree(warm, cache)
