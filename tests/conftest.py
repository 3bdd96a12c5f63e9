"""Shared fixtures: every test gets its own home and working directory; nothing touches the user's data."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cpo_learn.app import App
from cpo_learn.catalog import Catalog
from cpo_learn.plugins import PluginHost
from cpo_learn.state import ItemState, LearnerState

BUILTIN_PLUGINS = (
    "education,starting-roles,mid-level,leadership,cpo,continuous-learning,diversify-experience,mentorship"
)
ENV_VARS = (
    "CPO_LEARN_HOME",
    "CPO_LEARN_LEARNER",
    "CPO_LEARN_PLUGINS_DIR",
    "CPO_LEARN_LOAD_PLUGINS",
    "CPO_LEARN_DISABLE_PLUGINS",
    "CPO_LEARN_STRICT_PLUGINS",
    "CPO_LEARN_TRACE_PLUGINS",
)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh home (CPO_LEARN_HOME) and working directory for every test; only the built-in plugins."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    monkeypatch.setenv("CPO_LEARN_HOME", str(home))
    monkeypatch.setenv("CPO_LEARN_LOAD_PLUGINS", BUILTIN_PLUGINS)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return home


@pytest.fixture
def runner() -> CliRunner:
    """A click test runner."""
    return CliRunner()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The catalog of the built-in plugins (built once: it is immutable)."""
    host = PluginHost(env={"CPO_LEARN_LOAD_PLUGINS": BUILTIN_PLUGINS})
    host.load()
    return host.catalog()


# -- the learner store -----------------------------------------------------------------------------------
# The store is the tracking work's (issue 5). Until it is merged, these tests run against a small stand-in
# with the same interface (briefs/interfaces.md); once ``cpo_learn.tracker`` exists they use the real one.

EVENT_STATUS = {"started": "started", "completed": "done", "skipped": "skipped", "waived": "waived"}


class FakeStore:
    """A JSON file per learner with the methods of ``LearnerStore`` that planning needs."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, Any]:
        return json.loads(self.path.read_text()) if self.path.exists() else {}

    def _write(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(data))

    def load_profile(self) -> dict[str, Any] | None:
        profile: dict[str, Any] | None = self._read().get("profile")
        return profile

    def save_profile(self, data: dict[str, Any]) -> None:
        json.dumps(data)  # the interface promises JSON-safe data
        self._write({**self._read(), "profile": data})

    def record(self, type: str, target: str, note: str | None = None, on: date | None = None) -> None:
        data = self._read()
        events = data.setdefault("events", [])
        events.append({"type": type, "target": target, "note": note, "on": on.isoformat() if on else None})
        self._write(data)

    def state(self) -> LearnerState:
        modules: dict[str, ItemState] = {}
        milestones: dict[str, ItemState] = {}
        for event in self._read().get("events", []):
            on = date.fromisoformat(event["on"]) if event["on"] else None
            if event["type"] == "milestone_achieved":
                milestones[event["target"]] = ItemState("achieved", on, event["note"])
            else:
                modules[event["target"]] = ItemState(EVENT_STATUS[event["type"]], on, event["note"])
        return LearnerState(modules=modules, milestones=milestones)


class FakeTracker:
    """``Tracker``'s learner listing and resolution over ``FakeStore`` files."""

    def __init__(self, home: Path) -> None:
        self.home = home

    def learners(self) -> list[str]:
        folder = self.home / "learners"
        return sorted(p.stem for p in folder.glob("*.json")) if folder.is_dir() else []

    def resolve_learner(self, option: str | None) -> str:
        from cpo_learn.errors import CpoLearnError

        if option:
            return option
        known = self.learners()
        if len(known) == 1:
            return known[0]
        if not known:
            raise CpoLearnError("no learner yet: run 'cpo-learn init'")
        raise CpoLearnError(f"several learners ({', '.join(known)}): choose one with --learner")

    def store(self, learner: str) -> FakeStore:
        return FakeStore(self.home / "learners" / f"{learner}.json")


@pytest.fixture
def learner_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make ``App.tracker``/``App.learner`` available: the real tracker if installed, else the stand-in."""
    try:
        import cpo_learn.tracker  # noqa: F401
    except ImportError:
        monkeypatch.setattr(App, "tracker", property(lambda self: FakeTracker(self.home)), raising=False)
        monkeypatch.setattr(
            App, "learner", lambda self: self.tracker.resolve_learner(self.learner_option), raising=False
        )
    yield


def app_for_home(home: Path) -> App:
    """An App on a home, as the CLI would build it."""
    return App(home_option=str(home))
