"""Plugin and pack authors' stories (issue 17): disabling, checkouts, versions, clashes, vocabulary, messages.

Each test is one fault a trainer or an organisation ran into while authoring from the docs alone.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from cpo_learn.planning.state import Status
from cpo_learn.tracking.events import Event, EventType
from helpers import Invoke, module_text, write

ROOT = Path(__file__).resolve().parents[1]
MID_LEVEL_PROFILE = ROOT / "curricula" / "examples" / "mid-level-pm.toml"
NO_STARTING_ROLES = {"CPO_LEARN_DISABLE_PLUGINS": "starting-roles"}


def stderr_lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


# 1. Disabling a built-in stage plugin ---------------------------------------------------------------------
def test_disabling_a_built_in_stage_plugin_is_quiet_even_under_strict(run: Invoke) -> None:
    result = run("--strict", "generate", "--profile", str(MID_LEVEL_PROFILE), "-o", "-", env=NO_STARTING_ROLES)
    assert result.exit_code == 0, result.output
    assert len(stderr_lines(result.stderr)) <= 1, result.stderr
    checked = run("validate", env=NO_STARTING_ROLES)
    assert checked.exit_code == 0, checked.output
    assert "left out quietly because they need the disabled plugin(s) starting-roles" in checked.stdout


def test_what_needs_a_disabled_plugin_is_left_out_attributed_and_the_rest_stays(run: Invoke) -> None:
    modules = json.loads(run("modules", "--json", env=NO_STARTING_ROLES).stdout)
    mentorship = [m for m in modules if m["plugin"] == "mentorship"]
    assert len(mentorship) == 9  # 12, less the 3 placed in the starting-roles stage (was 1 before issue 17)
    shown = run("show", "mentorship/peer-mentoring-circle", env=NO_STARTING_ROLES)
    assert shown.exit_code == 1
    assert "left out: its stage starting-roles belongs to the disabled plugin starting-roles" in shown.stderr
    report = json.loads(run("validate", "--json", env=NO_STARTING_ROLES).stdout)
    assert report["ok"] and report["problems"] == []
    assert "mentorship/peer-mentoring-circle" in report["left_out"]


def policy_plugin(tmp_path: Path, *ids: str) -> Path:
    write(tmp_path / "policies" / "acme_policy.py", f"""
        import cpo_learn

        @cpo_learn.hookimpl
        def cpo_learn_adjust_plan(plan, profile):
            plan = plan.with_required(*{list(ids)!r}, reason="mandatory at Acme")
            return plan.without("cpo/company-product-strategy", reason="Acme has its own")
    """)
    return tmp_path / "policies"


def test_a_policy_naming_a_disabled_module_keeps_its_other_rules(run: Invoke, tmp_path: Path) -> None:
    folder = policy_plugin(tmp_path, "starting-roles/defining-an-mvp", "mentorship/finding-your-first-mentors")
    result = run("--strict", "--plugins-dir", str(folder), "generate", "--profile", str(MID_LEVEL_PROFILE),
                 "--format", "json", "-o", "-", env=NO_STARTING_ROLES)
    assert result.exit_code == 0, result.output
    warnings = stderr_lines(result.stderr)
    assert len(warnings) == 1 and "'starting-roles/defining-an-mvp'" in warnings[0], warnings
    assert "disabled plugin starting-roles" in warnings[0]
    plan = json.loads(result.stdout)
    reasons = {m["id"]: m["reason"] for s in plan["stages"] for m in s["modules"]}
    assert reasons["mentorship/finding-your-first-mentors"] == "mandatory at Acme"
    assert [r["id"] for r in plan["removed"]] == ["cpo/company-product-strategy"]


def test_a_policy_naming_an_unknown_module_is_a_plugin_problem_not_a_lost_policy(run: Invoke,
                                                                                   tmp_path: Path) -> None:
    folder = policy_plugin(tmp_path, "mentorship/mentoring-at-cpo-levle", "mentorship/mentoring-at-cpo-level")
    args = ("--plugins-dir", str(folder), "generate", "--profile", str(MID_LEVEL_PROFILE), "--format", "json",
            "-o", "-")
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert "did you mean 'mentorship/mentoring-at-cpo-level'" in result.stderr
    plan = json.loads(result.stdout)
    assert [r["id"] for r in plan["removed"]] == ["cpo/company-product-strategy"]
    strict = run("--strict", *args)
    assert strict.exit_code == 1 and "Traceback" not in strict.output
    assert len(stderr_lines(strict.stderr)) == 1


# 2. An installed plugin and a checkout of it in --plugins-dir -----------------------------------------------
def test_a_folder_copy_of_an_installed_plugin_stands_in_with_one_warning(run: Invoke, tmp_path: Path) -> None:
    checkout = tmp_path / "checkout" / "leadership"
    shutil.copytree(ROOT / "plugins" / "cpo_learn_leadership" / "pack", checkout)
    edited = sorted((checkout / "modules").glob("*.md"))[0]
    edited.write_text(edited.read_text("utf-8").replace("\ntitle: ", "\ntitle: EDITED ", 1), "utf-8")
    result = run("--strict", "--plugins-dir", str(checkout.parent), "modules", "--json")
    assert result.exit_code == 0, result.output
    assert any(m["title"].startswith("EDITED ") and m["plugin"] == "leadership"
               for m in json.loads(result.stdout))
    warnings = stderr_lines(result.stderr)
    assert len(warnings) == 1 and "loading the folder copy" in warnings[0] and "{" not in warnings[0]
    plugins = {p["name"]: p for p in json.loads(run("--plugins-dir", str(checkout.parent), "plugins",
                                                     "--json").stdout)}
    assert plugins["leadership"]["source"] == "dir" and plugins["leadership"]["error"] is None
    assert plugins["leadership"]["version"] == "0.1.0"  # pack.toml has none: the installed one's


# 3. One version per plugin ----------------------------------------------------------------------------------
def test_requires_checks_the_version_plugins_shows(run: Invoke, make_pack: Callable[..., Path]) -> None:
    versions = {p["name"]: p["version"] for p in json.loads(run("plugins", "--json").stdout)}
    toml = f'name = "acme"\nversion = "1.0"\nnamespace = "acme"\nrequires = ["leadership=={versions["leadership"]}"]\n'
    pack = make_pack("acme", {"a": module_text("acme/a")}, toml=toml)
    result = run("validate", str(pack))
    assert result.exit_code == 0, result.output
    toml = 'name = "acme"\nversion = "1.0"\nnamespace = "acme"\nrequires = ["leadership>=0.1,<1"]\n'
    pack = make_pack("acme2", {"a": module_text("acme2/a")}, toml=toml.replace('"acme"', '"acme2"'))
    assert run("validate", str(pack)).exit_code == 0


def test_the_scaffold_writes_the_version_once(run: Invoke, tmp_path: Path) -> None:
    run("plugin", "new", "acme-data", "--dir", str(tmp_path))
    files = [p for p in (tmp_path / "acme-data").rglob("*") if p.is_file()]
    with_version = [p.name for p in files
                    if any(line.startswith(("version =", "__version__")) for line in p.read_text().splitlines())]
    assert with_version == ["pyproject.toml"]


# 4. A plugin command named like a built-in ------------------------------------------------------------------
def test_a_plugin_command_named_like_a_built_in_is_a_warning_and_an_error_under_strict(
        run: Invoke, tmp_path: Path) -> None:
    write(tmp_path / "p" / "clash.py", """
        import click
        import cpo_learn

        @cpo_learn.hookimpl
        def cpo_learn_register_commands(cli):
            @cli.command(name="done")
            def done():
                click.echo("the plugin's done")
    """)
    listing = run("--plugins-dir", str(tmp_path / "p"), "plugins")
    assert listing.exit_code == 0
    assert "command 'done' has the name of a built-in command and was not added" in listing.stderr
    strict = run("--strict", "--plugins-dir", str(tmp_path / "p"), "stages")
    assert strict.exit_code == 1
    assert "command 'done' has the name of a built-in command" in strict.stderr


# 5. Vocabulary ----------------------------------------------------------------------------------------------
def test_vocabulary_lists_everything_front_matter_may_name(run: Invoke) -> None:
    data = json.loads(run("vocabulary", "--json").stdout)
    practices = {p["id"]: p for p in data["practices"]}
    assert practices["mentoring"]["title"] == "Team mentorship" and practices["mentoring"]["description"]
    assert {s["id"] for s in data["skills"]} >= {"analytics", "empathy"}
    assert all(s["description"] for s in data["skills"])
    stages = {s["id"]: s for s in data["stages"]}
    assert stages["education"]["skill_levels"]["usual"] < stages["cpo"]["skill_levels"]["usual"]
    assert {t["id"] for t in data["tracks"]} == {"continuous-learning", "diversify-experience", "mentorship"}
    assert data["module_kinds"][0]["id"] == "core" and "book" in data["resource_kinds"]
    text = run("vocabulary").stdout
    assert "mentoring" in text and "its modules bring skills to level" in text


def test_show_finds_a_practice(run: Invoke) -> None:
    result = run("show", "mentoring")
    assert result.exit_code == 0, result.output
    assert "Team mentorship" in result.stdout and "practice" in result.stdout


# 6. Knock-on problems, what validate summarises, the pack inside a plugin folder ----------------------------
def test_a_milestone_resting_on_an_invalid_module_is_labelled_knock_on(
        run: Invoke, make_pack: Callable[..., Path]) -> None:
    pack = make_pack("acme", {"a": module_text("acme/a", practices="[mentorng]")}, milestones={
        "m": "---\nid: acme/m\ntitle: M\nstage: mid-level\ncriteria: [x]\nrequires: [acme/a]\nevidence: e\n---\n",
    })
    result = run("validate", str(pack))
    lines = result.stdout.strip().splitlines()
    assert lines[0].endswith("unknown practice 'mentorng' (did you mean 'mentoring'?)")
    assert "knock-on: required module 'acme/a' was left out because of its problem at" in lines[1]
    assert "unknown module" not in result.stdout
    assert "1 of them knock-on" in result.stderr
    report = json.loads(run("validate", str(pack), "--json").stdout)
    assert [p["knock_on"] for p in report["problems"]] == [False, True]


def test_validate_summarises_the_pack_itself(run: Invoke, make_pack: Callable[..., Path]) -> None:
    pack = make_pack("acme", {"a": module_text("acme/a"), "b": module_text("acme/b")})
    result = run("validate", str(pack))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "ok: acme (2 modules)"


def test_validate_finds_the_pack_inside_a_scaffolded_plugin_folder(run: Invoke, tmp_path: Path) -> None:
    run("plugin", "new", "acme-data", "--dir", str(tmp_path))
    result = run("validate", str(tmp_path / "acme-data"))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "ok: acme-data (1 modules, 1 milestones)"


# 7. Status words, and what skip and waive do to a mandatory module ------------------------------------------
def test_events_say_which_status_they_lead_to() -> None:
    assert EventType.COMPLETED.status is Status.DONE
    assert Event.new("completed", "mid-level/continuous-discovery").status is Status.DONE
    assert Event.new("reopened", "mid-level/continuous-discovery").status is Status.PLANNED
    assert EventType.MILESTONE_ACHIEVED.status is Status.ACHIEVED and EventType.UNDONE.status is None


def test_a_mandatory_module_keeps_a_recorded_waive_and_replans_a_recorded_skip(run: Invoke,
                                                                               tmp_path: Path) -> None:
    waived, skipped = "mid-level/continuous-discovery", "starting-roles/defining-an-mvp"
    folder = policy_plugin(tmp_path, waived, skipped)
    cpo = ("--plugins-dir", str(folder))
    assert run(*cpo, "init", "--name", "Mia", "--stage", "mid-level", "--hours", "6").exit_code == 0
    assert run(*cpo, "waive", waived, "--reason", "did it at my last job").exit_code == 0
    assert run(*cpo, "skip", skipped).exit_code == 0
    plan = json.loads(run(*cpo, "generate", "--format", "json", "-o", "-").stdout)
    modules = {m["id"]: m for s in plan["stages"] for m in s["modules"]}
    assert modules[waived]["status"] == "waived"
    assert modules[skipped]["status"] == "planned"
    assert "your skip does not apply to a required module" in modules[skipped]["reason"]


# 8. Hook names and signatures -------------------------------------------------------------------------------
def test_a_misspelt_hook_gets_a_did_you_mean(run: Invoke, tmp_path: Path) -> None:
    plugin = write(tmp_path / "typo.py", """
        import cpo_learn

        @cpo_learn.hookimpl
        def cpo_learn_adjust_plna(plan, profile):
            return None
    """)
    lines = run("validate", str(plugin)).stdout.strip().splitlines()
    assert lines == [f"{plugin}:1: unknown hook 'cpo_learn_adjust_plna' (did you mean 'cpo_learn_adjust_plan'?)"
                     "; the hooks are listed in docs/hooks.md"]


def test_a_bad_hook_signature_is_one_readable_line(run: Invoke, tmp_path: Path) -> None:
    plugin = write(tmp_path / "sig.py", """
        import cpo_learn

        @cpo_learn.hookimpl
        def cpo_learn_adjust_plan(plan, profile, organisation):
            return None
    """)
    result = run("validate", str(plugin))
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1 and "\\n" not in lines[0]
    assert "'organisation' is not a parameter of this hook; it takes (plan, profile)" in lines[0]


def test_the_pack_plugin_class_passes_the_hook_check_it_is_spared(tmp_path: Path) -> None:
    # the host does not check each pack's plugin (fifty packs, one class): the class itself must pass
    from cpo_learn.host.hookcheck import hook_problem
    from cpo_learn.host.plugins import PackPlugin, PluginHost

    assert hook_problem(PluginHost().pm, PackPlugin(tmp_path)) is None


# 9. Every problem of a file at once -------------------------------------------------------------------------
def test_every_problem_of_one_file_is_reported_at_once_with_its_line(
        run: Invoke, make_pack: Callable[..., Path]) -> None:
    text = module_text("acme/a", skills=None, skils="{analytics: 3}", hours=-2, stage="mid-levle",
                       prerequisites="[acme/nowhere]")
    pack = make_pack("acme", {"a": text})
    result = run("validate", str(pack))
    assert result.exit_code == 1
    by_line = {int(line.split(":")[1]): line for line in result.stdout.strip().splitlines()}
    assert "unknown module key 'skils' (did you mean 'skills'?)" in by_line[9]
    assert "hours must be more than 0" in by_line[6]
    assert "unknown stage 'mid-levle' (did you mean 'mid-level'?)" in by_line[4]
    assert "unknown prerequisite 'acme/nowhere'" in by_line[7]
    assert any("missing required key 'skills'" in line for line in by_line.values())
