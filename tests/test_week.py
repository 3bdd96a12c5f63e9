"""``cpo-learn week``: this week's work and whether the learner is on track, as a learner meets it.

The clock is fixed (``cpo_learn.clock``, the one place it is read), so every test knows which week is this week.
"""

from __future__ import annotations

import itertools
import json
import math
import shlex
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpo_learn import clock
from cpo_learn.content.catalog import Catalog
from cpo_learn.default_plugins.vocabulary import LEVELS
from cpo_learn.planning.planner import make_plan
from cpo_learn.planning.profile import Profile
from cpo_learn.planning.state import EMPTY_STATE
from cpo_learn.tracking.progress import Baseline, summarise
from cpo_learn.tracking.tracker import Tracker
from cpo_learn.tracking.week import Schedule, iso_week, summarise_week
from helpers import Invoke, app_for_home

TODAY = date(2026, 11, 30)  # a Monday: week 2026-W49 runs to Sunday 6 December
TALKING = "education/talking-to-users"  # 12 h
SOFTWARE = "education/how-software-is-built"  # 45 h
LEARNING_SYSTEM = "continuous-learning/build-a-personal-learning-system"  # 8 h, keeps a 1 h habit

TOP_KEYS = {"learner", "name", "today", "week", "planned", "planned_hours", "in_progress", "habits",
            "habit_hours_per_week", "next_milestone", "done", "done_hours", "expected_hours", "on_track"}
ON_TRACK_KEYS = {"status", "ahead_days", "hours_per_week", "pace_hours_per_week", "remaining_hours",
                 "schedule_finish", "catch_up_hours_per_week", "forecast_finish", "plan_finish"}


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> date:
    """Today is ``TODAY``; each event is recorded a microsecond after the one before."""
    ticks = itertools.count()
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 9, tzinfo=UTC)
                        + timedelta(microseconds=next(ticks)))
    return TODAY


def learner(home: Path, start: date | None, hours: float = 6, stage: str = "starting-roles",
            target: str = "mid-level") -> str:
    """A learner, Ada, with a profile; returns her slug. She rates every skill 0 (none assumed), so her plan has
    the whole of her stages to do and nothing is ready before she starts."""
    store = Tracker(home).store("Ada Lovelace")
    profile: dict[str, Any] = {"name": "Ada Lovelace", "stage": stage, "target": target, "hours_per_week": hours,
                               "skills": dict.fromkeys(LEVELS, 0)}
    if start is not None:
        profile["start"] = start.isoformat()
    store.save_profile(profile)
    return store.slug


def week_json(run: Invoke, *args: str) -> dict[str, Any]:
    result = run("week", "--json", *args)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def json_of(run: Invoke, *args: str) -> Any:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def the_plan(home: Path) -> Any:
    """The plan every view shows (``generate``, ``next``, ``progress``), made the one way."""
    return app_for_home(home).learner_plan(TODAY).plan


# -- at the start --------------------------------------------------------------------------------------------
def test_the_first_week_shows_the_plans_first_week_and_nothing_done(home: Path, run: Invoke) -> None:
    learner(home, start=TODAY)
    data = week_json(run)
    assert set(data) >= TOP_KEYS and set(data["on_track"]) >= ON_TRACK_KEYS
    assert data["week"] == {"iso": "2026-W49", "start": "2026-11-30", "end": "2026-12-06", "this_week": True,
                            "schedule": "plan", "schedule_start": "2026-11-30", "plan_week": 1,
                            "plan_week_start": "2026-11-30", "plan_week_end": "2026-12-06"}
    first = the_plan(home).weeks()[0]
    assert [(w["id"], w["hours"]) for w in data["planned"]] == [(e.id, round(h, 2)) for e, h in first.work]
    assert data["planned_hours"] == 6 == data["expected_hours"]  # a whole week of the 6 h a week
    assert {"id", "title", "stage", "status", "hours", "module_hours", "start", "due",
            "finishes_this_week"} <= set(data["planned"][0])
    generated = json_of(run, "generate", "--format", "json", "-o", "-")
    week_one = {m["id"] for s in generated["stages"] for m in s["modules"] if m["week"] == 1}
    assert week_one == {w["id"] for w in data["planned"]}  # the curriculum's week 1 is this week
    assert data["in_progress"] == [] and data["habits"] == [] and data["done"] == [] and data["done_hours"] == 0
    assert data["on_track"]["status"] == "on-schedule" and data["on_track"]["ahead_days"] == 0
    assert data["on_track"]["catch_up_hours_per_week"] is None
    milestone = data["next_milestone"]
    assert milestone is not None and {"id", "title", "due", "ready"} <= set(milestone)
    dues = [m["due"] for s in generated["stages"] for m in s["milestones"] if m["due"]]
    assert milestone["due"] == min(dues)  # the milestone due first

    text = run("week").stdout
    assert text.startswith("Ada Lovelace: week 2026-W49 (2026-11-30 to 2026-12-06), this week")
    assert "Planned this week: 6 h (week 1 of your plan: 2026-11-30 to 2026-12-06)" in text
    assert data["planned"][0]["id"] in text and data["planned"][0]["title"] in text
    assert f"In progress: nothing (begin with 'cpo-learn start {data['planned'][0]['id']}')" in text
    assert "Done this week: 0 h of the 6 h your schedule has for this week" in text
    assert "On track: on schedule, which ends on" in text
    assert f"Next milestone: {milestone['title']} ({milestone['id']}), due {milestone['due']}" in text
    assert len(text.splitlines()) <= 24  # one screen


def test_a_start_date_to_come_says_when_the_plan_starts(home: Path, run: Invoke) -> None:
    learner(home, start=TODAY + timedelta(days=10))  # Thursday next week
    data = week_json(run)
    assert data["planned"] == [] and data["expected_hours"] == 0 and data["week"]["plan_week"] is None
    assert "Planned this week: nothing, your plan starts on 2026-12-10" in run("week").stdout
    later = week_json(run, "--on", "2026-12-10")
    assert later["week"]["plan_week"] == 1 and later["planned_hours"] == 6
    assert later["expected_hours"] == round(6 * 4 / 7, 2)  # Thursday to Sunday of the schedule


# -- mid-plan ------------------------------------------------------------------------------------------------
def test_mid_plan_shows_what_is_under_way_done_and_the_habits_it_built(home: Path, run: Invoke) -> None:
    learner(home, start=TODAY - timedelta(days=14))
    assert run("done", TALKING, "--on", (TODAY - timedelta(days=8)).isoformat()).exit_code == 0  # last week
    assert run("done", LEARNING_SYSTEM, "--on", "today").exit_code == 0  # this week
    assert run("start", SOFTWARE).exit_code == 0
    data = week_json(run)
    assert [(d["id"], d["hours"], d["on"]) for d in data["done"]] == [(LEARNING_SYSTEM, 8, "2026-11-30")]
    assert data["done_hours"] == 8 and data["expected_hours"] == 6
    assert [(e["id"], e["since"]) for e in data["in_progress"]] == [(SOFTWARE, "2026-11-30")]
    assert [(h["module"], h["hours_per_week"], h["since"]) for h in data["habits"]] == [
        (LEARNING_SYSTEM, 1, "2026-11-30")]
    assert data["habit_hours_per_week"] == 1
    plan = the_plan(home)
    statuses = {w["id"]: w["status"] for w in data["planned"]}
    assert all(statuses[e.id] == e.status for e, _ in plan.weeks()[0].work)
    assert TALKING not in statuses and LEARNING_SYSTEM not in statuses  # done work is not planned again

    progress = json_of(run, "progress", "--json")
    on_track = data["on_track"]
    assert on_track["ahead_days"] == progress["ahead_days"] == round((20 - 12) / (6 / 7))  # 20 h done, 12 due
    assert on_track["status"] == "ahead" and on_track["catch_up_hours_per_week"] is None
    assert on_track["remaining_hours"] == progress["remaining_hours"]
    assert on_track["forecast_finish"] == progress["forecast_finish"]
    assert on_track["schedule_finish"] == progress["original_finish"]
    assert next(iter(json_of(run, "next", "--json")))["id"] in {w["id"] for w in data["planned"]} | {SOFTWARE}

    text = run("week").stdout
    assert f"In progress: {SOFTWARE} (since 2026-11-30" in text
    assert "Habits to keep (working time, not study time): 1 h a week" in text
    assert "Read your chosen sources and log one takeaway: 1 h a week" in text
    assert f"Done this week: 8 h of the 6 h your schedule has for this week ({LEARNING_SYSTEM})" in text
    assert "On track: 9 days ahead of your schedule (your schedule ends on" in text
    assert "At your pace (5 h a week over the last 4 weeks) you finish on" in text


# -- behind and ahead ----------------------------------------------------------------------------------------
def test_behind_gives_the_hours_a_week_to_catch_up_and_the_finish_at_the_current_pace(
        home: Path, run: Invoke) -> None:
    learner(home, start=TODAY - timedelta(days=56))  # eight weeks of 6 h planned
    run("done", TALKING, "--on", (TODAY - timedelta(days=3)).isoformat())
    data = week_json(run)
    on_track = data["on_track"]
    assert on_track["status"] == "behind" and on_track["ahead_days"] == round((12 - 48) / (6 / 7))
    end = date.fromisoformat(on_track["schedule_finish"])
    weeks_left = ((end - TODAY).days + 1) / 7
    assert on_track["catch_up_hours_per_week"] == round(on_track["remaining_hours"] / weeks_left, 1)
    assert on_track["catch_up_hours_per_week"] > 6  # more than planned, or it would not be catching up
    progress = json_of(run, "progress", "--json")
    assert on_track["forecast_finish"] == progress["forecast_finish"] is not None  # 12 h in 4 weeks: 3 h a week
    assert on_track["pace_hours_per_week"] == progress["pace_hours_per_week"] == 3
    assert data["done"] == []  # done last week, not this one

    text = run("week").stdout
    assert f"Behind: 42 days behind your schedule, which ends on {end}." in text
    assert f"To catch up by {end}: {on_track['catch_up_hours_per_week']:g} h a week (you planned 6)." in text
    assert (f"At your pace (3 h a week over the last 4 weeks) you finish on {progress['forecast_finish']}; "
            f"at 6 h a week on {progress['plan_finish']}.") in text


def test_behind_after_the_schedule_ended_gives_the_new_finish_dates(home: Path, run: Invoke) -> None:
    learner(home, start=TODAY - timedelta(days=7 * 60), hours=80, stage="education", target="education")
    data = week_json(run)
    on_track = data["on_track"]
    assert on_track["status"] == "behind" and date.fromisoformat(on_track["schedule_finish"]) < TODAY
    assert on_track["catch_up_hours_per_week"] is None and on_track["forecast_finish"] is None
    text = run("week").stdout
    assert f"Your schedule ended on {on_track['schedule_finish']}: too late to catch up by then." in text
    assert f"At 80 h a week you finish on {on_track['plan_finish']}." in text


def test_ahead_says_so(home: Path, run: Invoke) -> None:
    learner(home, start=TODAY)
    run("done", SOFTWARE, "--on", "today")
    data = week_json(run)
    assert data["on_track"]["status"] == "ahead"
    assert data["on_track"]["ahead_days"] == json_of(run, "progress", "--json")["ahead_days"] == round(45 / (6 / 7))
    assert data["done_hours"] == 45 and data["on_track"]["catch_up_hours_per_week"] is None
    text = run("week").stdout
    assert "On track: 52 days ahead of your schedule" in text and "Behind" not in text


def test_a_finished_plan_says_everything_is_done(home: Path, run: Invoke, catalog: Catalog) -> None:
    learner(home, start=TODAY, stage="education", target="education")
    plan = the_plan(home)
    for entry in plan.entries:
        if entry.to_do:
            run("done", entry.id, "--on", "today")
    # every module done, the milestones not yet: not finished, and every view says what is left
    milestones = [m.id for m in plan.milestones]
    assert milestones, "the education stage has milestones"
    data = week_json(run)
    assert data["on_track"]["status"] != "finished" and data["planned"] == []
    left = f"every module of your plan is done; {len(milestones)} milestone{'s' if len(milestones) > 1 else ''}"
    assert f"Planned this week: nothing, {left} to achieve" in run("week").stdout
    assert f"Forecast: {left} to achieve" in run("progress").stdout
    assert json_of(run, "report", "--json")[0]["next_module_stage"] == "milestones"
    summary = run("generate", "-o", "-").stdout
    assert f"{len(milestones)} milestone" in summary and "nothing left to do" not in summary
    for milestone in milestones:
        assert run("achieve", milestone, "--evidence", "my manager saw it").exit_code == 0
    data = week_json(run)
    assert data["on_track"]["status"] == "finished" and data["planned"] == []
    text = run("week").stdout
    assert "Planned this week: nothing, everything in your plan is done" in text
    assert "On track: everything in your plan is done." in text
    assert "Forecast: everything in your plan is done" in run("progress").stdout
    assert json_of(run, "report", "--json")[0]["next_module_stage"] == "finished"
    assert "nothing left to do" in run("generate", "-o", "-").stdout


# -- another week --------------------------------------------------------------------------------------------
def test_on_shows_a_week_to_come_from_the_plan(home: Path, run: Invoke) -> None:
    learner(home, start=TODAY)
    data = week_json(run, "--on", "2026-12-09")  # a Wednesday, next week
    assert data["week"]["iso"] == "2026-W50" and data["week"]["this_week"] is False
    assert data["week"]["start"] == "2026-12-07" and data["week"]["plan_week"] == 2
    second = the_plan(home).weeks()[1]
    assert [(w["id"], w["hours"]) for w in data["planned"]] == [(e.id, round(h, 2)) for e, h in second.work]
    assert data["done"] == [] and data["expected_hours"] == 6
    text = run("week", "--on", "2026-12-09").stdout
    assert text.startswith("Ada Lovelace: week 2026-W50 (2026-12-07 to 2026-12-13)\n")
    assert "Planned that week: 6 h (week 2 of your plan" in text and "for that week" in text


def test_on_shows_a_week_gone_by_from_the_original_schedule_with_todays_statuses(
        home: Path, run: Invoke) -> None:
    start = TODAY - timedelta(days=21)
    learner(home, start=start)
    original_first = week_json(run, "--on", start.isoformat())
    assert original_first["week"]["schedule"] == "original" and original_first["week"]["plan_week"] == 1
    first_id = original_first["planned"][0]["id"]
    run("done", first_id, "--on", (start + timedelta(days=2)).isoformat())
    data = week_json(run, "--on", (start + timedelta(days=4)).isoformat())
    assert [w["id"] for w in data["planned"]] == [w["id"] for w in original_first["planned"]]
    assert data["planned"][0]["status"] == "done"  # as progress and next have it now
    assert [d["id"] for d in data["done"]] == [first_id]
    assert data["expected_hours"] == 6 and data["on_track"] == week_json(run)["on_track"]  # as of today
    assert "week 1 of your original schedule" in run("week", "--on", start.isoformat()).stdout


@pytest.mark.parametrize("day", ["2026-02-30", "2026-13-01", "next tuesday", ""])
def test_an_impossible_on_date_is_one_line_and_exit_2(home: Path, run: Invoke, day: str) -> None:
    learner(home, start=TODAY)
    result = run("week", "--on", day)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "is not a date: use YYYY-MM-DD" in result.stderr and "week --help" in result.stderr


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "yesterday", "today"])
def test_weeks_at_the_ends_of_time_and_the_day_words_work(home: Path, run: Invoke, day: str) -> None:
    learner(home, start=TODAY)
    assert week_json(run, "--on", day)["week"]["end"] <= "9999-12-31"


def test_week_without_a_learner_says_to_run_init(run: Invoke) -> None:
    result = run("week")
    assert result.exit_code == 1 and "init" in result.stderr and result.stderr.count("\n") == 1


# -- where it is suggested, and its help ---------------------------------------------------------------------
def test_init_and_generate_suggest_week_first(run: Invoke, tmp_path: Path) -> None:
    created = run("init", "--name", "Ada", "--stage", "starting-roles", "--hours", "6")
    assert created.exit_code == 0, created.output
    last = created.stdout.strip().splitlines()[-1]
    assert last.index("'cpo-learn week'") < last.index("'cpo-learn generate'")
    generated = run("generate")
    assert generated.exit_code == 0, generated.output
    assert generated.stdout.strip().splitlines()[-1].startswith("Next: 'cpo-learn week'")
    assert run("week").exit_code == 0  # the suggestion works as given
    profile = tmp_path / "ada.toml"
    profile.write_text('name = "Ada"\nstage = "mid-level"\nhours_per_week = 5\n', encoding="utf-8")
    trainer = run("generate", "--profile", str(profile), "-o", str(tmp_path / "ada.md"))
    assert "then 'cpo-learn week'" in trainer.stdout.strip().splitlines()[-1]
    assert "Next:" not in run("generate", "-o", "-").stdout  # a document on stdout carries no hint


def test_help_has_examples_that_work(home: Path, run: Invoke) -> None:
    Tracker(home).store("Ada").save_profile({"name": "Ada", "stage": "starting-roles", "hours_per_week": 6})
    text = run("week", "--help").stdout
    assert "Example:" in text and "--on DATE" in text and "--json" in text
    examples = [line.strip().split("  ")[0] for line in text.split("Example:")[1].splitlines()
                if line.strip().startswith("cpo-learn ")]
    assert len(examples) >= 2 and any("--on" in e for e in examples)
    for example in examples:
        result = run(*shlex.split(example)[1:])
        assert result.exit_code == 0, (example, result.output)


# -- the rules, for any start and budget ----------------------------------------------------------------------
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(min_value=0, max_value=6), hours=st.sampled_from([3, 6, 10, 17.5]))
def test_the_weeks_share_out_the_plan_exactly(catalog: Catalog, offset: int, hours: float) -> None:
    """Week after week from today, every schedule week is shown once, in the ISO week its first day falls in,
    so the weeks' planned hours add up to the plan's hours to do."""
    today = TODAY + timedelta(days=offset)
    profile = Profile(name="Ada", stage="starting-roles", target="mid-level", hours_per_week=hours)
    plan = make_plan(catalog, profile, EMPTY_STATE, today)
    baseline = Baseline(plan.remaining_hours, today, ((today, hours),))
    progress = summarise(learner="ada", name="Ada", catalog=catalog, plan=plan, baseline=baseline,
                         state=EMPTY_STATE, events=[], today=today)
    weeks = plan.weeks()
    shown, planned = [], 0.0
    monday = iso_week(today)[0]
    for n in range(weeks[-1].number):  # schedule week k starts in the (k-1)th ISO week from this one
        view = summarise_week(progress=progress, plan=plan, original=plan, baseline=baseline,
                              day=monday + timedelta(days=7 * n))
        assert view.schedule is Schedule.PLAN
        if view.plan_week is not None:
            shown.append(view.plan_week)
            assert view.monday <= plan.week_start(view.plan_week) <= view.sunday
        planned += view.planned_hours
        assert view.planned_hours <= hours + 1e-9 and view.expected_hours <= hours + 1e-9
    assert shown == list(range(1, weeks[-1].number + 1))  # every schedule week once, in order
    assert math.isclose(planned, plan.remaining_hours, abs_tol=1e-6)


def test_a_stage_with_nothing_to_do_shows_no_full_bar(home: Path, run: Invoke) -> None:
    """A stage before the learner's holds nothing of their plan: ``progress`` says so instead of a bar at 100%
    (its ``--json`` percent stays 100, nothing being left)."""
    assert run("init", "--name", "Bo", "--stage", "mid-level", "--target", "leadership", "--hours", "6",
               "--start", TODAY.isoformat()).exit_code == 0  # no ratings: the earlier stages' core is assumed
    data = json_of(run, "progress", "--json")
    empty = [s["id"] for s in data["stages"] if s["total_modules"] == 0]
    busy = [s["id"] for s in data["stages"] if s["total_modules"]]
    assert empty and busy
    lines = run("progress").stdout.splitlines()
    for stage in empty:
        row = next(line for line in lines if line.strip().startswith(stage + " "))
        assert row.split(None, 1)[1] == "nothing to do in your plan", row
    for stage in busy:
        row = next(line for line in lines if line.strip().startswith(stage + " "))
        assert "%" in row and "modules)" in row, row
