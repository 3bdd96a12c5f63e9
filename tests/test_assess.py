"""What each level means and rating yourself against it: ``skills``, ``assess``, ``init``'s prompts, and the
``assessed`` event through the log, the plan, progress, export/import and xAPI."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpo_learn import clock
from cpo_learn.cli import skill_prompt
from cpo_learn.content.model import LEVEL_ZERO
from cpo_learn.default_plugins.vocabulary import LEVELS
from cpo_learn.tracking.events import Event, EventError, EventType, fold
from cpo_learn.tracking.tracker import Tracker

SKILL_IDS = sorted(LEVELS)
ADA = ["init", "--name", "Ada", "--stage", "starting-roles", "--hours", "6", "--skill", "analytics=2",
       "--skill", "empathy=3"]


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    return result


def on_day(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    monkeypatch.setattr(clock, "today", lambda: day)


# -- skills ------------------------------------------------------------------------------------------------------
def test_skills_json_lists_every_skill_with_its_five_level_statements(run) -> None:
    listed = json.loads(ok(run("skills", "--json")).stdout)
    assert [s["id"] for s in listed] == SKILL_IDS
    for skill in listed:
        assert set(skill) >= {"id", "title", "description", "plugin", "levels"}
        assert skill["plugin"] == "vocabulary"
        assert [level["level"] for level in skill["levels"]] == [1, 2, 3, 4, 5]
        assert all(level["statement"].strip() for level in skill["levels"])
        assert len({level["statement"] for level in skill["levels"]}) == 5  # each level says something new


def test_skills_text_says_once_what_0_means_then_every_statement(run) -> None:
    out = ok(run("skills")).stdout
    assert out.count(LEVEL_ZERO) == 1
    for skill_id, statements in LEVELS.items():
        assert f"({skill_id})" in out
        for statement in statements:
            assert statement in out


def test_vocabulary_shows_the_statements_too(run) -> None:
    data = json.loads(ok(run("vocabulary", "--json")).stdout)
    analytics = next(s for s in data["skills"] if s["id"] == "analytics")
    assert analytics["levels"] == list(LEVELS["analytics"])


PLUGIN = '''
import cpo_learn

@cpo_learn.hookimpl
def cpo_learn_register_content(registry):
    registry.add_skill(id="pricing", title="Pricing", description="Setting what customers pay.", levels=LEVELS)
'''


def plugin_dir(tmp_path: Path, levels: Any, name: str = "acme_pricing") -> Path:
    folder = tmp_path / "plugins"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.py").write_text(f"LEVELS = {levels!r}\n" + textwrap.dedent(PLUGIN), encoding="utf-8")
    return folder


def test_a_plugin_that_adds_a_skill_gives_its_levels_and_they_are_listed(run, tmp_path: Path) -> None:
    folder = plugin_dir(tmp_path, {n: f"pricing level {n}" for n in range(1, 6)})
    listed = json.loads(ok(run("--plugins-dir", str(folder), "skills", "--json")).stdout)
    pricing = next(s for s in listed if s["id"] == "pricing")
    assert pricing["plugin"] == "acme-pricing"
    assert pricing["levels"] == [{"level": n, "statement": f"pricing level {n}"} for n in range(1, 6)]


def test_a_pack_skill_file_can_give_its_levels_as_a_list(run, tmp_path: Path) -> None:
    root = tmp_path / "plugins" / "acme"
    (root / "skills").mkdir(parents=True)
    (root / "pack.toml").write_text('name = "acme"\nversion = "1.0.0"\ndescription = "x"\nnamespace = "acme"\n',
                                    encoding="utf-8")
    (root / "skills" / "pricing.md").write_text(
        "---\nid: pricing\ntitle: Pricing\nlevels:\n" + "".join(f"  - pricing {n}\n" for n in range(1, 6)) + "---\n",
        encoding="utf-8")
    listed = json.loads(ok(run("--plugins-dir", str(tmp_path / "plugins"), "skills", "--json")).stdout)
    assert [lv["statement"] for lv in next(s for s in listed if s["id"] == "pricing")["levels"]] == [
        f"pricing {n}" for n in range(1, 6)]


@pytest.mark.parametrize(("levels", "message"), [
    ({1: "a", 2: "b", 3: "c", 4: "d"}, "missing level 5"),
    ({0: "z", 1: "a", 2: "b", 3: "c", 4: "d", 5: "e"}, "level 0"),
    ({1: "a", 2: "b", 3: "c", 4: "d", 5: "e", 6: "f"}, "level 6"),
    ({1: "a", 2: "", 3: "c", 4: "d", 5: "e"}, "level 2 must be a non-empty statement"),
    ("all good", "'levels' must map each level"),
    (["a", "b"], "'levels' must map each level"),
])
def test_bad_level_statements_are_one_line_naming_the_plugin(run, tmp_path: Path, levels: Any,
                                                            message: str) -> None:
    folder = plugin_dir(tmp_path, levels)
    result = run("--plugins-dir", str(folder), "skills", "--json")
    assert result.exit_code == 0  # the rest keeps working
    assert "pricing" not in [s["id"] for s in json.loads(result.stdout)]
    reported = [line for line in result.stderr.splitlines() if "acme-pricing" in line]
    assert len(reported) == 1 and message in reported[0], result.stderr
    checked = run("--plugins-dir", str(folder), "validate")
    assert checked.exit_code == 1 and message in checked.output


def test_a_skill_without_statements_is_still_rated_as_the_learner_judges(run, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    folder = plugin_dir(tmp_path, None)
    listed = json.loads(ok(run("--plugins-dir", str(folder), "skills", "--json")).stdout)
    assert next(s for s in listed if s["id"] == "pricing")["levels"] == []
    ok(run("--plugins-dir", str(folder), *ADA))
    ok(run("--plugins-dir", str(folder), "assess", "--skill", "pricing=2"))
    monkeypatch.setattr(skill_prompt, "on_terminal", lambda: True)
    shown = ok(run("--plugins-dir", str(folder), "assess", input="\n" * 9)).stdout
    assert "gives no level statements" in shown


# -- assess with flags ---------------------------------------------------------------------------------------------
def test_assess_with_flags_records_dated_events_and_says_what_changed(run, home: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    on_day(monkeypatch, date(2026, 12, 3))
    ok(run(*ADA))
    data = json.loads(ok(run("assess", "--skill", "analytics=4", "--skill", "resilience=1", "--json")).stdout)
    assert set(data) == {"learner", "on", "recorded", "unchanged", "ratings"}
    assert data["learner"] == "ada" and data["on"] == "2026-12-03" and data["unchanged"] == []
    assert [(r["skill"], r["level"]) for r in data["recorded"]] == [("analytics", 4), ("resilience", 1)]
    by_skill = {r["skill"]: r for r in data["ratings"]}
    assert by_skill["analytics"] == {
        "skill": "analytics", "title": "Analytical skills",
        "first": {"level": 2, "source": "profile", "on": None},
        "latest": {"level": 4, "source": "assessed", "on": "2026-12-03"}, "change": 2, "assessments": 1}
    assert by_skill["resilience"]["first"] == {"level": 1, "source": "assessed", "on": "2026-12-03"}
    assert by_skill["empathy"]["latest"] == {"level": 3, "source": "profile", "on": None}
    events = Tracker(home).store("ada").events()
    assert [(e.type, e.target, e.level, e.on) for e in events] == [
        ("assessed", "analytics", 4, date(2026, 12, 3)), ("assessed", "resilience", 1, date(2026, 12, 3))]
    log = json.loads(ok(run("log", "--json")).stdout)
    assert [(e["type"], e["target"], e["level"]) for e in log] == [("assessed", "analytics", 4),
                                                                   ("assessed", "resilience", 1)]
    assert "level 4" in ok(run("log")).stdout


def test_assessing_the_same_level_twice_a_day_records_once(run, home: Path) -> None:
    ok(run(*ADA))
    ok(run("assess", "--skill", "analytics=4"))
    again = json.loads(ok(run("assess", "--skill", "analytics=4", "--skill", "empathy=4", "--json")).stdout)
    assert again["unchanged"] == ["analytics"] and [r["skill"] for r in again["recorded"]] == ["empathy"]
    assert len(Tracker(home).store("ada").events()) == 2


@pytest.mark.parametrize(("args", "message"), [
    (["--skill", "analytcs=3"], "unknown skill 'analytcs'"),
    (["--skill", "analytics=6"], "not a level 0-5"),
    (["--skill", "analytics=high"], "not a level 0-5"),
    (["--skill", "analytics"], "--skill takes SKILL=RATING"),
    ([], "give your levels as --skill SKILL=LEVEL"),
])
def test_assess_mistakes_are_one_line_and_record_nothing(run, home: Path, args: list[str], message: str) -> None:
    ok(run(*ADA))
    result = run("assess", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert Tracker(home).store("ada").events() == []


def test_assess_names_the_closest_skill(run) -> None:
    ok(run(*ADA))
    assert "analytics" in run("assess", "--skill", "analytcs=3").stderr


def test_assess_needs_a_learner(run) -> None:
    result = run("assess", "--skill", "analytics=3")
    assert result.exit_code == 1 and "init" in result.stderr


def test_undo_takes_back_the_last_rating(run) -> None:
    ok(run(*ADA))
    ok(run("assess", "--skill", "analytics=5"))
    assert "assessed analytics" in ok(run("undo")).stdout
    skills = json.loads(ok(run("progress", "--json")).stdout)["skills"]
    analytics = next(s for s in skills if s["skill"] == "analytics")
    assert analytics["latest"] == {"level": 2, "source": "profile", "on": None} and analytics["assessments"] == 0


# -- growth, progress and the plan ---------------------------------------------------------------------------------
def test_reassessing_later_shows_growth_in_progress(run, monkeypatch: pytest.MonkeyPatch) -> None:
    on_day(monkeypatch, date(2026, 12, 3))
    ok(run(*ADA))
    ok(run("assess", "--skill", "strategic-thinking=1"))
    on_day(monkeypatch, date(2027, 3, 1))
    ok(run("assess", "--skill", "strategic-thinking=3", "--skill", "analytics=3"))
    progress = json.loads(ok(run("progress", "--json")).stdout)
    by_skill = {s["skill"]: s for s in progress["skills"]}
    assert by_skill["strategic-thinking"]["first"] == {"level": 1, "source": "assessed", "on": "2026-12-03"}
    assert by_skill["strategic-thinking"]["latest"] == {"level": 3, "source": "assessed", "on": "2027-03-01"}
    assert by_skill["strategic-thinking"]["change"] == 2 and by_skill["strategic-thinking"]["assessments"] == 2
    assert by_skill["analytics"]["first"]["source"] == "profile" and by_skill["analytics"]["change"] == 1
    assert sorted(by_skill) == ["analytics", "empathy", "strategic-thinking"]
    text = ok(run("progress")).stdout
    assert "first 1 (2026-12-03), latest 3 (2027-03-01): +2" in text
    assert "first 2 (profile), latest 3 (2027-03-01): +1" in text


def statuses(run: Any) -> dict[str, dict[str, Any]]:
    plan = json.loads(ok(run("generate", "--format", "json", "-o", "-")).stdout)
    return {m["id"]: m for stage in plan["stages"] for m in stage["modules"]}


def test_ratings_change_the_plan_from_today_and_done_modules_stay_done(run, home: Path) -> None:
    ok(run(*ADA))
    before = statuses(run)
    to_do = [m for m, e in before.items() if e["status"] == "planned"]
    done = next(m for m in to_do if m.startswith("starting-roles/"))  # of her own stage, not a catch-up
    ok(run("done", done))
    ok(run("assess", *(arg for skill in SKILL_IDS for arg in ("--skill", f"{skill}=5"))))
    after = statuses(run)
    assert after[done]["status"] == "done"
    newly_waived = [m for m in to_do if m != done and m in after and after[m]["status"] == "waived"]
    assert newly_waived, "rating every skill 5 waives what the ratings cover"
    assert all(before[m]["status"] == "planned" for m in newly_waived)
    assert not [m for m, e in after.items() if e["status"] == "planned" and m in before
                and before[m]["status"] == "waived"]
    # the views agree: next offers no module the ratings waived
    offered = {m["id"] for m in json.loads(ok(run("next", "-n", "50", "--json")).stdout)}
    assert not offered & set(newly_waived)


def test_the_newest_rating_counts_even_when_it_is_lower(run) -> None:
    ok(run(*ADA))
    ok(run("assess", *(arg for skill in SKILL_IDS for arg in ("--skill", f"{skill}=5"))))
    high = statuses(run)
    ok(run("assess", *(arg for skill in SKILL_IDS for arg in ("--skill", f"{skill}=0"))))
    low = statuses(run)
    assert sum(e["status"] == "waived" for e in low.values()) < sum(e["status"] == "waived" for e in high.values())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ratings=st.lists(st.tuples(st.sampled_from(SKILL_IDS), st.integers(0, 5)), min_size=1, max_size=6))
def test_assessing_never_undoes_recorded_progress(catalog, ratings: list[tuple[str, int]]) -> None:
    """Whatever the ratings, a module recorded as done (or skipped) keeps its status, and the plan uses the
    newest rating of each skill."""
    from cpo_learn.app.learner import plan_for
    from cpo_learn.host.plugins import PluginHost
    from cpo_learn.planning.profile import Profile

    host = PluginHost(env={"CPO_LEARN_LOAD_PLUGINS": ""})
    profile = Profile(name="P", stage="starting-roles", hours_per_week=6, target="mid-level")
    first = plan_for(host, catalog, profile, fold([]), date(2026, 12, 3))
    # two modules of the learner's own stages (an earlier stage's module is in the plan only while reached)
    done, skipped = [e.id for e in first.entries if not e.catch_up][:2]
    events = [Event.new(EventType.COMPLETED, done), Event.new(EventType.SKIPPED, skipped)]
    events += [Event.new(EventType.ASSESSED, skill, level=level) for skill, level in ratings]
    state = fold(events)
    plan = plan_for(host, catalog, profile, state, date(2026, 12, 3))
    status = {entry.id: entry.status for entry in plan.entries}
    assert status[done] == "done" and status[skipped] == "skipped"
    newest = dict(ratings)
    assert {skill: plan.profile.rating(skill) for skill in newest} == newest


# -- the event: model, old logs, export/import, CSV, xAPI --------------------------------------------------------
def test_the_assessed_event_needs_a_level_0_to_5_and_only_it_carries_one() -> None:
    with pytest.raises(EventError, match="needs a 'level'"):
        Event.new(EventType.ASSESSED, "analytics")
    with pytest.raises(EventError, match="needs a 'level'"):
        Event.new(EventType.ASSESSED, "analytics", level=6)
    with pytest.raises(EventError, match="whole number"):
        Event.from_dict({**Event.new(EventType.ASSESSED, "analytics", level=1).to_dict(), "level": True})
    with pytest.raises(EventError, match="only 'assessed' events carry a level"):
        Event.new(EventType.COMPLETED, "a/b", level=3)
    event = Event.new(EventType.ASSESSED, "analytics", level=0)
    assert Event.from_dict(event.to_dict()) == event and event.status is None


def test_a_learner_file_from_before_levels_loads_and_folds_as_before(run, home: Path) -> None:
    ok(run(*ADA))
    module = next(iter(statuses(run)))
    ok(run("done", module))
    path = Tracker(home).store("ada").path
    data = json.loads(path.read_text(encoding="utf-8"))
    for record in data["events"].values():
        del record["level"]  # what an older cpo-learn wrote
    path.write_text(json.dumps(data), encoding="utf-8")
    assert statuses(run)[module]["status"] == "done"
    assert json.loads(ok(run("log", "--json")).stdout)[0]["level"] is None
    ok(run("assess", "--skill", "analytics=4"))
    assert [e["type"] for e in json.loads(ok(run("log", "--json")).stdout)] == ["completed", "assessed"]
    assert ok(run("report", "--json")).exit_code == 0


def test_assessments_survive_export_and_import_and_show_in_csv(run, tmp_path: Path, home: Path) -> None:
    ok(run(*ADA))
    ok(run("assess", "--skill", "analytics=4", "--note", "after the metrics course"))
    exported = ok(run("export", "--format", "json")).stdout
    (tmp_path / "ada.json").write_text(exported, encoding="utf-8")
    other = tmp_path / "other-home"
    ok(run("--home", str(other), "import", str(tmp_path / "ada.json")))
    assert ok(run("--home", str(other), "export", "--format", "json")).stdout == exported
    imported = Tracker(other).store("ada").events()
    assert [(e.type, e.target, e.level, e.note) for e in imported] == [
        ("assessed", "analytics", 4, "after the metrics course")]
    progress = json.loads(ok(run("--home", str(other), "progress", "--json")).stdout)
    assert next(s for s in progress["skills"] if s["skill"] == "analytics")["latest"]["level"] == 4
    rows = list(csv.DictReader(io.StringIO(ok(run("export", "--format", "csv")).stdout)))
    assert [(r["type"], r["target"], r["level"]) for r in rows] == [("assessed", "analytics", "4")]


def test_an_export_from_before_levels_imports(run, tmp_path: Path) -> None:
    ok(run(*ADA))
    module = next(iter(statuses(run)))
    ok(run("done", module))
    document = json.loads(ok(run("export", "--format", "json")).stdout)
    for event in document["events"]:
        del event["level"]
    (tmp_path / "old.json").write_text(json.dumps(document), encoding="utf-8")
    other = tmp_path / "other-home"
    ok(run("--home", str(other), "import", str(tmp_path / "old.json")))
    assert [e.target for e in Tracker(other).store("ada").events()] == [module]


def test_an_assessment_is_an_xapi_scored_statement_about_the_skill(run) -> None:
    ok(run(*ADA))
    ok(run("assess", "--skill", "analytics=4"))
    ok(run("undo"))
    statements = json.loads(ok(run("export", "--format", "xapi", "--base", "https://lrs.example.com/cpo")).stdout)
    scored, voided = statements
    assert scored["verb"]["id"] == "http://adlnet.gov/expapi/verbs/scored"
    assert scored["object"]["id"] == "https://lrs.example.com/cpo/skills/analytics"
    assert scored["object"]["definition"] == {"name": {"en-US": "Analytical skills"},
                                              "type": "http://adlnet.gov/expapi/activities/assessment"}
    assert scored["result"] == {"score": {"raw": 4, "min": 0, "max": 5, "scaled": 0.8}}
    assert scored["context"]["platform"] == "cpo-learn"
    assert voided["object"] == {"objectType": "StatementRef", "id": scored["id"]}


def test_the_progress_hook_gets_the_assessment(run, tmp_path: Path) -> None:
    folder = tmp_path / "hooks"
    folder.mkdir()
    seen = tmp_path / "seen.jsonl"
    (folder / "watch.py").write_text(textwrap.dedent(f'''
        import json
        import cpo_learn

        @cpo_learn.hookimpl
        def cpo_learn_progress_event(event):
            with open({str(seen)!r}, "a", encoding="utf-8") as out:
                out.write(json.dumps([event.type, event.target, event.level, event.learner]) + "\\n")
    '''), encoding="utf-8")
    ok(run("--plugins-dir", str(folder), *ADA))
    ok(run("--plugins-dir", str(folder), "assess", "--skill", "analytics=3"))
    assert [json.loads(line) for line in seen.read_text(encoding="utf-8").splitlines()] == [
        ["assessed", "analytics", 3, "ada"]]


# -- on a terminal: assess and init share one prompt ------------------------------------------------------------
def test_assess_on_a_terminal_shows_every_skill_and_keeps_the_default(run, home: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    ok(run(*ADA))
    monkeypatch.setattr(skill_prompt, "on_terminal", lambda: True)
    answers = {skill: "" for skill in SKILL_IDS}
    answers["leadership"] = "3"
    result = ok(run("assess", input="".join(answers[s] + "\n" for s in SKILL_IDS)))
    for skill_id, statements in LEVELS.items():
        assert all(statement in result.stdout for statement in statements), skill_id
    assert LEVEL_ZERO in result.stdout
    assert " *2  " + LEVELS["analytics"][1] in result.stdout  # the current rating is marked
    state = Tracker(home).store("ada").state()
    assert state.latest_ratings() == {**dict.fromkeys(SKILL_IDS, 0), "analytics": 2, "empathy": 3, "leadership": 3}


def test_assess_on_a_terminal_asks_again_after_a_level_out_of_range(run, home: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    ok(run(*ADA))
    monkeypatch.setattr(skill_prompt, "on_terminal", lambda: True)
    result = ok(run("assess", input="9\n4\n" + "\n" * (len(SKILL_IDS) - 1)))
    assert "9 is not in the range 0<=x<=5" in result.stdout
    assert Tracker(home).store("ada").state().latest_ratings()["analytics"] == 4


def test_init_on_a_terminal_asks_each_skill_with_its_level_statements(run, home: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cpo_learn.cli.skill_prompt.on_terminal", lambda: True)
    answers = ["mid-level", "", "", "", *["4"] * 7, "none", "n", "", "", "", "n"]
    result = ok(run("init", "--name", "Ben", "--hours", "5", "--skill", "analytics=1",
                    input="\n".join(answers) + "\n"))
    for skill_id in SKILL_IDS:
        if skill_id != "analytics":
            assert all(statement in result.stdout for statement in LEVELS[skill_id]), skill_id
    assert LEVELS["analytics"][0] not in result.stdout  # given as a flag: not asked
    assert "Your level for Empathy (0-5)" in result.stdout
    stored = json.loads(Tracker(home).store("ben").path.read_text(encoding="utf-8"))
    profile = next(iter(stored["profile"].values()))
    assert profile["skills"] == {**dict.fromkeys(SKILL_IDS, 4), "analytics": 1}


def test_init_on_a_terminal_leaves_a_skill_unrated_on_enter(run, home: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Pressing Enter at a skill leaves it unrated, so it is assumed like a skill left out of the flags; it used
    to rate it 0, which is what rating nothing was fixed not to do. A wrong answer is asked again."""
    monkeypatch.setattr("cpo_learn.cli.skill_prompt.on_terminal", lambda: True)
    asked = [s for s in SKILL_IDS if s != "analytics"]
    skills = ["", "2", "seven", "6", "", *[""] * (len(asked) - 3)]  # the second asked twice, then left unrated
    answers = ["mid-level", "", "", "", *skills, "none", "n", "", "", "", "n"]
    result = ok(run("init", "--name", "Ben", "--hours", "5", "--skill", "analytics=1",
                    input="\n".join(answers) + "\n"))
    assert "press Enter with no number to leave one unrated" in result.stdout
    assert "'seven' is not a level from 0 to 5" in result.output and "'6' is not a level" in result.output
    stored = json.loads(Tracker(home).store("ben").path.read_text(encoding="utf-8"))
    profile = next(iter(stored["profile"].values()))
    assert profile["skills"] == {"analytics": 1, asked[1]: 2}
    plan = json.loads(ok(run("generate", "--format", "json", "-o", "-")).stdout)
    assert set(plan["assumed_ratings"]) == set(asked) - {asked[1]}  # the unrated ones are assumed, not 0


def test_init_off_a_terminal_takes_skill_flags_and_asks_nothing(run, home: Path) -> None:
    result = ok(run(*ADA))
    assert "Your level" not in result.output
    assert Tracker(home).store("ada").load_profile().data["skills"] == {"analytics": 2, "empathy": 3}


def test_assess_on_a_real_terminal(tmp_path: Path) -> None:
    """``assess`` in a pseudo-terminal (pexpect): the statements are shown, answers are read, ratings recorded."""
    pexpect = pytest.importorskip("pexpect")
    executable = shutil.which("cpo-learn", path=str(Path(sys.executable).parent))
    if executable is None:
        pytest.skip("the cpo-learn console script is not installed beside this Python")
    env = {**os.environ, "CPO_LEARN_HOME": str(tmp_path / "tty-home"), "CPO_LEARN_CACHE_DIR": str(tmp_path / "c"),
           "NO_COLOR": "1", "COLUMNS": "200"}
    for name in ("CPO_LEARN_LEARNER", "CPO_LEARN_PLUGINS_DIR", "CPO_LEARN_LOAD_PLUGINS", "CPO_LEARN_DISABLE_PLUGINS"):
        env.pop(name, None)

    def piped(*args: str) -> str:  # not on a terminal: nothing is asked
        done = subprocess.run([executable, *args], env=env, capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL)
        assert done.returncode == 0, done.stderr
        return done.stdout

    piped(*ADA)
    listed = json.loads(piped("skills", "--json"))
    child = pexpect.spawn(executable, ["assess"], env=env, timeout=120, encoding="utf-8", dimensions=(50, 200))
    for skill in listed:
        child.expect_exact(skill["levels"][4]["statement"])
        child.expect_exact(f"Your level for {skill['title']} (0-5)")
        child.sendline("5" if skill["id"] == "analytics" else "")
    child.expect_exact("Recorded")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    progress = json.loads(piped("progress", "--json"))
    analytics = next(s for s in progress["skills"] if s["skill"] == "analytics")
    assert analytics["first"]["level"] == 2 and analytics["latest"]["level"] == 5
