"""``cpo-learn generate``: a curriculum in Markdown, HTML and JSON, from a profile file or the store."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpo_learn.cli.main import cli
from helpers import app_for_home

EXAMPLES = Path(__file__).resolve().parent.parent / "curricula" / "examples"
TASK_LINE = re.compile(r"^\s*[-*] \[( |x|X)\] .*?`([a-z0-9-]+/[a-z0-9-]+)`")
ADA = """\
name = "Ada Lovelace"
stage = "starting-roles"
hours_per_week = 6
start = 2026-03-02
target_date = 2027-12-31
[skills]
analytics = 5
"""


def task_ids(markdown: str) -> dict[str, str]:
    """Ids on task lines, as `sync` reads them (the rule of briefs/interfaces.md), with their box.

    A module of "The next four weeks" has a second task line there; every other id has exactly one."""
    found: dict[str, str] = {}
    soon, _, rest = markdown.partition("## The next four weeks")
    soon_part, _, rest = rest.partition("\n## ")
    soon_ids = {m.group(2): m.group(1) for m in map(TASK_LINE.match, soon_part.splitlines()) if m}
    for line in (soon + "\n## " + rest).splitlines():
        match = TASK_LINE.match(line)
        if match:
            assert match.group(2) not in found, f"{match.group(2)} is on two task lines"
            found[match.group(2)] = match.group(1)
    for item, box in soon_ids.items():
        assert found.get(item) == box, f"{item} of the next four weeks has no matching stage line"
    return found


@pytest.fixture
def ada(tmp_path: Path) -> Path:
    path = tmp_path / "ada.toml"
    path.write_text(ADA)
    return path


def generate(runner: CliRunner, *args: str, plugins_dir: Path | None = None) -> str:
    prefix = ["--plugins-dir", str(plugins_dir)] if plugins_dir else []
    result = runner.invoke(cli, [*prefix, "generate", "--today", "2026-03-01", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_profile_file_writes_markdown_under_curricula_by_default(runner: CliRunner, ada: Path) -> None:
    output = generate(runner, "--profile", str(ada))
    assert "Wrote curricula/ada-lovelace.md" in output
    text = Path("curricula/ada-lovelace.md").read_text()
    assert text.startswith("# Curriculum for Ada Lovelace")
    for heading in (
        "## Summary",
        "## The next four weeks",
        "## The path",
        "```mermaid",
        "## Schedule",
        "## Waived modules",
        "## Not fitted before your target date",
    ):
        assert heading in text


def test_every_module_and_milestone_of_the_plan_is_one_task_line(
    runner: CliRunner, ada: Path, catalog
) -> None:
    from cpo_learn.planning.planner import make_plan
    from cpo_learn.planning.profile import load_profile_toml
    from cpo_learn.planning.state import EMPTY_STATE

    text = generate(runner, "--profile", str(ada), "-o", "-")
    plan = make_plan(catalog, load_profile_toml(ada, catalog.stage_ids, catalog.skills), EMPTY_STATE, date(2026, 3, 1))
    expected = {e.id for e in plan.entries} | {m.id for m in plan.milestones}
    assert set(task_ids(text)) == expected
    for left in plan.not_fitted:  # not in the plan: listed, but never as a task line
        assert left.module.id in text and left.module.id not in task_ids(text)


def write_pack(root: Path, name: str, modules: dict[str, str]) -> Path:
    """A data-only content pack in ``root/name`` with the given module files (front matter + body)."""
    pack = root / name
    (pack / "modules").mkdir(parents=True)
    (pack / "pack.toml").write_text(
        f'name = "{name}"\nversion = "1.0"\ndescription = "Test pack."\nnamespace = "{name}"\n'
    )
    for slug, text in modules.items():
        (pack / "modules" / f"{slug}.md").write_text(text)
    return root


DASHBOARDS = """---
id: acme/dashboards
title: Build the team's dashboards
stage: starting-roles
kind: core
hours: 6
skills:
  analytics: 3
---
Build them.
"""


def test_analytics_rated_five_waives_analytics_only_modules_with_the_reason(
    runner: CliRunner,
    ada: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CPO_LEARN_LOAD_PLUGINS", raising=False)
    plugins = write_pack(tmp_path / "plugins", "acme", {"dashboards": DASHBOARDS})
    # strategic-thinking rated 0 (a rated skill is never assumed), so setting-first-okrs has a gap left
    ada.write_text(ADA + "strategic-thinking = 0\n")
    data = json.loads(
        generate(runner, "--profile", str(ada), "--format", "json", "-o", "-", plugins_dir=plugins)
    )
    modules = {m["id"]: m for s in data["stages"] for m in s["modules"]}
    assert modules["acme/dashboards"]["status"] == "waived"
    assert modules["acme/dashboards"]["reason"] == (
        "waived: you rate analytics 5, at or above the levels this module brings you to (analytics 3)"
    )
    # a module that needs analytics and another skill is still planned for the other skill
    assert modules["starting-roles/setting-first-okrs"]["status"] == "planned"


def test_suffix_implies_format_and_json_has_the_design_shape(runner: CliRunner, ada: Path) -> None:
    generate(runner, "--profile", str(ada), "-o", "out/plan.json")
    data = json.loads(Path("out/plan.json").read_text())
    assert {"learner", "stages", "total_hours", "finish", "not_fitted"} <= set(data)
    assert data["learner"] == "ada-lovelace"
    stage = data["stages"][0]
    assert {"id", "modules", "milestones"} <= set(stage)
    assert {"id", "status", "reason", "week", "start", "due", "hours"} <= set(stage["modules"][0])
    assert data["finish"] <= "2027-12-31" or data["not_fitted"]


def test_html_is_a_standalone_page_with_checkboxes_and_progress(runner: CliRunner, ada: Path) -> None:
    generate(runner, "--profile", str(ada), "--format", "html")
    page = Path("curricula/ada-lovelace.html").read_text()
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta name="viewport"' in page and "@media print" in page and "@media (max-width" in page
    assert '<input type="checkbox"' in page and "<progress" in page
    assert "<script" not in page.lower()


def test_two_runs_give_identical_bytes(runner: CliRunner, ada: Path) -> None:
    for fmt in ("md", "html", "json"):
        first = generate(runner, "--profile", str(ada), "--format", fmt, "-o", "-")
        assert generate(runner, "--profile", str(ada), "--format", fmt, "-o", "-") == first


def test_unknown_format_and_suffix_are_usage_errors(runner: CliRunner, ada: Path) -> None:
    result = runner.invoke(cli, ["generate", "--profile", str(ada), "--format", "htm"])
    assert result.exit_code == 2 and "unknown format 'htm'; did you mean 'html'?" in result.output
    result = runner.invoke(cli, ["generate", "--profile", str(ada), "-o", "plan.txt"])
    assert result.exit_code == 2 and "cannot tell the format" in result.output


def test_invalid_profile_file_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "B"\nstage = "mid-levle"\nhours_per_week = 5\n')
    result = runner.invoke(cli, ["generate", "--profile", str(bad)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"Error: {bad}: unknown stage 'mid-levle'; did you mean 'mid-level'? "
        "(use one of: education, starting-roles, mid-level, leadership, cpo)"
    ]


def test_stored_learner_with_progress(runner: CliRunner, home: Path) -> None:
    result = runner.invoke(
        cli,
        [
            "init",
            "--name",
            "Ada",
            "--stage",
            "starting-roles",
            "--hours",
            "6",
            "--skill",
            "analytics=4",
            "--start",
            "2026-03-02",
        ],
    )
    assert result.exit_code == 0, result.output
    store = app_for_home(home).tracker.store("ada")
    store.record(
        "completed", "starting-roles/product-discovery-fundamentals", note="loved it", on=date(2026, 3, 20)
    )
    store.record("skipped", "starting-roles/defining-an-mvp", on=date(2026, 3, 21))
    text = generate(runner, "-o", "-")
    boxes = task_ids(text)
    assert boxes["starting-roles/product-discovery-fundamentals"] == "x"
    assert boxes["starting-roles/defining-an-mvp"] == " "
    assert "done 2026-03-20" in text and "Your note: loved it" in text
    skipped = next(line for line in text.splitlines() if "`starting-roles/defining-an-mvp`" in line)
    assert skipped.startswith("- [ ] ~~**") and "skipped 2026-03-21" in skipped
    generate(runner)
    assert Path("curricula/ada.md").read_text() == text


def test_generate_without_a_learner_says_to_run_init(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["generate"])
    assert result.exit_code == 1 and "init" in result.output
    assert "Traceback" not in result.output


def test_help_has_an_example(runner: CliRunner) -> None:
    for command in ("generate", "init"):
        result = runner.invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and "Example:" in result.output


def test_generate_never_overwrites_unsynced_ticks(runner: CliRunner, home: Path) -> None:
    assert runner.invoke(cli, ["init", "--name", "Ada", "--stage", "starting-roles", "--hours", "6"]).exit_code == 0
    assert runner.invoke(cli, ["generate"]).exit_code == 0
    path = Path("curricula/ada.md")
    text = path.read_text()
    line = next(li for li in text.splitlines() if li.startswith("- [ ]") and "`starting-roles/" in li)
    path.write_text(text.replace(line, line.replace("- [ ]", "- [x]", 1)))
    edited = path.read_bytes()
    refused = runner.invoke(cli, ["generate"])
    assert refused.exit_code == 1
    assert "not recorded yet" in refused.stderr and "cpo-learn sync curricula/ada.md" in refused.stderr
    assert path.read_bytes() == edited
    assert runner.invoke(cli, ["sync", str(path)]).exit_code == 0
    assert runner.invoke(cli, ["generate"]).exit_code == 0
    assert runner.invoke(cli, ["generate", "--force"]).exit_code == 0
