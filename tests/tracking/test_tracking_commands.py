"""Recording progress on the command line: start, done, skip, waive, reopen, undo, achieve, log, learners."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from cpo_learn.tracking.tracker import Tracker

TEARDOWNS = "education/product-teardowns"  # builds on education/business-and-market-basics
BASICS = "education/business-and-market-basics"
TALKING = "education/talking-to-users"
SIDE_PROJECT = "education/shipped-a-side-project"  # milestone


def log_of(run) -> list[dict[str, object]]:
    result = run("log", "--json")
    assert result.exit_code == 0, result.output
    events: list[dict[str, object]] = json.loads(result.stdout)
    return events


def test_a_learners_story_start_done_log_undo(ada: str, run) -> None:
    assert run("start", BASICS).exit_code == 0
    result = run("done", BASICS, "--note", "read the Hooked chapters")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Done: {BASICS}: ")
    events = log_of(run)
    assert [e["type"] for e in events] == ["started", "completed"]
    assert events[1]["note"] == "read the Hooked chapters" and events[1]["plugin"] == "education"
    assert {"id", "type", "target", "timestamp", "note", "plugin", "on", "reverses"} <= set(events[0])

    result = run("undo")
    assert result.exit_code == 0 and result.stdout.startswith(f"Undone: completed {BASICS}")
    events = log_of(run)
    assert events[-1]["type"] == "undone" and events[-1]["reverses"] == events[1]["id"]
    text = run("log").stdout
    assert "completed (undone)" in text and f"reverses {str(events[1]['id'])[:8]}" in text


def test_undo_walks_back_and_stops_when_nothing_is_left(ada: str, run) -> None:
    run("start", BASICS)
    run("done", BASICS)
    assert run("undo").exit_code == 0
    assert run("undo").exit_code == 0
    result = run("undo")
    assert result.exit_code == 1 and "nothing to undo" in result.stderr
    assert len(log_of(run)) == 4  # nothing is ever deleted


def test_recording_the_same_status_twice_records_once(ada: str, run) -> None:
    run("done", BASICS)
    result = run("done", BASICS)
    assert result.exit_code == 0 and "already done" in result.stdout
    assert len(log_of(run)) == 1


def test_unknown_ids_get_the_closest_matches(ada: str, run) -> None:
    result = run("done", "education/talkng-to-users")
    assert result.exit_code == 1
    assert f"did you mean '{TALKING}'" in result.stderr
    assert result.stderr.count("\n") == 1
    result = run("achieve", "education/shipped-a-side-projet", "--evidence", "x")
    assert result.exit_code == 1 and f"'{SIDE_PROJECT}'" in result.stderr
    assert log_of(run) == []


def test_a_milestone_given_to_done_points_to_achieve(ada: str, run) -> None:
    result = run("done", SIDE_PROJECT)
    assert result.exit_code == 1 and "achieve" in result.stderr


def test_unmet_prerequisites_warn_but_record(ada: str, run) -> None:
    result = run("done", TEARDOWNS)
    assert result.exit_code == 0
    assert f"builds on {BASICS}, not done yet; recorded anyway" in result.stderr
    run("done", BASICS)
    run("reopen", TEARDOWNS)
    assert "builds on" not in run("done", TEARDOWNS).stderr


def test_a_prerequisite_the_plan_waives_is_not_warned_about(run) -> None:
    """A starting-roles learner's assumed ratings cover the education modules that working-with-engineering
    builds on: the plan waives them, so ``done`` does not say they are "not done yet"."""
    assert run("init", "--name", "Sam", "--stage", "starting-roles", "--hours", "6").exit_code == 0
    plan = json.loads(run("generate", "--format", "json", "-o", "-").stdout)
    statuses = {m["id"]: m["status"] for stage in plan["stages"] for m in stage.get("modules", [])}
    module = "starting-roles/working-with-engineering-and-design"
    waived = ["education/how-software-is-built", "education/what-product-managers-do"]
    assert all(statuses[m] == "waived" for m in waived)
    result = run("done", module)
    assert result.exit_code == 0 and "builds on" not in result.stderr


def test_a_milestone_resting_on_modules_the_plan_waives_is_not_warned_about(run) -> None:
    skills = [arg for skill in ("analytics", "communication", "customer-centricity", "empathy", "leadership",
                                "resilience", "strategic-thinking", "technical-expertise")
              for arg in ("--skill", f"{skill}=5")]
    assert run("init", "--name", "Sam", "--stage", "starting-roles", "--hours", "6", *skills).exit_code == 0
    plan = json.loads(run("generate", "--format", "json", "-o", "-").stdout)
    statuses = {m["id"]: m["status"] for stage in plan["stages"] for m in stage.get("modules", [])}
    assert statuses["starting-roles/product-discovery-fundamentals"] == "waived"
    assert statuses["starting-roles/working-with-engineering-and-design"] == "waived"
    result = run("achieve", "starting-roles/discovery-changed-a-decision", "--evidence", "notes")
    assert result.exit_code == 0 and "rests on" not in result.stderr


def test_done_on_a_date(ada: str, run) -> None:
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    assert run("done", BASICS, "--on", yesterday).exit_code == 0
    assert run("done", TALKING, "--on", "today").exit_code == 0
    events = log_of(run)
    assert events[0]["on"] == yesterday and events[1]["on"] == date.today().isoformat()


@pytest.mark.parametrize(("value", "message"), [
    ((date.today() + timedelta(days=1)).isoformat(), "is in the future"),
    ("31/12/2025", "is not a date: use YYYY-MM-DD"),
    ("2026-02-30", "is not a date"),
])
def test_bad_or_future_dates_are_refused(value: str, message: str, ada: str, run) -> None:
    result = run("done", BASICS, "--on", value)
    assert result.exit_code == 2 and message in result.stderr
    assert log_of(run) == []


def test_skip_waive_reopen_and_achieve(ada: str, run) -> None:
    assert run("skip", TEARDOWNS, "--note", "later").exit_code == 0
    result = run("waive", BASICS, "--reason", "MBA")
    assert result.exit_code == 0 and result.stdout.startswith("Waived")
    assert run("waive", TALKING).exit_code == 2  # the reason is required
    result = run("achieve", SIDE_PROJECT, "--evidence", "https://github.com/ada/habit-app")
    assert result.exit_code == 0
    assert "rests on" in result.stderr  # its modules are not done: a warning, not a refusal
    assert run("reopen", TEARDOWNS).exit_code == 0
    assert run("reopen", SIDE_PROJECT).exit_code == 0
    assert "nothing to reopen" in run("reopen", TALKING).stdout
    events = log_of(run)
    assert [e["type"] for e in events] == ["skipped", "waived", "milestone_achieved", "reopened", "reopened"]
    assert events[1]["reason"] == "MBA" and events[2]["evidence"] == "https://github.com/ada/habit-app"


def test_which_learner(tracker: Tracker, run) -> None:
    result = run("log")
    assert result.exit_code == 1 and "init --name NAME" in result.stderr
    tracker.store("Ada").save_profile({"name": "Ada", "stage": "education", "hours_per_week": 5})
    assert run("done", BASICS).exit_code == 0  # the only learner
    tracker.store("Grace Hopper").save_profile({"name": "Grace Hopper", "stage": "cpo", "hours_per_week": 2})
    result = run("done", BASICS)
    assert result.exit_code == 2 and "2 learners" in result.stderr and "ada, grace-hopper" in result.stderr
    assert run("--learner", "Grace Hopper", "done", BASICS).exit_code == 0
    assert run("done", TALKING, CPO_LEARN_LEARNER="grace-hopper").exit_code == 0
    result = run("--learner", "grace-hoper", "log")
    assert result.exit_code == 1 and "did you mean 'grace-hopper'" in result.stderr


def test_learners_lists_everyone_and_flags_a_damaged_file(tracker: Tracker, run) -> None:
    tracker.store("Ada").save_profile({"name": "Ada", "stage": "education", "hours_per_week": 5})
    grace = tracker.store("Grace")
    grace.save_profile({"name": "Grace", "stage": "cpo", "hours_per_week": 2})
    grace.record("completed", "cpo/first-90-days-as-cpo")
    rows = json.loads(run("learners", "--json").stdout)
    assert [(r["learner"], r["events"], r["stage"]) for r in rows] == [
        ("ada", 0, "education"), ("grace", 1, "cpo")]
    grace.path.write_text("{", encoding="utf-8")
    result = run("learners")
    assert result.exit_code == 1 and "ada" in result.stdout and str(grace.path) in result.stderr


def test_every_tracking_command_has_help_with_an_example(run) -> None:
    for command in ("start", "done", "skip", "waive", "reopen", "undo", "achieve", "log", "learners",
                    "report", "export", "import", "recover", "progress", "next", "sync"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Example" in result.stdout, command


# -- plugins hear about progress -----------------------------------------------------------------------------
LISTENER = '''
import os
import cpo_learn

@cpo_learn.hookimpl
def cpo_learn_progress_event(event):
    with open(os.environ["HEARD"], "a", encoding="utf-8") as out:
        out.write(f"{event.type} {event.target} {event.id}\\n")
'''

BROKEN = '''
import cpo_learn

@cpo_learn.hookimpl
def cpo_learn_progress_event(event):
    raise ConnectionError("the LRS is down")
'''


def test_progress_event_plugins_hear_every_recorded_event(ada: str, run, tmp_path: Path) -> None:
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "listener.py").write_text(LISTENER, encoding="utf-8")
    (plugins / "broken.py").write_text(BROKEN, encoding="utf-8")
    heard = tmp_path / "heard.txt"
    result = run("--plugins-dir", str(plugins), "done", BASICS, HEARD=str(heard))
    assert result.exit_code == 0
    assert ("plugin 'broken': cpo_learn_progress_event raised ConnectionError: the LRS is down"
            in result.stderr)
    run("--plugins-dir", str(plugins), "undo", HEARD=str(heard))
    events = log_of(run)
    assert heard.read_text(encoding="utf-8").split("\n")[:2] == [
        f"completed {BASICS} {events[0]['id']}", f"undone {BASICS} {events[1]['id']}"]
    result = run("--plugins-dir", str(plugins), "--strict", "done", TALKING, HEARD=str(heard))
    assert result.exit_code == 1 and "is recorded" in result.stderr
    assert log_of(run)[-1]["target"] == TALKING  # the event stays
