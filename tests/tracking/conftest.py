"""Fixtures for the tracking tests: every test gets its own home, and no test sees the user's real data."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from cache_seed import seed
from cpo_learn.cli.main import cli
from cpo_learn.tracking.tracker import Tracker
from helpers import ENV_VARS

ADA = {"name": "Ada Lovelace", "stage": "education", "target": "starting-roles", "hours_per_week": 6}


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warm_caches: Path,
         request: pytest.FixtureRequest) -> Iterator[Path]:
    """A fresh, empty home and cache for this test only (CPO_LEARN_HOME, CPO_LEARN_CACHE_DIR), with no other
    cpo-learn settings: no test reads or writes another's caches, whatever the order or the worker. The cache
    starts as a copy of the built-in catalog's caches, unless the test is marked ``cold_cache``."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "home"
    monkeypatch.setenv("CPO_LEARN_HOME", str(folder))
    monkeypatch.setenv("CPO_LEARN_CACHE_DIR", str(tmp_path / "cache"))
    seed(tmp_path / "cache", warm_caches, request)
    yield folder


@pytest.fixture
def tracker(home: Path) -> Tracker:
    """The tracker of the test's home."""
    return Tracker(home)


@pytest.fixture
def ada(tracker: Tracker) -> str:
    """A learner, Ada, with a profile (education -> starting-roles, 6 h a week); returns her slug."""
    store = tracker.store("Ada Lovelace")
    store.save_profile(dict(ADA))
    return store.slug


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Run the command line like a user would: ``run("done", "x/y")``; stdout and stderr kept apart."""

    def invoke(*args: str, input: str | None = None, **env: Any) -> Result:
        runner = CliRunner()
        return runner.invoke(cli, list(args), input=input, env=env or None, catch_exceptions=False)

    return invoke
