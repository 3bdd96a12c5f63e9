"""``cpo-learn init``: every field a flag, prompts only on a terminal, one-line validation errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cpo_learn.cli.main import cli
from helpers import app_for_home

ADA = ["init", "--name", "Ada", "--stage", "starting-roles", "--hours", "6", "--skill", "analytics=4"]


def stored(home: Path, learner: str) -> dict:
    stored_profile = app_for_home(home).tracker.store(learner).load_profile()
    assert stored_profile is not None
    return stored_profile.to_mapping()


def test_flags_create_a_profile_without_prompting(runner: CliRunner, home: Path) -> None:
    result = runner.invoke(
        cli,
        [
            *ADA,
            "--target",
            "leadership",
            "--start",
            "2026-02-01",
            "--target-date",
            "2029-12-31",
            "--skill",
            "leadership=2",
            "--degree",
            "engineering",
            "--mba",
            "--company-size",
            "startup",
            "--company-size",
            "large",
            "--function",
            "engineering",
            "--resource-kind",
            "book",
            "--free-only",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Created the profile of Ada (learner 'ada')" in result.output
    data = stored(home, "ada")
    assert data["skills"] == {"analytics": 4, "leadership": 2}
    assert (
        data["target"] == "leadership"
        and data["start"] == "2026-02-01"
        and data["target_date"] == "2029-12-31"
    )
    assert data["background"] == {"degree": "engineering", "mba": True}
    assert data["experience"] == {"company_sizes": ["startup", "large"], "functions": ["engineering"]}
    assert data["resource_kinds"] == ["book"] and data["free_only"] is True


def test_then_generate_writes_the_learners_curriculum(runner: CliRunner) -> None:
    assert runner.invoke(cli, ADA).exit_code == 0
    result = runner.invoke(cli, ["generate"])
    assert result.exit_code == 0, result.output
    assert Path("curricula/ada.md").read_text().startswith("# Curriculum for Ada")


def test_off_a_terminal_missing_fields_are_an_error_not_a_prompt(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["init", "--name", "Ada"], input="mid-level\n6\n")
    assert result.exit_code == 2
    assert "missing --stage, --hours" in result.output and "does not ask" in result.output


def test_update_changes_only_the_given_fields(runner: CliRunner, home: Path) -> None:
    assert runner.invoke(cli, ADA).exit_code == 0
    result = runner.invoke(cli, ["init", "--hours", "8", "--skill", "empathy=3"])
    assert result.exit_code == 0, result.output
    assert "Updated the profile of Ada" in result.output
    data = stored(home, "ada")
    assert data["hours_per_week"] == 8 and data["stage"] == "starting-roles"
    assert data["skills"] == {"analytics": 4, "empathy": 3}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--hours", "0"], "hours_per_week must be from 0.5 to 80 (got 0)"),
        (["--hours", "90"], "from 0.5 to 80 (got 90)"),
        (["--skill", "analytics=7"], "skill 'analytics' rating must be a whole number from 0 to 5 (got 7)"),
        (["--skill", "analytic=3"], "unknown skill 'analytic'; did you mean 'analytics'?"),
        (["--skill", "analytics"], "--skill takes SKILL=RATING"),
        (["--stage", "mid-levle"], "unknown stage 'mid-levle'; did you mean 'mid-level'?"),
        (
            ["--start", "2026-05-01", "--target-date", "2026-01-01"],
            "target_date 2026-01-01 is before the start date",
        ),
    ],
)
def test_invalid_values_are_one_line_usage_errors(runner: CliRunner, args: list[str], message: str) -> None:
    result = runner.invoke(cli, [*ADA, *args])
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_on_a_terminal_it_asks_only_for_what_flags_left_out(
    runner: CliRunner,
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("cpo_learn.cli.skill_prompt.on_terminal", lambda: True)
    answers = [
        "mid-level",  # current stage
        "",  # target: default cpo
        "",  # start: default today
        "2030-01-31",  # target date
        *["3"] * 7,  # the seven skills not given as flags
        "business",  # degree
        "y",  # MBA
        "startup, large",  # company sizes
        "",  # functions
        "book course",  # resource kinds
        "n",  # free only
    ]
    result = runner.invoke(
        cli,
        ["init", "--name", "Ben", "--hours", "5", "--skill", "analytics=1"],
        input="\n".join(answers) + "\n",
    )
    assert result.exit_code == 0, result.output
    assert "Your name" not in result.output and "Hours a week" not in result.output
    assert "Your level for Analytical skills" not in result.output and "Your level for Empathy" in result.output
    data = stored(home, "ben")
    assert data["stage"] == "mid-level" and data["target"] == "cpo" and data["target_date"] == "2030-01-31"
    assert data["skills"]["analytics"] == 1 and data["skills"]["empathy"] == 3
    assert data["background"] == {"degree": "business", "mba": True}
    assert data["experience"]["company_sizes"] == ["startup", "large"]
    assert data["resource_kinds"] == ["book", "course"] and data["free_only"] is False


def test_several_learners_need_a_choice(runner: CliRunner) -> None:
    assert runner.invoke(cli, ADA).exit_code == 0
    assert runner.invoke(cli, ["init", "--new", "--name", "Ben", "--stage", "cpo", "--hours", "3"]).exit_code == 0
    result = runner.invoke(cli, ["init", "--hours", "4"])
    assert result.exit_code == 2 and "several learners in this home (ada, ben)" in result.output
    assert runner.invoke(cli, ["--learner", "ben", "init", "--hours", "4"]).exit_code == 0
