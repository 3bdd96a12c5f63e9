"""Organisation plugins: adjusting a plan (cpo_learn_adjust_plan) and overriding templates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from cpo_learn.cli.main import cli
from cpo_learn.planning.planner import make_plan
from cpo_learn.planning.profile import Profile
from cpo_learn.planning.state import EMPTY_STATE, Status

TODAY = date(2026, 1, 5)
PROFILE = """\
name = "Ada"
stage = "mid-level"
target = "mid-level"
hours_per_week = 6
[skills]
analytics = 4
"""


@pytest.fixture
def plan(catalog):
    profile = Profile(name="Ada", stage="mid-level", target="mid-level", hours_per_week=6)
    return make_plan(catalog, profile, EMPTY_STATE, TODAY)


def test_with_required_adds_a_module_after_its_prerequisites(plan) -> None:
    changed = plan.with_required("cpo/board-and-executive-team", reason="mandatory at Acme")
    entry = changed.entry("cpo/board-and-executive-team")
    assert entry is not None and entry.status is Status.PLANNED and entry.reason == "mandatory at Acme"
    assert changed.order_problems() == []
    # its prerequisites that were missing came with it
    for pre in (
        "leadership/managing-up-and-executive-communication",
        "cpo/financial-literacy-for-product-leaders",
    ):
        assert changed.entry(pre) is not None
    assert changed.finish is not None and plan.finish is not None and changed.finish > plan.finish
    assert plan.entry("cpo/board-and-executive-team") is None  # plans are values: the original is unchanged


def test_without_lists_removed_modules_and_reschedules(plan) -> None:
    changed = plan.without("mid-level/continuous-discovery", reason="covered by Acme's own course")
    assert changed.entry("mid-level/continuous-discovery") is None
    assert [(r.module.id, r.reason) for r in changed.removed] == [
        ("mid-level/continuous-discovery", "covered by Acme's own course")
    ]
    assert changed.remaining_hours == plan.remaining_hours - 24


def test_reordered_moves_modules_first(plan) -> None:
    last = [e.id for e in plan.entries if e.to_do][-1]
    changed = plan.reordered([last])
    assert changed.entries[0].id == last
    assert changed.entries[0].week == 1


def write_plugin(root: Path, source: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "acme_policy.py").write_text(source)
    return root


def run(runner: CliRunner, plugins: Path, tmp_path: Path, *args: str):
    profile = tmp_path / "ada.toml"
    profile.write_text(PROFILE)
    return runner.invoke(
        cli,
        [
            "--plugins-dir",
            str(plugins),
            "generate",
            "--profile",
            str(profile),
            "--today",
            "2026-01-05",
            "-o",
            "-",
            *args,
        ],
    )


def test_adjust_plan_hook_changes_the_curriculum(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CPO_LEARN_LOAD_PLUGINS", raising=False)
    plugins = write_plugin(
        tmp_path / "plugins",
        """
import cpo_learn

@cpo_learn.hookimpl
def cpo_learn_adjust_plan(plan, profile):
    plan = plan.with_required("cpo/board-and-executive-team", reason="mandatory at Acme")
    return plan.without("mid-level/continuous-discovery", reason="Acme runs its own discovery course")
""",
    )
    result = run(runner, plugins, tmp_path)
    assert result.exit_code == 0, result.output
    assert "`cpo/board-and-executive-team`" in result.output and "Why: mandatory at Acme" in result.output
    assert "## Left out by your organisation" in result.output
    assert "`mid-level/continuous-discovery`" not in result.output


def test_adjust_plan_that_breaks_prerequisite_order_is_an_error_naming_the_plugin(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CPO_LEARN_LOAD_PLUGINS", raising=False)
    plugins = write_plugin(
        tmp_path / "plugins",
        """
import cpo_learn

@cpo_learn.hookimpl
def cpo_learn_adjust_plan(plan, profile):
    return plan.reordered(["mid-level/product-vision-and-strategy", "mid-level/continuous-discovery"])
""",
    )
    result = run(runner, plugins, tmp_path)
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: plugin 'acme-policy': cpo_learn_adjust_plan made an invalid plan: "
        "'mid-level/product-vision-and-strategy' comes before its prerequisite"
    )
    assert "Traceback" not in result.output


def test_adjust_plan_that_raises_is_reported_and_ignored(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CPO_LEARN_LOAD_PLUGINS", raising=False)
    plugins = write_plugin(
        tmp_path / "plugins",
        """
import cpo_learn

@cpo_learn.hookimpl
def cpo_learn_adjust_plan(plan, profile):
    raise RuntimeError("policy server down")
""",
    )
    result = run(runner, plugins, tmp_path)
    assert result.exit_code == 0
    assert (
        "plugin 'acme-policy': cpo_learn_adjust_plan raised RuntimeError: policy server down" in result.output
    )


def test_template_dirs_override_and_extend_the_builtins(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CPO_LEARN_LOAD_PLUGINS", raising=False)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "curriculum.md.j2").write_text(
        '{% extends "default:curriculum.md.j2" %}\n{% block summary %}ACME LEARNING POLICY\n\n{{ super() }}'
        "{% endblock %}\n"
    )
    plugins = write_plugin(
        tmp_path / "plugins",
        f"""
import cpo_learn

@cpo_learn.hookimpl
def cpo_learn_template_dirs():
    return [{str(templates)!r}]
""",
    )
    result = run(runner, plugins, tmp_path)
    assert result.exit_code == 0, result.output
    assert "ACME LEARNING POLICY\n\n## Summary" in result.output
    assert "## Schedule" in result.output


def test_a_plugin_adds_an_exporter(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CPO_LEARN_LOAD_PLUGINS", raising=False)
    plugins = write_plugin(
        tmp_path / "plugins",
        """
import cpo_learn

def render_ids(plan, context):
    return "\\n".join(e.id for e in plan.entries if e.to_do) + "\\n"

@cpo_learn.hookimpl
def cpo_learn_register_exporters(register):
    register("ids", ".ids", render_ids)
    register("md", ".md", render_ids)  # taken by the built-in: reported, not replaced
""",
    )
    profile = tmp_path / "ada.toml"
    profile.write_text(PROFILE)
    result = runner.invoke(
        cli, ["--plugins-dir", str(plugins), "generate", "--profile", str(profile), "-o", "plan.ids"]
    )
    assert result.exit_code == 0, result.output
    assert Path("plan.ids").read_text().splitlines()[0].count("/") == 1
    assert "exporter 'md' is already registered by plugin 'exporters'" in result.output
