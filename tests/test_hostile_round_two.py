"""Hostile input, round two (issue 19): packs, plugins, terminal output, sync and HTML.

Items 5-10 and 14 of the issue, each driven through the command line (CliRunner, or a real process where file
descriptor 1 or the interpreter's start-up is the point). The record-side items are in
``tests/tracking/test_hostile_records.py``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
import unicodedata
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cpo_learn.text import slugify
from helpers import Invoke, module_text, write

ESCAPES = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HYPOTHESIS = settings(max_examples=20, deadline=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
MakePack = Callable[..., Path]


def assert_clean(result: Result) -> None:
    """No traceback, and not one control character from content on either stream."""
    assert "Traceback" not in result.output, result.output
    assert not ESCAPES.search(result.stdout), repr(result.stdout[:500])
    assert not ESCAPES.search(result.stderr), repr(result.stderr[:500])


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CPO_LEARN_")}
    env.update({"CPO_LEARN_HOME": str(home), "CPO_LEARN_LOAD_PLUGINS": "education", "CPO_LEARN_NO_CACHE": "1"})
    env.update(extra)
    return env


def cpo_learn(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cpo_learn", *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


# -- 5. special files in packs -----------------------------------------------------------------------------
@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "outside", "outside-folder"])
def test_a_pack_file_that_is_not_a_regular_file_inside_the_pack_is_refused(
    kind: str, make_pack: MakePack, run: Invoke, tmp_path: Path
) -> None:
    pack = make_pack("acme", {"good": module_text("acme/good")})
    secret = tmp_path / "secret.md"
    secret.write_text(module_text("acme/secret", title="TOP-SECRET-BODY"), encoding="utf-8")
    target = pack / "modules" / "bad.md"
    if kind == "dev-zero":
        target.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "outside":
        target.symlink_to(secret)
    else:
        (tmp_path / "elsewhere").mkdir()
        (tmp_path / "elsewhere" / "secret.md").write_text(secret.read_text(encoding="utf-8"), encoding="utf-8")
        (pack / "milestones").symlink_to(tmp_path / "elsewhere")
    result = run("validate", str(pack))  # a FIFO would hang here for ever, /dev/zero fill the memory
    assert_clean(result)
    assert result.exit_code == 1
    message = {"dev-zero": "outside the pack", "fifo": "not a regular file", "outside": "outside the pack",
               "outside-folder": "outside the pack"}[kind]
    assert message in result.stdout, result.stdout
    shown = run("--plugins-dir", str(pack.parent), "show", "acme/secret")
    assert "TOP-SECRET-BODY" not in shown.output
    assert run("--plugins-dir", str(pack.parent), "show", "acme/good").exit_code == 0


def test_a_symlink_that_stays_inside_the_pack_is_followed(make_pack: MakePack, run: Invoke) -> None:
    pack = make_pack("acme", {"good": module_text("acme/good")})
    (pack / ".shared").mkdir()
    (pack / ".shared" / "linked.md").write_text(module_text("acme/linked"), encoding="utf-8")
    (pack / "modules" / "linked.md").symlink_to(pack / ".shared" / "linked.md")
    result = run("validate", str(pack))
    assert result.exit_code == 0, result.output


# -- 6. work without bound -------------------------------------------------------------------------------------
def test_a_million_unknown_keys_give_fifty_problems_and_a_count(make_pack: MakePack, run: Invoke) -> None:
    keys = "\n".join(f"k{n}: 1" for n in range(60_000))  # just under the 1 MiB a pack file may hold
    pack = make_pack("acme", {"keys": module_text("acme/keys").replace("---\n", f"---\n{keys}\n", 1)})
    result = run("validate", str(pack))
    assert_clean(result)
    lines = [line for line in result.stdout.splitlines() if "keys.md" in line]
    assert len(lines) == 51, len(lines)
    assert "60,000" not in lines[-1] and "more problems in this file" in lines[-1]


@pytest.mark.parametrize(("what", "text"), [
    ("file", lambda: module_text("acme/big", outcomes="[" + ", ".join(["An outcome"] * 200_000) + "]")),
    ("body", lambda: module_text("acme/big") + "word " * 30_000),
])
def test_files_and_bodies_over_their_caps_are_one_problem(make_pack: MakePack, run: Invoke, what: str,
                                                          text: Callable[[], str]) -> None:
    pack = make_pack("acme", {"big": text()})
    result = run("validate", str(pack))
    assert_clean(result)
    assert result.exit_code == 1
    expected = "more than the 1,048,576 a pack file may hold" if what == "file" else "more than the 100,000"
    assert expected in result.stdout, result.stdout


@pytest.mark.parametrize("body", ["[" * 20_000, "[a" * 20_000, "![" * 20_000, "[](" * 20_000,
                                  "\n\n".join(["[" * 440] * 200)])
def test_markdown_full_of_brackets_renders_in_linear_time(make_pack: MakePack, run: Invoke, tmp_path: Path,
                                                         body: str) -> None:
    pack = make_pack("acme", {"brackets": module_text("acme/brackets", stage="education") + body})
    profile = tmp_path / "p.toml"
    profile.write_text('name = "Ada"\nstage = "education"\ntarget = "education"\nhours_per_week = 5\n')
    result = subprocess.run(
        [sys.executable, "-m", "cpo_learn", "--plugins-dir", str(pack.parent), "generate", "--profile",
         str(profile), "--format", "html", "-o", "-"],
        env=cli_env(tmp_path / "home", CPO_LEARN_LOAD_PLUGINS="education,acme"), capture_output=True,
        text=True, timeout=60)  # the quadratic path took 54 s for the first body and minutes for the others
    assert result.returncode == 0, result.stderr
    assert "[[[[" in result.stdout or "[a[a" in result.stdout or "![![" in result.stdout or "[](" in result.stdout


PLAN_100K = """
import sys
from datetime import date
from types import MappingProxyType
sys.path.insert(0, sys.argv[1])
from synthetic import ORIGIN, SKILL_IDS, stage
from cpo_learn.content.catalog import Catalog
from cpo_learn.content.model import STAGE_IDS, Module, Skill
from cpo_learn.planning.planner import make_plan
from cpo_learn.planning.profile import Profile
from cpo_learn.planning.state import LearnerState
n = 50_000
modules = [Module(id=f"big/m{i:06d}", title="M", stage="education", track=None, hours=1.0, kind="core",
                  skills=MappingProxyType({"analytics": 3}), practices=(),
                  prerequisites=(f"big/m{i - 1:06d}",) if i % 3 else (), outcomes=(), resources=(),
                  replaces=None, body="", origin=ORIGIN) for i in range(n)]
catalog = Catalog(stages=tuple(stage(i, s) for i, s in enumerate(STAGE_IDS)), tracks=(),
                  skills=MappingProxyType({s: Skill(s, s, "", ORIGIN) for s in SKILL_IDS}),
                  practices=MappingProxyType({}), modules=MappingProxyType({m.id: m for m in modules}),
                  milestones=MappingProxyType({}))
profile = Profile(name="A", stage="education", target="education", hours_per_week=80.0, start=date(2026, 1, 5))
plan = make_plan(catalog, profile, LearnerState(MappingProxyType({}), MappingProxyType({})), date(2026, 1, 5))
order = [e.id for e in plan.entries]
assert len(order) == n and order == sorted(order), "prerequisites first, then by id"
print("planned", n)
"""


@pytest.mark.slow
def test_a_catalog_of_fifty_thousand_modules_is_planned() -> None:
    # Not a timing budget: the quadratic order() needed about 110 s for this; it must simply finish.
    done = subprocess.run([sys.executable, "-c", PLAN_100K, str(Path(__file__).parent)], capture_output=True,
                          text=True, timeout=90)
    assert done.returncode == 0 and "planned 50000" in done.stdout, done.stderr[-2000:]


# -- 7. plugins escaping the isolation -------------------------------------------------------------------------
def plugin_dir(tmp_path: Path, name: str, source: str) -> Path:
    folder = tmp_path / f"plugins-{name}"
    write(folder / f"{name}.py", textwrap.dedent(source))
    return folder


def test_a_plugin_calling_sys_exit_at_import_does_not_take_help_down(tmp_path: Path, run: Invoke) -> None:
    folder = plugin_dir(tmp_path, "exiter", "import sys\nsys.exit(3)\n")
    result = run("--plugins-dir", str(folder), "--help")
    assert result.exit_code == 0 and "Usage:" in result.stdout
    assert "plugin 'exiter': failed to import" in result.stderr and "SystemExit: 3" in result.stderr


@pytest.mark.parametrize(("raised", "hook"), [  # every exception once, every hook at least twice
    ("KeyboardInterrupt", "cpo_learn_register_content(registry)"),
    ("SystemExit(4)", "cpo_learn_template_dirs()"),
    ("BaseException('boom')", "cpo_learn_adjust_plan(plan, profile)"),
    ("GeneratorExit", "cpo_learn_register_content(registry)"),
    ("KeyboardInterrupt", "cpo_learn_adjust_plan(plan, profile)"),
    ("SystemExit(0)", "cpo_learn_template_dirs()"),
])
def test_a_hook_raising_any_base_exception_is_reported_with_the_plugin_name(
    tmp_path: Path, run: Invoke, raised: str, hook: str
) -> None:
    folder = plugin_dir(tmp_path, "rogue", f"""
        import cpo_learn

        @cpo_learn.hookimpl
        def {hook}:
            raise {raised}
    """)
    profile = tmp_path / "p.toml"
    profile.write_text('name = "Ada"\nstage = "education"\ntarget = "education"\nhours_per_week = 5\n')
    result = run("--plugins-dir", str(folder), "generate", "--profile", str(profile), "-o", "-")
    assert result.exit_code == 0, result.output
    assert "Aborted" not in result.output and "Traceback" not in result.output
    name = raised.split("(")[0]
    assert f"plugin 'rogue': {hook.split('(')[0]} raised {name}" in result.stderr, result.stderr
    strict = run("--plugins-dir", str(folder), "--strict", "generate", "--profile", str(profile), "-o", "-")
    assert strict.exit_code == 1 and "plugin 'rogue'" in strict.stderr and "Traceback" not in strict.output


def test_an_adjust_plan_returning_the_wrong_type_is_reported_not_fatal(tmp_path: Path, run: Invoke,
                                                                      home: Path) -> None:
    folder = plugin_dir(tmp_path, "policy", """
        import cpo_learn

        @cpo_learn.hookimpl
        def cpo_learn_adjust_plan(plan, profile):
            return "not a plan"
    """)
    assert run("init", "--name", "Ada", "--stage", "education", "--hours", "5").exit_code == 0
    for args in (["generate", "-o", "-"], ["progress"], ["next"]):
        result = run("--plugins-dir", str(folder), *args)
        assert result.exit_code == 0, (args, result.output)
        assert "plugin 'policy': cpo_learn_adjust_plan must return a Plan or None, not str" in result.stderr
    assert run("--plugins-dir", str(folder), "--strict", "next").exit_code == 1


def test_a_hanging_plugin_is_stopped_after_the_timeout_and_named(tmp_path: Path) -> None:
    folder = plugin_dir(tmp_path, "sleeper", """
        import time
        import cpo_learn

        @cpo_learn.hookimpl
        def cpo_learn_register_content(registry):
            time.sleep(600)
    """)
    env = cli_env(tmp_path / "home", CPO_LEARN_PLUGIN_TIMEOUT="1", CPO_LEARN_LOAD_PLUGINS="education,sleeper")
    result = cpo_learn("--plugins-dir", str(folder), "stages", "--json", env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"] == "education"
    assert "plugin 'sleeper': cpo_learn_register_content did not finish within 1 s" in result.stderr


def test_a_plugin_writing_to_file_descriptor_1_does_not_corrupt_json(tmp_path: Path) -> None:
    folder = plugin_dir(tmp_path, "noisy", """
        import os
        import subprocess
        import sys
        import cpo_learn

        os.write(1, b"IMPORT-FD1\\n")
        sys.__stdout__.write("IMPORT-DUNDER\\n")

        @cpo_learn.hookimpl
        def cpo_learn_register_content(registry):
            os.write(1, b"HOOK-FD1\\n")
            sys.__stdout__.write("HOOK-DUNDER\\n")
            print("HOOK-PRINT")
            subprocess.run([sys.executable, "-c", "print('CHILD')"])
    """)
    env = cli_env(tmp_path / "home", CPO_LEARN_LOAD_PLUGINS="education,noisy")
    result = cpo_learn("--plugins-dir", str(folder), "stages", "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert [s["id"] for s in json.loads(result.stdout)] == ["education"]  # nothing else on stdout
    for marker in ("IMPORT-FD1", "IMPORT-DUNDER", "HOOK-FD1", "HOOK-DUNDER", "HOOK-PRINT", "CHILD"):
        assert marker in result.stderr, marker


# -- 8. a broken distribution -----------------------------------------------------------------------------------
def test_a_distribution_whose_metadata_is_not_utf8_never_takes_the_cli_down(tmp_path: Path) -> None:
    site = tmp_path / "site"
    info = site / "broken-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_bytes(b"Metadata-Version: 2.1\nName: broken\xff\xfe\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[cpo_learn]\nbroken = broken_module\n", encoding="utf-8")
    env = cli_env(tmp_path / "home", PYTHONPATH=str(site))
    for args in (["--help"], ["stages", "--json"], ["plugins"]):
        result = cpo_learn(*args, env=env)
        assert result.returncode == 0 and "Traceback" not in result.stderr, (args, result.stderr)
        assert "skipped" in result.stderr and "broken-1.0.dist-info" in result.stderr


# -- 9. terminal escape injection --------------------------------------------------------------------------------
CONTROLS = st.sampled_from(["\x1b]0;PWNED\x07", "\x1b[2J", "\x9b2J", "\x07", "\x00", "\u202e", "\x1bc", "\r"])


@HYPOTHESIS
@given(control=CONTROLS, field=st.sampled_from(["title", "outcomes", "body", "resources"]))
@example(control="\x1b]0;PWNED\x07", field="title")
def test_validation_refuses_control_characters_in_pack_text(make_pack: MakePack, run: Invoke, control: str,
                                                           field: str) -> None:
    quoted = json.dumps(f"Evil{control}text")
    text = {
        "title": lambda: module_text("acme/evil", title=quoted),
        "outcomes": lambda: module_text("acme/evil", outcomes=f"[{quoted}, fine]"),
        "resources": lambda: module_text("acme/evil", resources=f"[{{kind: book, title: {quoted}}}]"),
        "body": lambda: module_text("acme/evil") + f"Evil{control}body\n",
    }[field]()
    if field == "body" and control == "\r":
        return  # a carriage return in a body is a Windows line ending: fine
    pack = make_pack("acme", {"evil": text})
    result = run("validate", str(pack))
    assert_clean(result)
    assert result.exit_code == 1 and "holds a control character" in result.stdout, result.stdout


@settings(HYPOTHESIS, max_examples=8)
@given(control=CONTROLS, where=st.sampled_from(["name", "note", "reason", "evidence"]))
@example(control="\x1b]0;PWNED\x07", where="name")
@example(control="\x1b[2J", where="note")
def test_names_and_notes_never_reach_the_terminal_raw(run: Invoke, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch, control: str,
                                                      where: str) -> None:
    monkeypatch.setenv("CPO_LEARN_HOME", str(tmp_path / f"home-{uuid.uuid4().hex}"))  # one per example
    name = f"Ada{control}Lovelace" if where == "name" else "Ada"
    assert run("init", "--name", name, "--stage", "education", "--hours", "5", "--target",
               "education").exit_code == 0
    text = f"see{control}this"
    record = {"note": ["done", "education/talking-to-users", "--note", text],
              "reason": ["waive", "education/talking-to-users", "--reason", text],
              "evidence": ["achieve", "education/shipped-a-side-project", "--evidence", text],
              "name": ["done", "education/talking-to-users"]}[where]
    learner = ["--learner", slugify(name)]
    assert run(*learner, *record).exit_code == 0
    for args in (["log"], ["log", "--json"], ["learners"], ["learners", "--json"], ["report"],
                 ["report", "--json"], ["progress"], ["progress", "--json"], ["export"], ["next"]):
        result = run(*learner, *args)
        assert result.exit_code == 0, (args, result.output)
        assert_clean(result)
    exported = json.loads(run(*learner, "export").stdout)  # escaped, never lost
    assert where == "name" or exported["events"][0][where] == text
    for line in run(*learner, "report").stdout.splitlines():  # still one row a learner
        assert "\n" not in line
    if where == "name":
        shown = json.loads(run(*learner, "learners", "--json").stdout)
        assert shown[0]["name"] == name  # the JSON keeps it, escaped


def test_content_from_a_python_plugin_is_escaped_when_shown(tmp_path: Path, run: Invoke) -> None:
    # a plugin registering in code skips a pack's checks only if validation misses it; it must not
    folder = plugin_dir(tmp_path, "evil", """
        import cpo_learn

        @cpo_learn.hookimpl
        def cpo_learn_register_content(registry):
            registry.add_module(id="evil/x", title="Evil\\x1b]0;PWNED\\x07title", stage="education",
                                kind="core", hours=3, skills={"analytics": 2}, body="Body\\x1b[2J")
    """)
    for args in (["modules"], ["show", "evil/x"], ["modules", "--json"], ["validate"]):
        result = run("--plugins-dir", str(folder), *args)
        assert_clean(result)
    assert "holds a control character" in run("--plugins-dir", str(folder), "validate").stdout


# -- 10. sync and odd backticks ------------------------------------------------------------------------------------
@HYPOTHESIS
@given(title=st.text(alphabet=st.sampled_from("`ab *_[]\\"), min_size=1, max_size=12).filter(
    lambda t: t.strip() and not t.strip().startswith(("*", "-", "[", "\\"))))
@example(title="odd ` backtick")
@example(title="```")
@example(title="fake `acme/other` id")
def test_sync_reads_the_tick_of_a_module_whatever_backticks_its_title_holds(
    make_pack: MakePack, run: Invoke, tmp_path: Path, title: str
) -> None:
    pack = make_pack("acme", {"odd": module_text("acme/odd", title=json.dumps(title), stage="education",
                                                 prerequisites="[]")})
    plugins = ["--plugins-dir", str(pack.parent)]
    fresh = tmp_path / f"home-{uuid.uuid4().hex}"  # hypothesis runs every example in this test's folder
    env = {"CPO_LEARN_LOAD_PLUGINS": "education,acme", "CPO_LEARN_HOME": str(fresh)}
    assert run(*plugins, "init", "--name", "Ada", "--stage", "education", "--hours", "5", "--target",
               "education", env=env).exit_code == 0
    curriculum = tmp_path / "plan.md"
    assert run(*plugins, "generate", "-o", str(curriculum), "--force", env=env).exit_code == 0
    text = curriculum.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if "`acme/odd`" in line and "[ ]" in line]
    assert len(lines) == 1, lines
    curriculum.write_text(text.replace(lines[0], lines[0].replace("[ ]", "[x]", 1)), encoding="utf-8")
    result = run(*plugins, "sync", str(curriculum), env=env)
    assert result.exit_code == 0, result.output
    log = json.loads(run(*plugins, "log", "--json", env=env).stdout)
    assert [(e["type"], e["target"]) for e in log] == [("completed", "acme/odd")]


# -- 14. nothing from a pack loads when the page opens --------------------------------------------------------------
def test_the_html_page_loads_nothing_from_the_network_and_packs_cannot_spoof_badges(
    make_pack: MakePack, run: Invoke, tmp_path: Path
) -> None:
    body = textwrap.dedent("""
        ![beacon](https://evil.example/beacon.png)

        <img src="https://evil.example/raw.png" alt="raw">
        <span class="task status-done" id="stage-education" role="status">done</span>
        <div class="status-done">Already done!</div>
        <a href="https://example.org/read">a link is fine</a>
    """)
    pack = make_pack("acme", {"spoof": module_text("acme/spoof", stage="education") + body})
    profile = tmp_path / "p.toml"
    profile.write_text('name = "Ada"\nstage = "education"\ntarget = "education"\nhours_per_week = 5\n')
    result = run("--plugins-dir", str(pack.parent), "generate", "--profile", str(profile), "--format", "html",
                 "-o", "-", env={"CPO_LEARN_LOAD_PLUGINS": "education,acme"})
    assert result.exit_code == 0, result.output
    page = result.stdout
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert csp is not None and "img-src 'none'" in csp.group(1) and "https:" not in csp.group(1)
    assert "<img" not in page and "evil.example/raw.png" not in page
    assert 'href="https://evil.example/beacon.png"' in page  # an image becomes a link: loaded only on a click
    module = page[page.index('id="acme--spoof"'):]
    body_html = module[module.index('<div class="body">'):]
    body_html = body_html[: body_html.index("</details>")]
    assert "status-done" not in body_html and 'id="stage-education"' not in body_html
    assert 'role="status"' not in body_html
    assert 'href="https://example.org/read"' in body_html


def test_unicode_names_are_shown_not_escaped() -> None:
    from cpo_learn.terminal import terminal_text

    for text in ("José Müller", "李雷", "Σωκράτης", "a\tb\nc"):
        assert terminal_text(text) == text
    assert terminal_text("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert unicodedata.category(terminal_text("\u202e")[0]) == "Po"  # the backslash
