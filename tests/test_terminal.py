"""A terminal that fits: tables cut to the width by display width (CJK names), --wide, colour only on a
terminal (NO_COLOR, --no-color, a pipe and --json turn it off), and nothing from content as control codes."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from cpo_learn.cli import options
from cpo_learn.cli.main import cli
from cpo_learn.rendering.text_table import FLEX_MIN, columns, table
from cpo_learn.terminal import ELLIPSIS, clip, colour_wanted, display_width, wrap

ANSI = re.compile("\x1b\\[[0-9;]*m")
CJK_NAME = "李雷与韩梅梅的产品经理成长之路 Lovelace"


def lines_of(text: str) -> list[str]:
    return [ANSI.sub("", line) for line in text.splitlines()]


def make_learner(name: str = CJK_NAME, *extra: str) -> None:
    result = CliRunner().invoke(cli, ["init", "--name", name, "--stage", "starting-roles", "--hours", "6", *extra])
    assert result.exit_code == 0, result.output


def test_display_width_counts_wide_letters_twice_and_combining_marks_not_at_all() -> None:
    assert display_width("ada") == 3
    assert display_width("李雷") == 4
    assert display_width("e\u0301") == 1
    assert clip("李雷李雷", 5) == "李雷" + ELLIPSIS and display_width(clip("李雷李雷", 5)) == 5
    assert clip("short", 10) == "short"


@pytest.mark.parametrize("width", [60, 80, 120])
def test_a_table_with_cjk_names_fits_the_width_and_aligns_by_display_width(width: int) -> None:
    rows = [["starting-roles/defining-an-mvp", "12", "started", CJK_NAME * 2],
            ["education/how-software-is-built", "45", "planned", "Learn how software is built, end to end"]]
    text = table(rows, columns(["id", "hours", "status", "title"], flex=["title"]), width=width)
    shown = text.splitlines()
    assert all(display_width(line) <= width for line in shown)
    # the status column starts at the same display column on every line: aligned by display width
    starts = {display_width(line[:line.index(word)]) for line, word in zip(shown[2:], ["started", "planned"],
                                                                             strict=True)}
    assert len(starts) == 1
    assert shown[2].endswith(ELLIPSIS)  # the long CJK title is cut, with an ellipsis


def test_without_a_width_a_table_is_whole() -> None:
    rows = [["x", CJK_NAME * 3]]
    assert CJK_NAME * 3 in table(rows, columns(["id", "title"], flex=["title"]))


@given(st.lists(st.lists(st.text(min_size=0, max_size=30), min_size=3, max_size=3), min_size=1, max_size=6),
       st.integers(min_value=3 * FLEX_MIN + 4, max_value=160))
def test_every_line_fits_when_the_width_allows_the_minimum(rows: list[list[str]], width: int) -> None:
    headers = columns(["a", "b", "c"], flex=["a", "b", "c"])
    for line in table(rows, headers, width=width).splitlines():
        assert display_width(line) <= width
        assert "\x1b" not in line and "\n" not in line  # cells are escaped before they are measured


def test_wrap_breaks_between_words_only() -> None:
    text = "Forecast: at your pace you finish on 2031-05-13; at 6 h a week on 2030-12-24"
    wrapped = wrap(text, 30).splitlines()
    assert all(display_width(line) <= 30 for line in wrapped)
    assert " ".join(part.strip() for part in wrapped) == text


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("command", [["next"], ["log"], ["progress"], ["learners"], ["modules"], ["stages"],
                                     ["milestones"], ["report"]])
def test_tabular_commands_fit_the_terminal(width: int, command: list[str]) -> None:
    make_learner()
    CliRunner().invoke(cli, ["start", "starting-roles/defining-an-mvp", "--note", CJK_NAME * 3])
    result = CliRunner().invoke(cli, command, env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    assert all(display_width(line) <= width for line in lines_of(result.stdout)), result.stdout


def test_wide_shows_long_cells_whole_before_or_after_the_command() -> None:
    make_learner()
    cut = CliRunner().invoke(cli, ["learners"], env={"COLUMNS": "60"}).stdout
    assert CJK_NAME not in cut and ELLIPSIS in cut
    for args in (["learners", "--wide"], ["--wide", "learners"]):
        whole = CliRunner().invoke(cli, args, env={"COLUMNS": "60"}).stdout
        assert CJK_NAME in whole and ELLIPSIS not in whole


def test_into_a_pipe_nothing_is_cut() -> None:
    make_learner()
    assert CJK_NAME in CliRunner().invoke(cli, ["learners"]).stdout


def test_control_characters_of_a_note_never_reach_the_terminal() -> None:
    make_learner("Ada")
    CliRunner().invoke(cli, ["start", "starting-roles/defining-an-mvp", "--note", "x\x1b]0;owned\x07 \u202eevil"])
    out = CliRunner().invoke(cli, ["log", "--wide"], env={"COLUMNS": "200"}).stdout
    assert "\x1b" not in out and "\u202e" not in out and "\\x1b" in out


def test_colour_wanted_rules() -> None:
    assert colour_wanted(on_terminal=True, environ={})
    assert not colour_wanted(on_terminal=False, environ={})
    assert not colour_wanted(on_terminal=True, environ={"NO_COLOR": "1"})
    assert colour_wanted(on_terminal=True, environ={"NO_COLOR": ""})  # only a non-empty value turns it off
    assert not colour_wanted(on_terminal=True, environ={}, refused=True)


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner whose stdout counts as a terminal (colour codes kept by click)."""
    monkeypatch.setattr(options, "stdout_is_terminal", lambda: True)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return CliRunner()


def test_statuses_and_bars_are_coloured_on_a_terminal(terminal: CliRunner) -> None:
    make_learner("Ada")
    terminal.invoke(cli, ["start", "education/how-software-is-built"])
    shown = terminal.invoke(cli, ["next"], color=True, env={"COLUMNS": "120"}).stdout
    assert "\x1b[33mstarted\x1b[0m" in shown  # a status in the table
    assert "\x1b[2m░" in terminal.invoke(cli, ["progress"], color=True).stdout  # the bars
    assert "\x1b[33mstarted\x1b[0m" in terminal.invoke(cli, ["log"], color=True).stdout  # an event type


@pytest.mark.parametrize("how", ["NO_COLOR", "--no-color before", "--no-color after", "--json"])
def test_colour_is_off_with_no_color_or_json(terminal: CliRunner, how: str) -> None:
    make_learner("Ada")
    terminal.invoke(cli, ["start", "education/how-software-is-built"])
    env = {"NO_COLOR": "1"} if how == "NO_COLOR" else {}
    args = {"--no-color before": ["--no-color", "next"], "--no-color after": ["next", "--no-color"],
            "--json": ["next", "--json"]}.get(how, ["next"])
    result = terminal.invoke(cli, args, color=True, env=env)
    assert result.exit_code == 0 and "\x1b" not in result.stdout


def test_colour_is_off_into_a_pipe() -> None:
    make_learner("Ada")
    CliRunner().invoke(cli, ["start", "starting-roles/defining-an-mvp"])
    assert "\x1b" not in CliRunner().invoke(cli, ["next"], color=True).stdout
    assert "\x1b" not in CliRunner().invoke(cli, ["progress"], color=True).stdout
