"""Fixtures for the LRS tests: a real Ralph LRS on 127.0.0.1 (see ``tests/lrs_server.py``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import Result

from lrs.lrs_story import ADA, BASICS, SIDE_PROJECT, SOFTWARE, TALKING, TEARDOWNS
from lrs_server import LrsUnavailable, RalphServer, ensure_venv, running_server


@pytest.fixture(scope="session")
def lrs_python() -> Path:
    """The python of the Ralph venv, built once per cache (the tests skip, saying why, if it cannot be)."""
    try:
        return ensure_venv()
    except LrsUnavailable as exc:
        print(f"skipping the real-LRS tests: {exc}")
        pytest.skip(f"Ralph LRS cannot be installed here: {exc}")


@pytest.fixture(scope="session")
def ralph_server(lrs_python: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RalphServer]:
    """One Ralph LRS for the session, on a free 127.0.0.1 port with basic auth (starting one costs ~2 s)."""
    # Installed but failing to start is a failure, not a skip.
    with running_server(tmp_path_factory.mktemp("ralph")) as server:
        yield server


@pytest.fixture
def ralph(ralph_server: RalphServer) -> RalphServer:
    """The session's Ralph, showing only the statements stored during this test. Statement ids are event ids
    (fresh UUIDs in every test), so no test's statements can meet another's."""
    ralph_server.mark()
    return ralph_server


@pytest.fixture
def ada(home: Path) -> str:
    """A learner, Ada, with a profile (education -> starting-roles, 6 h a week) and nothing recorded yet."""
    from cpo_learn.tracking.tracker import Tracker

    store = Tracker(home).store("Ada Lovelace")
    store.save_profile(dict(ADA))
    return store.slug


@pytest.fixture
def rich_history(ada: str, run: Callable[..., Result]) -> str:
    """Every event type Ada can record, with notes, a reason, evidence, an --on day and an undo."""
    for args in (("start", BASICS), ("done", BASICS, "--note", 'liked "Lean Analytics"\nand the café study',
                                     "--on", "2026-01-15"),
                 ("waive", TALKING, "--reason", "ran 40 interviews at my last job"), ("skip", TEARDOWNS),
                 ("reopen", TEARDOWNS), ("achieve", SIDE_PROJECT, "--evidence", "https://github.com/ada/habit-app"),
                 ("done", SOFTWARE), ("undo",)):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
    return ada
