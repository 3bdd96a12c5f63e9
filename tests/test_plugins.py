"""Plugin loading: entry points, plugin dirs, environment variables, broken plugins, strict mode."""

from __future__ import annotations

import json
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Invoke, module_text, write

BUILTINS = ["continuous-learning", "cpo", "diversify-experience", "education", "leadership", "mentorship",
            "mid-level", "starting-roles"]


def plugin_names(run: Invoke, *args: str, env: dict[str, str] | None = None) -> list[str]:
    result = run(*args, "plugins", "--json", env=env)
    assert result.exit_code == 0, result.output
    return sorted(p["name"] for p in json.loads(result.stdout))


def test_builtin_plugins_are_found_through_entry_points(run: Invoke) -> None:
    result = run("plugins", "--json")
    data = json.loads(result.stdout)
    assert sorted(p["name"] for p in data) == BUILTINS
    for plugin in data:
        assert plugin["source"] == "builtin"
        assert plugin["version"]
        assert plugin["hooks"] == ["cpo_learn_register_content"]
        assert plugin["registered"]["modules"] >= 6
        assert plugin["error"] is None
    stages = {p["name"]: p["registered"].get("stages", 0) for p in data}
    assert stages["cpo"] == 1 and stages["mentorship"] == 0


def test_all_includes_core_defaults(run: Invoke) -> None:
    names = plugin_names(run, env=None)
    everything = json.loads(run("plugins", "--all", "--json").stdout)
    assert "vocabulary" in {p["name"] for p in everything}
    assert "vocabulary" not in names


def test_third_party_entry_point_plugin(run: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    monkeypatch.delitem(sys.modules, "acme_plugin", raising=False)  # an earlier test's module of that name
    write(site / "acme_plugin.py", """
        import cpo_learn

        @cpo_learn.hookimpl
        def cpo_learn_register_content(registry):
            registry.add_module(id="acme/onboarding", title="Acme onboarding", stage="starting-roles",
                                kind="core", hours=3, skills={"communication": 2})
    """)
    write(site / "acme_cpo_learn-2.0.dist-info" / "METADATA", "Metadata-Version: 2.1\nName: acme-cpo-learn\n"
          "Version: 2.0\n")
    write(site / "acme_cpo_learn-2.0.dist-info" / "entry_points.txt", "[cpo_learn]\nacme = acme_plugin\n")
    monkeypatch.syspath_prepend(str(site))
    data = {p["name"]: p for p in json.loads(run("plugins", "--json").stdout)}
    assert data["acme"]["source"] == "entrypoint"
    assert data["acme"]["version"] == "2.0"
    assert data["acme"]["registered"] == {"modules": 1}
    shown = json.loads(run("show", "acme/onboarding", "--json").stdout)
    assert shown["plugin"] == "acme"


def test_plugins_dir_loads_py_plugin_and_data_pack(run: Invoke, tmp_path: Path,
                                                   make_pack: Callable[..., Path]) -> None:
    make_pack("acme", {"data-review": module_text("acme/data-review")})
    write(tmp_path / "plugins" / "extra.py", """
        import cpo_learn
        __version__ = "0.3"

        @cpo_learn.hookimpl
        def cpo_learn_register_content(registry):
            registry.add_milestone(id="extra/shipped", title="Shipped", stage="mid-level",
                                   criteria=["Shipped it"], requires=["acme/data-review"], evidence="Notes")
    """)
    data = {p["name"]: p for p in json.loads(run("--plugins-dir", "plugins", "plugins", "--json").stdout)}
    assert data["acme"]["source"] == "dir" and data["acme"]["version"] == "1.2.0"
    assert data["acme"]["registered"] == {"modules": 1}
    assert data["extra"]["source"] == "dir" and data["extra"]["version"] == "0.3"
    assert data["extra"]["registered"] == {"milestones": 1}


def test_plugins_dir_from_environment(run: Invoke, make_pack: Callable[..., Path], tmp_path: Path) -> None:
    make_pack("acme", {"data-review": module_text("acme/data-review")})
    names = plugin_names(run, env={"CPO_LEARN_PLUGINS_DIR": str(tmp_path / "plugins")})
    assert "acme" in names


def test_load_plugins_env_loads_only_those(run: Invoke) -> None:
    assert plugin_names(run, env={"CPO_LEARN_LOAD_PLUGINS": "education,cpo"}) == ["cpo", "education"]
    assert plugin_names(run, env={"CPO_LEARN_LOAD_PLUGINS": ""}) == []


def test_disable_plugins_env_blocks_builtins(run: Invoke) -> None:
    env = {"CPO_LEARN_DISABLE_PLUGINS": "cpo"}
    assert "cpo" not in plugin_names(run, env=env)
    result = run("stages", "--json", env=env)
    assert result.exit_code == 0
    assert [s["id"] for s in json.loads(result.stdout)] == ["education", "starting-roles", "mid-level",
                                                               "leadership"]
    # Track modules placed in the disabled stage are left out quietly, not reported as broken.
    assert result.stderr == ""
    modules = json.loads(run("modules", "--json", env=env).stdout)
    assert not any(m["stage"] == "cpo" for m in modules)


BROKEN_IMPORT = "raise ImportError('acme_sdk is not installed')\n"
RAISES_IN_HOOK = """
import cpo_learn

@cpo_learn.hookimpl
def cpo_learn_register_content(registry):
    registry.add_skill(id="half-done", title="Half done")
    raise RuntimeError("database unreachable")
"""
MISSING_PREREQUISITE = """
import cpo_learn

@cpo_learn.hookimpl
def cpo_learn_register_content(registry):
    registry.add_module(id="acme/advanced", title="Advanced", stage="mid-level", kind="core", hours=5,
                        skills={"analytics": 3}, prerequisites=["acme/basics"])
"""
UNKNOWN_HOOK = """
import cpo_learn

@cpo_learn.hookimpl
def cpo_learn_register_contents(registry):
    pass
"""


@pytest.mark.parametrize(("source", "needle"), [
    (BROKEN_IMPORT, "failed to import"),
    (RAISES_IN_HOOK, "RuntimeError: database unreachable"),
    (MISSING_PREREQUISITE, "unknown prerequisite 'acme/basics'"),
    (UNKNOWN_HOOK, "cpo_learn_register_contents"),
])
def test_broken_plugin_is_reported_and_the_rest_works(run: Invoke, tmp_path: Path, source: str,
                                                       needle: str) -> None:
    write(tmp_path / "plugins" / "acme.py", source)
    result = run("--plugins-dir", "plugins", "stages", "--json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == 5
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "plugin 'acme'" in lines[0] and needle in lines[0]

    strict = run("--plugins-dir", "plugins", "--strict", "stages")
    assert strict.exit_code == 1
    assert "plugin 'acme'" in strict.stderr and needle in strict.stderr
    assert "Traceback" not in strict.output
    by_env = run("--plugins-dir", "plugins", "stages", env={"CPO_LEARN_STRICT_PLUGINS": "1"})
    assert by_env.exit_code == 1


def test_plugin_that_raised_leaves_nothing_half_registered(run: Invoke, tmp_path: Path) -> None:
    write(tmp_path / "plugins" / "acme.py", RAISES_IN_HOOK)
    result = run("--plugins-dir", "plugins", "plugins", "--all", "--json")
    acme = next(p for p in json.loads(result.stdout) if p["name"] == "acme")
    assert acme["registered"] == {}
    assert "database unreachable" in acme["error"]


def test_trace_env_prints_each_hook_call(run: Invoke) -> None:
    result = run("stages", "--json", env={"CPO_LEARN_TRACE_PLUGINS": "1"})
    assert "trace: cpo_learn_register_content -> education" in result.stderr
    json.loads(result.stdout)


def test_plugin_printing_to_stdout_does_not_corrupt_json(run: Invoke, tmp_path: Path) -> None:
    write(tmp_path / "plugins" / "noisy.py", """
        import cpo_learn

        print("loading noisy")

        @cpo_learn.hookimpl
        def cpo_learn_register_content(registry):
            print("hello from a plugin")
    """)
    result = run("--plugins-dir", "plugins", "modules", "--json")
    assert isinstance(json.loads(result.stdout), list)
    assert "hello from a plugin" in result.stderr


NOISY = """
    import sys

    import cpo_learn

    print("NOISE on import")
    sys.stdout.write("NOISE written straight to sys.stdout\\n")

    @cpo_learn.hookimpl
    def cpo_learn_register_content(registry):
        print("NOISE in register_content")

    @cpo_learn.hookimpl
    def cpo_learn_register_exporters(register):
        print("NOISE in register_exporters")

        def noisy(plan, context):
            print("NOISE while rendering")
            return "only this\\n"

        register("noisy", ".noisy", noisy)

    @cpo_learn.hookimpl
    def cpo_learn_template_dirs():
        print("NOISE in template_dirs")

    @cpo_learn.hookimpl
    def cpo_learn_adjust_plan(plan, profile):
        print("NOISE in adjust_plan")

    @cpo_learn.hookimpl
    def cpo_learn_progress_event(event):
        print("NOISE in progress_event", event.type)

    @cpo_learn.hookimpl
    def cpo_learn_register_commands(cli):
        print("NOISE in register_commands")
"""
JSON_COMMANDS = [
    ["stages", "--json"], ["modules", "--json"], ["milestones", "--json"], ["plugins", "--json"],
    ["show", "education/talking-to-users", "--json"], ["learners", "--json"], ["report", "--json"],
    ["progress", "--json"], ["next", "--json"], ["log", "--json"], ["generate", "--format", "json", "-o", "-"],
    ["export"], ["export", "--format", "xapi"],
]


@pytest.mark.parametrize("args", JSON_COMMANDS, ids=" ".join)
def test_a_plugin_printing_everywhere_never_reaches_json_on_stdout(run: Invoke, tmp_path: Path,
                                                                     args: list[str]) -> None:
    write(tmp_path / "plugins" / "noisy.py", NOISY)
    noisy = ("--plugins-dir", str(tmp_path / "plugins"))
    assert run(*noisy, "init", "--name", "Ada", "--stage", "education", "--hours", "6").exit_code == 0
    recorded = run(*noisy, "done", "education/talking-to-users")
    assert "NOISE" not in recorded.stdout and "NOISE in progress_event completed" in recorded.stderr
    result = run(*noisy, *args)
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)  # stdout is the JSON and nothing else (learners, log, export load no plugins)
    assert "NOISE" not in result.stdout


def test_a_plugin_format_that_prints_writes_only_its_output_to_stdout(run: Invoke, tmp_path: Path) -> None:
    write(tmp_path / "plugins" / "noisy.py", NOISY)
    noisy = ("--plugins-dir", str(tmp_path / "plugins"))
    assert run(*noisy, "init", "--name", "Ada", "--stage", "education", "--hours", "6").exit_code == 0
    result = run(*noisy, "generate", "--format", "noisy", "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout == "only this\n"
    assert "NOISE while rendering" in result.stderr


def test_a_plugin_format_that_raises_is_one_error_line(run: Invoke, tmp_path: Path) -> None:
    write(tmp_path / "plugins" / "broken.py", """
        import cpo_learn

        @cpo_learn.hookimpl
        def cpo_learn_register_exporters(register):
            register("broken", ".broken", lambda plan, context: 1 / 0)
    """)
    result = run("--plugins-dir", "plugins", "generate", "--profile",
                 str(Path(__file__).parent.parent / "curricula" / "examples" / "mid-level-pm.toml"),
                 "--format", "broken", "-o", "-")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Error: plugin 'broken': format 'broken' failed: ZeroDivisionError: division by zero; choose another "
        "--format, or disable the plugin with CPO_LEARN_DISABLE_PLUGINS=broken"]


def test_start_up_does_not_import_heavy_modules_or_parse_packs() -> None:
    import subprocess
    import sys

    code = textwrap.dedent("""
        import sys
        from cpo_learn.cli.main import cli
        try:
            cli.main(["--help"], prog_name="cpo-learn")
        except SystemExit:
            pass
        heavy = sorted(m for m in ("jinja2", "markdown", "tinydb", "yaml", "nh3", "cpo_learn.content.packs")
                       if m in sys.modules)
        print("HEAVY", heavy, file=sys.stderr)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in done.stderr
    assert "stages" in done.stdout
