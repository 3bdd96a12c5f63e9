"""The example curricula in curricula/examples/ are what the current code generates from their profiles.

Refresh them after a deliberate change with:

    CPO_LEARN_UPDATE_EXAMPLES=1 python -m pytest tests/test_examples.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpo_learn.cli.main import cli

EXAMPLES = Path(__file__).resolve().parent.parent / "curricula" / "examples"
TODAY = "2026-01-05"
PROFILES = sorted(EXAMPLES.glob("*.toml"))


def test_there_are_three_example_profiles() -> None:
    assert [p.stem for p in PROFILES] == ["mid-level-pm", "new-graduate", "vp-product"]


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("profile", PROFILES, ids=[p.stem for p in PROFILES])
def test_example_is_current(runner: CliRunner, profile: Path, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"{profile.stem}.{fmt}"
    result = runner.invoke(cli, ["generate", "--profile", str(profile), "--today", TODAY, "-o", str(out)])
    assert result.exit_code == 0, result.output
    committed = EXAMPLES / out.name
    if os.environ.get("CPO_LEARN_UPDATE_EXAMPLES"):
        committed.write_bytes(out.read_bytes())
    assert committed.exists(), f"{committed} is missing: run CPO_LEARN_UPDATE_EXAMPLES=1 pytest {__file__}"
    assert out.read_bytes() == committed.read_bytes(), (
        f"{committed.name} is out of date: run "
        "CPO_LEARN_UPDATE_EXAMPLES=1 python -m pytest tests/test_examples.py "
        "and review the diff"
    )
