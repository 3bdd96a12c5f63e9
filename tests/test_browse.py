"""Browsing the catalog: JSON shapes, help texts, unknown ids."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from cpo_learn.cli.main import BUILTIN_COMMANDS
from helpers import Invoke


def test_stages_json_in_path_order(run: Invoke) -> None:
    data = json.loads(run("stages", "--json").stdout)
    assert [s["id"] for s in data] == ["education", "starting-roles", "mid-level", "leadership", "cpo"]
    for stage in data:
        assert {"id", "title", "order", "summary"} <= set(stage)
        assert stage["summary"]


def test_modules_json_shape_and_filters(run: Invoke) -> None:
    everything = json.loads(run("modules", "--json").stdout)
    fields = {"id", "title", "stage", "track", "hours", "kind", "skills", "prerequisites", "resources", "plugin"}
    for module in everything:
        assert fields <= set(module)
    mid = json.loads(run("modules", "--stage", "mid-level", "--json").stdout)
    assert mid and all(m["stage"] == "mid-level" or m["track"] == "mid-level" for m in mid)
    analytics = json.loads(run("modules", "--skill", "analytics", "--json").stdout)
    assert analytics and all("analytics" in m["skills"] for m in analytics)
    track = json.loads(run("modules", "--stage", "mentorship", "--json").stdout)
    assert track and all(m["track"] == "mentorship" for m in track)


def test_milestones_json_shape(run: Invoke) -> None:
    data = json.loads(run("milestones", "--json").stdout)
    for milestone in data:
        assert {"id", "title", "stage", "criteria", "requires", "plugin"} <= set(milestone)


def test_plugins_json_shape(run: Invoke) -> None:
    for plugin in json.loads(run("plugins", "--json").stdout):
        assert {"name", "version", "source", "hooks", "registered", "error"} <= set(plugin)


def test_listing_human_output(run: Invoke) -> None:
    result = run("modules", "--stage", "cpo")
    assert result.exit_code == 0
    assert "cpo/company-product-strategy" in result.stdout
    assert "modules," in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("modules", "--stage", "mid"), "unknown stage 'mid'; did you mean 'mid-level'?"),
    (("modules", "--skill", "analytic"), "unknown skill 'analytic'; did you mean 'analytics'?"),
    (("milestones", "--stage", "vp"), "unknown stage 'vp'"),
    (("show", "mid-level/continous-discovery"), "did you mean 'mid-level/continuous-discovery'"),
])
def test_unknown_ids_get_the_closest_and_exit_1(run: Invoke, args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_show_module_milestone_and_stage(run: Invoke) -> None:
    module = run("show", "mid-level/continuous-discovery")
    assert "Continuous Discovery Habits" in module.stdout and "Outcomes:" in module.stdout
    milestone_id = json.loads(run("milestones", "--json").stdout)[0]["id"]
    assert "Criteria:" in run("show", milestone_id).stdout
    assert "Modules (" in run("show", "cpo").stdout
    assert json.loads(run("show", "cpo", "--json").stdout)["id"] == "cpo"


@pytest.mark.parametrize("command", sorted(BUILTIN_COMMANDS))
def test_every_command_help_has_an_example(run: Invoke, command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert f"cpo-learn {command}" in result.stdout or "cpo-learn" in result.stdout


def test_top_help_and_version(run: Invoke) -> None:
    assert "Examples:" in run("--help").stdout
    assert run("--version").stdout.startswith("cpo-learn, version ")


def test_usage_error_is_one_line_and_exits_2(run: Invoke) -> None:
    result = run("modules", "--nope")
    assert result.exit_code == 2
    # every command takes --home (before or after it), so click may offer it as the closest option
    assert result.stderr.startswith("Error: No such option '--nope'") and result.stderr.count("\n") == 1
    assert result.stderr.endswith("; see 'cli modules --help'\n")
    unknown = run("nope")
    assert unknown.exit_code == 2 and unknown.stderr.startswith("Error: no such command 'nope'")


def test_no_arguments_shows_the_help(run: Invoke) -> None:
    result = run()
    assert "Commands:" in result.output and "Examples:" in result.output


def test_python_dash_m_works() -> None:
    done = subprocess.run([sys.executable, "-m", "cpo_learn", "stages", "--json"], capture_output=True,
                          text=True, check=True)
    assert len(json.loads(done.stdout)) == 5
