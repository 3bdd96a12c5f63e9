"""Fixtures for the LRS tests: a real Ralph LRS on 127.0.0.1 (see ``tests/lrs_server.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lrs_server import LrsUnavailable, RalphServer, ensure_venv, running_server


@pytest.fixture(scope="session")
def lrs_python() -> Path:
    """The python of the Ralph venv, built once per cache (the tests skip, saying why, if it cannot be)."""
    try:
        return ensure_venv()
    except LrsUnavailable as exc:
        print(f"skipping the real-LRS tests: {exc}")
        pytest.skip(f"Ralph LRS cannot be installed here: {exc}")


@pytest.fixture
def ralph(lrs_python: Path, tmp_path: Path) -> Iterator[RalphServer]:
    """A Ralph LRS on a free 127.0.0.1 port, basic auth, over a fresh store; stopped after the test."""
    # Installed but failing to start is a failure, not a skip.
    yield from running_server(tmp_path / "lrs")
