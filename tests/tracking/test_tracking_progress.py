"""Where the learner stands: progress (pace, forecast, streak, ahead/behind), next, report, sync."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path
from types import MappingProxyType

import pytest

from cpo_learn.content.catalog import Catalog
from cpo_learn.host.plugins import PluginHost
from cpo_learn.planning.plan import Plan
from cpo_learn.planning.state import ItemState, LearnerState
from cpo_learn.tracking.events import Event
from cpo_learn.tracking.progress import Baseline, forecast, pace, streak
from cpo_learn.tracking.tracker import Tracker

TODAY = date(2026, 6, 17)  # a Wednesday
TALKING = "education/talking-to-users"  # 12 h, no prerequisites
PM = "education/what-product-managers-do"  # 8 h
UX = "education/ux-and-design-fundamentals"  # builds on talking-to-users


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    """The built-in catalog."""
    return PluginHost(env={}).catalog()


def done_on(*items: tuple[str, date]) -> LearnerState:
    return LearnerState(MappingProxyType({m: ItemState("done", on) for m, on in items}))


def event_on(day: date, type: str = "completed", target: str = TALKING) -> Event:
    return Event.new(type, target, on=day)


# -- the numbers ---------------------------------------------------------------------------------------------
def education_plan(catalog: Catalog, state: LearnerState) -> Plan:
    from cpo_learn.planning.planner import make_plan
    from cpo_learn.planning.profile import profile_from_mapping

    profile = profile_from_mapping({"name": "Ada", "stage": "education", "hours_per_week": 7},
                                   catalog.stage_ids, catalog.skills)
    return make_plan(catalog, profile, state, TODAY)


def test_pace_is_hours_completed_in_the_last_four_weeks_per_week(catalog: Catalog) -> None:
    state = done_on((TALKING, TODAY - timedelta(days=27)), (PM, TODAY - timedelta(days=28)))
    assert pace(education_plan(catalog, state), TODAY) == 12 / 4  # the 8 h module is a day too old
    assert pace(education_plan(catalog, done_on((TALKING, TODAY), (PM, TODAY))), TODAY) == 5
    assert pace(education_plan(catalog, LearnerState()), TODAY) == 0


def test_pace_counts_only_work_in_the_plan(catalog: Catalog) -> None:
    from cpo_learn.planning.planner import make_plan
    from cpo_learn.planning.profile import profile_from_mapping
    from cpo_learn.tracking.progress import outside_plan_hours

    profile = profile_from_mapping({"name": "Ada", "stage": "cpo", "hours_per_week": 7},
                                   catalog.stage_ids, catalog.skills)
    in_plan = {e.id for e in make_plan(catalog, profile, LearnerState(), TODAY).entries}
    outside = next(m for m in catalog.modules.values() if m.stage == "education" and m.id not in in_plan)
    state = done_on((outside.id, TODAY))  # an education module nothing in the CPO stage builds on
    plan = make_plan(catalog, profile, state, TODAY)
    assert plan.entry(outside.id) is None
    assert pace(plan, TODAY) == 0
    assert outside_plan_hours(plan, catalog, state) == outside.hours


def test_forecast_finish_at_a_pace() -> None:
    assert forecast(70, 7, TODAY) == TODAY + timedelta(days=70)
    assert forecast(1, 7, TODAY) == TODAY + timedelta(days=1)
    assert forecast(0, 0, TODAY) == TODAY
    assert forecast(10, 0, TODAY) is None


def test_streak_counts_active_weeks_in_a_row() -> None:
    monday = TODAY - timedelta(days=TODAY.weekday())
    assert streak([], TODAY) == 0
    this_and_two_before = [event_on(TODAY), event_on(monday - timedelta(days=1)),
                           event_on(monday - timedelta(days=8))]
    assert streak(this_and_two_before, TODAY) == 3
    # a new week that has not started yet does not break the streak
    assert streak([event_on(monday - timedelta(days=1)), event_on(monday - timedelta(days=8))], TODAY) == 2
    assert streak([event_on(monday - timedelta(days=15))], TODAY) == 0
    # undone events do not count
    done = event_on(TODAY)
    assert streak([done, Event.new("undone", TALKING, reverses=done.id, on=TODAY)], TODAY) == 0


def test_expected_hours_follow_the_schedule() -> None:
    baseline = Baseline(total_hours=100, start=date(2026, 6, 1), rates=((date(2026, 6, 1), 7),))
    assert baseline.expected_hours(date(2026, 5, 31)) == 0
    assert baseline.expected_hours(date(2026, 6, 1)) == 0  # nobody is behind on the first day
    assert baseline.expected_hours(date(2026, 6, 2)) == pytest.approx(1)
    assert baseline.expected_hours(date(2026, 6, 15)) == pytest.approx(14)
    assert baseline.expected_hours(date(2027, 6, 1)) == 100  # never more than the schedule holds
    assert baseline.finish() == date(2026, 6, 1) + timedelta(days=7 * 15 - 1)  # 100 h at 7 h: 15 weeks


def test_a_change_of_hours_replans_from_that_day_and_keeps_the_past() -> None:
    changed = Baseline(total_hours=100, start=date(2026, 6, 1),
                       rates=((date(2026, 6, 1), 7), (date(2026, 6, 15), 14)))
    assert changed.expected_hours(date(2026, 6, 15)) == pytest.approx(14)  # two weeks at 7 h, as they were
    assert changed.expected_hours(date(2026, 6, 22)) == pytest.approx(28)  # then 14 h a week
    assert changed.finish() == date(2026, 6, 1) + timedelta(days=7 * 9 - 1)  # 7 + 7 + 7 x 14 >= 100


# -- the commands --------------------------------------------------------------------------------------------
def test_progress_shows_bars_hours_pace_forecast_and_streak(ada: str, run) -> None:
    run("done", TALKING, "--on", "today")
    run("done", PM, "--on", (date.today() - timedelta(days=8)).isoformat())
    result = run("progress")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("Ada Lovelace: ") and "20 of " in text
    assert "education" in text and "starting-roles" in text and "█" in text
    assert "Pace: 5 h a week over the last 4 weeks (planned: 6 h a week)" in text
    assert "Forecast: at your pace you finish on" in text and "Streak:" in text

    data = json.loads(run("progress", "--json").stdout)
    assert {"learner", "done_hours", "total_hours", "percent", "stages", "forecast_finish",
            "streak_weeks"} <= set(data)
    assert data["learner"] == "ada-lovelace" and data["done_hours"] == 20
    assert data["percent"] == int(100 * 20 / data["total_hours"])
    assert [s["id"] for s in data["stages"]] == ["education", "starting-roles"]
    assert {"id", "done", "total"} <= set(data["stages"][0]) and data["stages"][0]["done"] == 20
    assert data["pace_hours_per_week"] == 5
    days = -(-(data["total_hours"] - 20) * 7 // 5)
    study = (date.today() + timedelta(days=days)).isoformat()  # the hours left at 5 h a week
    plan = json.loads(run("generate", "--format", "json", "-o", "-").stdout)
    held = [m["not_before"] for s in plan["stages"] for m in s["modules"]
            if m["status"] in ("planned", "started") and m["not_before"]]
    if not held:
        assert data["forecast_finish"] == study
    else:  # the work that needs the starting role waits for it, at any pace (the plan at 6 h a week too)
        assert data["forecast_finish"] >= max(study, *held)
        assert study > data["plan_finish"] or data["forecast_finish"] <= data["plan_finish"]
    assert data["streak_weeks"] >= 1 and isinstance(data["ahead_days"], int)


def test_ahead_or_behind_the_schedule(tracker: Tracker, run) -> None:
    start = date.today() - timedelta(days=28)  # four weeks of 7 h planned
    tracker.store("Ada").save_profile({"name": "Ada", "stage": "education", "hours_per_week": 7,
                                       "start": start.isoformat()})
    behind = json.loads(run("progress", "--json").stdout)
    assert behind["ahead_days"] == -28  # the 28 whole days of the schedule before today are not done
    assert behind["original_finish"] is not None
    run("done", "education/how-software-is-built")  # 45 h
    run("done", TALKING)  # 12 h
    ahead = json.loads(run("progress", "--json").stdout)
    assert ahead["ahead_days"] == 57 - 28  # 45 h + 12 h done at 1 h a day


def test_progress_without_a_profile_says_to_run_init(tracker: Tracker, run) -> None:
    tracker.store("Ada").record("completed", TALKING)
    result = run("progress")
    assert result.exit_code == 1 and "init" in result.stderr


def test_next_lists_modules_whose_prerequisites_are_met_in_plan_order(ada: str, run) -> None:
    before = json.loads(run("next", "-n", "50", "--json").stdout)
    ids = [m["id"] for m in before]
    assert TALKING in ids and UX not in ids  # ux builds on talking-to-users
    assert {"id", "title", "hours", "prerequisites", "status", "due"} <= set(before[0])
    run("done", TALKING)
    after = [m["id"] for m in json.loads(run("next", "-n", "50", "--json").stdout)]
    assert TALKING not in after and UX in after
    run("start", UX)
    assert json.loads(run("next", "-n", "50", "--json").stdout)[0]["status"] in ("planned", "started")
    assert len(json.loads(run("next", "-n", "2", "--json").stdout)) == 2
    text = run("next").stdout
    assert text.count("\n") >= 7 and "Record one with" in text


def test_report_puts_every_learner_side_by_side(tracker: Tracker, run) -> None:
    for n in range(55):
        store = tracker.store(f"learner {n:02d}")
        store.save_profile({"name": f"Learner {n:02d}", "stage": "education", "hours_per_week": 5})
        if n % 5 == 0:
            store.record("completed", TALKING, on=date.today())
    broken = tracker.store("broken")
    broken.save_profile({"name": "Broken", "stage": "education", "hours_per_week": 5})
    broken.path.write_text("{nope", encoding="utf-8")
    result = run("report", "--csv")
    assert result.exit_code == 1 and str(broken.path) in result.stderr  # reported, the rest still there
    assert "reading learners" in result.stderr  # the progress bar, on stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 56
    first = next(r for r in rows if r["learner"] == "learner-00")
    assert first["stage"] == "education" and first["done_hours"] == "12"
    assert first["pace_hours_per_week"] == "3"
    assert int(first["percent"]) >= 0 and first["last_activity"]
    assert next(r for r in rows if r["learner"] == "broken")["error"]
    table = run("report").stdout
    assert "learner-54" in table and "Learner 54" in table


def test_report_of_a_small_home_has_no_progress_bar(ada: str, run) -> None:
    result = run("report", "--json")
    assert result.exit_code == 0 and "reading learners" not in result.stderr
    assert json.loads(result.stdout)[0]["learner"] == "ada-lovelace"


# -- sync ----------------------------------------------------------------------------------------------------
def tick(text: str, module_id: str, ticked: bool = True) -> str:
    lines = []
    for line in text.splitlines(keepends=True):
        if f"`{module_id}`" in line and line.lstrip().startswith("- ["):
            line = line.replace("- [ ]", "- [x]", 1) if ticked else line.replace("- [x]", "- [ ]", 1)
        lines.append(line)
    return "".join(lines)


def test_sync_records_the_boxes_ticked_in_a_generated_curriculum(run, tmp_path: Path) -> None:
    result = run("init", "--name", "Ada Lovelace", "--stage", "education", "--target", "starting-roles",
                 "--hours", "6")
    assert result.exit_code == 0, result.output
    run("done", PM)
    curriculum = tmp_path / "ada.md"
    assert run("generate", "-o", str(curriculum)).exit_code == 0
    text = curriculum.read_text(encoding="utf-8")
    assert "- [x] " in text and f"`{PM}`" in text
    edited = tick(tick(tick(text, TALKING), UX), PM, ticked=False)
    edited = tick(edited, "education/ran-a-round-of-user-interviews")  # a milestone
    curriculum.write_text(edited, encoding="utf-8")

    result = run("sync", str(curriculum))
    assert result.exit_code == 0, result.output
    assert f"recorded: completed {TALKING}" in result.stdout and f"recorded: completed {UX}" in result.stdout
    assert "recorded: achieved education/ran-a-round-of-user-interviews" in result.stdout
    assert f"reopen them with --reopen): {PM}" in result.stdout
    events = json.loads(run("log", "--json").stdout)
    assert [(e["type"], e["target"]) for e in events] == [
        ("completed", PM), ("completed", TALKING), ("completed", UX),
        ("milestone_achieved", "education/ran-a-round-of-user-interviews"),
    ]
    assert events[1]["note"] == "ticked in ada.md" and events[3]["evidence"] == "ticked in ada.md"

    again = run("sync", str(curriculum))
    assert "nothing new to record" in again.stdout and len(json.loads(run("log", "--json").stdout)) == 4
    reopened = run("sync", "--reopen", str(curriculum))
    assert f"recorded: reopened {PM}" in reopened.stdout
    assert json.loads(run("log", "--json").stdout)[-1]["type"] == "reopened"
    assert json.loads(run("progress", "--json").stdout)["done_hours"] == 12 + 12  # talking-to-users and ux


def test_sync_reads_only_task_lines_with_ids(ada: str, run, tmp_path: Path) -> None:
    page = tmp_path / "notes.md"
    page.write_text(
        "# My notes\n"
        f"I finished `{PM}` in my head, but that line is not a task.\n"
        f"  * [X] **Talk to users** · `not an id` · `{TALKING}`\n"
        "- [x] `education/no-such-module`\n"
        f"- [x] `{UX}`\n"
        f"- [ ] `{UX}` (twice, differently)\n",
        encoding="utf-8",
    )
    result = run("sync", str(page))
    assert result.exit_code == 0
    assert result.stdout.startswith(f"recorded: completed {TALKING}\n") and PM not in result.stdout
    assert "notes.md:4: unknown id 'education/no-such-module'" in result.stderr
    # one id ticked on one line and not on another (its stage and "The next four weeks"): the tick is the edit
    assert f"recorded: completed {UX}" in result.stdout
    page.write_text("nothing here\n", encoding="utf-8")
    assert run("sync", str(page)).exit_code == 1
