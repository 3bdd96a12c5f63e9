"""The README's set-up and tour run as written, in order, for a new user: every command exits 0."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpo_learn.cli.main import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(heading: str) -> str:
    start = README.index(f"\n## {heading}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end != -1 else None]


def commands(text: str) -> list[list[str]]:
    """The commands of the indented code blocks in ``text``: continuation lines joined, comments dropped."""
    block = "\n".join(line[4:] for line in text.splitlines() if line.startswith("    "))
    found = []
    for line in block.replace("\\\n", " ").splitlines():
        for part in line.split("&&"):
            words = shlex.split(part, comments=True)
            if words:
                found.append(words)
    return found


def test_the_set_up_puts_cpo_learn_on_the_path_before_calling_it() -> None:
    for words in commands(section("Set up")):
        if words[0] == "cpo-learn":
            pytest.fail("the set-up calls cpo-learn before activating the venv")
        if words[:2] in (["source", ".venv/bin/activate"], [".", ".venv/bin/activate"]):
            break
    else:
        pytest.fail("the set-up never activates the venv (the tour calls plain 'cpo-learn')")


def test_the_tour_runs_as_written(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "curricula" / "examples", tmp_path / "curricula" / "examples")
    tour = [words for words in commands(section("Set up")) if words[0] == "cpo-learn"]
    tour += commands(section("A tour").split("\n### ")[0])  # the tour, not the completion set-up after it
    assert len(tour) > 20 and all(words[0] == "cpo-learn" for words in tour)
    for words in tour:
        result = CliRunner().invoke(cli, words[1:])
        assert result.exit_code == 0, f"{shlex.join(words)}: {result.output}"
    assert (tmp_path / "curricula" / "ada.md").is_file() and (tmp_path / "ada.json").is_file()
    assert re.search(r"imported 0 new events", CliRunner().invoke(cli, ["import", "ada.json"]).output)
