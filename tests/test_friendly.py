"""Friendly commands: a suggestion for an unknown command, --home and --learner on either side of the command,
init's answers checked where they are given, Ctrl-C, -o naming a folder, --force, and shell completion."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.shell_completion import ShellComplete
from click.testing import CliRunner

from cpo_learn.cli.commands import init as init_cmd
from cpo_learn.cli.main import INTERRUPTED, cli


def invoke(*args: str, input: str | None = None) -> click.testing.Result:
    return CliRunner().invoke(cli, list(args), input=input)


def make_learner(name: str = "Ada", *extra: str) -> None:
    result = invoke("init", "--name", name, "--stage", "starting-roles", "--hours", "6", *extra)
    assert result.exit_code == 0, result.output


def test_an_unknown_command_suggests_the_closest() -> None:
    result = invoke("progres")
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: no such command 'progres'; did you mean 'progress'?"


def test_an_unknown_command_with_nothing_close_points_to_the_list() -> None:
    result = invoke("zzzzqqq")
    assert result.exit_code == 2 and "no such command 'zzzzqqq'" in result.stderr
    assert "cpo-learn --help" in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("place", ["before", "after"])
def test_learner_and_home_work_before_or_after_the_command(place: str, tmp_path: Path) -> None:
    other = tmp_path / "other-home"
    result = invoke("--home", str(other), "init", "--name", "Finn", "--stage", "mid-level", "--hours", "4")
    assert result.exit_code == 0, result.output
    make_learner("Ada")  # in the default home: Finn is only in the other one
    options = ["--home", str(other), "--learner", "finn"]
    args = [*options, "progress", "--json"] if place == "before" else ["progress", "--json", *options]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["learner"] == "finn"


def test_an_option_given_twice_with_different_values_is_one_line() -> None:
    make_learner("Ada")
    make_learner("Finn", "--new")
    result = invoke("--learner", "ada", "progress", "--learner", "finn")
    assert result.exit_code == 2
    assert "--learner is given twice, 'ada' before the command and 'finn' after it" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert invoke("--learner", "ada", "progress", "--learner", "ada").exit_code == 0  # the same: fine


def test_the_environment_is_overridden_by_the_option_after_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    make_learner("Ada")
    make_learner("Finn", "--new")
    monkeypatch.setenv("CPO_LEARN_LEARNER", "ada")
    assert json.loads(invoke("progress", "--json", "--learner", "finn").stdout)["learner"] == "finn"


def test_init_asks_again_at_each_wrong_answer(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    monkeypatch.setattr(init_cmd, "on_terminal", lambda: True)
    answers = [
        "...", "Ada",  # name: no letter, then a name
        "mid", "mid-level",  # stage: unknown, then one
        "education", "",  # target: before the current stage, then the default (cpo)
        "500", "six", "6",  # hours: too many, not a number, then fine
        "01/02/2026", "2020-01-06",  # start: not a date, then a date
        "2019-06-01", "2021-01-01", "",  # target date: before the start, in the past, then none
        *[""] * 8,  # skills
        "arts", "",  # degree: unknown, then none
        "",  # MBA
        "tiny, startup", "startup",  # company sizes: one unknown, then fine
        "Customer Service!", "customer-service",  # functions: not a word, then fine
        "books", "book",  # resource kinds: unknown (did you mean?), then fine
        "",  # free only
    ]
    result = CliRunner().invoke(cli, ["init"], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    for message in ("has no letter or digit", "unknown stage 'mid'", "comes before your current stage",
                    "hours_per_week must be", "must be a date", "is before the start date", "is in the past",
                    "unknown degree 'arts'",
                    "unknown company_sizes value 'tiny'", "must be lower-case words",
                    "unknown resource_kinds value 'books'; did you mean 'book'?"):
        assert message in result.output, message
    data = json.loads((home / "learners" / "ada.json").read_text(encoding="utf-8"))["profile"]["1"]
    assert data["stage"] == "mid-level" and data["target"] == "cpo" and data["hours_per_week"] == 6
    assert data["experience"]["company_sizes"] == ["startup"] and data["resource_kinds"] == ["book"]


def test_ctrl_c_at_a_prompt_exits_130_and_saves_nothing(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    monkeypatch.setattr(init_cmd, "on_terminal", lambda: True)

    def ctrl_c(prompt: str, **options: object) -> object:
        try:  # what click.prompt does when the user presses Ctrl-C at a question
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise click.Abort() from None

    monkeypatch.setattr(click, "prompt", ctrl_c)
    result = CliRunner().invoke(cli, ["init", "--name", "Ada"], input="")
    assert result.exit_code == INTERRUPTED == 130
    assert "Interrupted (Ctrl-C)" in result.stderr and "Traceback" not in result.output
    assert not (home / "learners").exists() or not list((home / "learners").iterdir())


def test_ctrl_c_anywhere_exits_130(monkeypatch: pytest.MonkeyPatch) -> None:
    make_learner()
    import cpo_learn.app.progress as progress_app

    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(progress_app, "learner_progress", interrupt)
    result = invoke("progress")
    assert result.exit_code == 130 and result.stderr.strip().endswith("nothing was half-saved")


def test_the_end_of_input_at_a_prompt_is_one_line(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    monkeypatch.setattr(init_cmd, "on_terminal", lambda: True)
    result = CliRunner().invoke(cli, ["init", "--name", "Ada"], input="mid-level\n")
    assert result.exit_code == 1 and "the input ended" in result.stderr
    assert not (home / "learners" / "ada.json").exists()


@pytest.mark.parametrize("folder", ["out/", "existing"])
def test_generate_into_a_folder_writes_the_default_file_name(tmp_path: Path, folder: str) -> None:
    make_learner()
    (tmp_path / "existing").mkdir()
    result = invoke("generate", "--format", "html", "-o", folder)
    assert result.exit_code == 0, result.output
    assert (tmp_path / folder.rstrip("/") / "ada.html").is_file()


def test_generate_with_a_suffix_of_another_format_needs_force(tmp_path: Path) -> None:
    make_learner()
    result = invoke("generate", "--format", "html", "-o", "plan.md")
    assert result.exit_code == 2 and "--force" in result.stderr and "plan.html" in result.stderr
    assert not (tmp_path / "plan.md").exists()
    assert invoke("generate", "--format", "html", "-o", "plan.md", "--force").exit_code == 0
    assert (tmp_path / "plan.md").read_text(encoding="utf-8").lstrip().startswith("<!")
    assert invoke("generate", "--format", "md", "-o", "plan.txt").exit_code == 0  # .txt is no format's


def test_export_over_an_existing_file_or_with_another_suffix_needs_force(tmp_path: Path) -> None:
    make_learner()
    assert invoke("export", "-o", "ada.json").exit_code == 0
    backup = (tmp_path / "ada.json").read_text(encoding="utf-8")
    again = invoke("export", "--format", "csv", "-o", "ada.json")
    assert again.exit_code == 2 and "--force" in again.stderr and len(again.stderr.strip().splitlines()) == 1
    assert invoke("export", "-o", "ada.json").exit_code == 2  # same format, still an existing file
    assert (tmp_path / "ada.json").read_text(encoding="utf-8") == backup
    assert invoke("export", "-o", "ada.json", "--force").exit_code == 0


def test_export_into_a_folder(tmp_path: Path) -> None:
    make_learner()
    assert invoke("export", "-o", "backups/").exit_code == 0
    assert invoke("export", "--format", "csv", "-o", "backups").exit_code == 0
    assert invoke("export", "--format", "xapi", "-o", "backups/").exit_code == 0
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == ["ada.csv", "ada.json", "ada.xapi.json"]


def completions(args: list[str], incomplete: str) -> list[str]:
    return [item.value for item in ShellComplete(cli, {}, "cpo-learn", "_CPO_LEARN_COMPLETE")
            .get_completions(args, incomplete)]


def test_completion_of_commands_ids_stages_learners_and_formats() -> None:
    make_learner()
    assert "progress" in completions([], "prog")
    assert "mid-level/continuous-discovery" in completions(["done"], "mid-level/cont")
    assert all(v.startswith("mid-level/") for v in completions(["start"], "mid-level/"))
    milestones = completions(["achieve"], "starting-roles/")
    assert "starting-roles/scoped-and-shipped-an-mvp" in milestones
    assert completions(["init", "--stage"], "lead") == ["leadership"]
    assert "mentorship" in completions(["modules", "--stage"], "men")
    assert completions(["--learner"], "a") == ["ada"]
    assert completions(["progress", "--learner"], "") == ["ada"]
    assert {"md", "html", "json", "ics"} <= set(completions(["generate", "--format"], ""))
    assert "--wide" in completions(["next"], "--w")


def test_completion_never_fails_without_a_home_or_a_learner(tmp_path: Path) -> None:
    assert completions(["--home", str(tmp_path / "nowhere"), "progress", "--learner"], "") == []
    assert completions(["--learner"], "") == []
    assert "mid-level/continuous-discovery" in completions(["--home", str(tmp_path / "nowhere"), "done"],
                                                           "mid-level/cont")
