"""Two clocks: the study schedule (hours a week) and the career timeline (when each stage can be reached).

Properties over generated catalogs and profiles (hypothesis), the timeline's rules on the built-in stages, and
a check over the built-in content that experience is never booked sooner than it can happen.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from datetime import date, timedelta
from types import MappingProxyType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpo_learn.app.context import App
from cpo_learn.content.catalog import Catalog
from cpo_learn.planning.plan import Plan, minutes
from cpo_learn.planning.planner import make_plan
from cpo_learn.planning.profile import Profile
from cpo_learn.planning.state import EMPTY_STATE, LearnerState
from cpo_learn.planning.timeline import career_timeline, typical_years
from cpo_learn.tracking.progress import forecast, forecast_finish
from helpers import Invoke
from synthetic import catalogs, profiles, states

TODAY = st.dates(date(2025, 1, 1), date(2028, 12, 31))
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
Case = tuple[Catalog, Profile, LearnerState, date]


@st.composite
def inputs(draw: st.DrawFn) -> Case:
    catalog = draw(catalogs())
    return catalog, draw(profiles()), draw(states(catalog)), draw(TODAY)


def arrival(plan: Plan, stage: str) -> date | None:
    found = plan.arrival(stage)
    return found.earliest if found is not None else None


@SETTINGS
@given(inputs())
def test_a_module_with_calendar_weeks_spans_at_least_that_many(case: Case) -> None:
    plan = make_plan(*case)
    for entry in plan.entries:
        if entry.to_do and entry.module.weeks:
            span = entry.weeks[-1][0] - entry.weeks[0][0] + 1
            assert span >= entry.module.weeks, (entry.id, span, entry.module.weeks)


@SETTINGS
@given(inputs())
def test_no_week_holds_more_study_than_the_budget(case: Case) -> None:
    plan = make_plan(*case)
    budget = minutes(plan.profile.hours_per_week)
    for week in plan.weeks():
        assert round(week.hours * 60) <= budget, week.number


@SETTINGS
@given(inputs())
def test_a_milestone_is_due_its_calendar_weeks_after_its_first_module_starts(case: Case) -> None:
    plan = make_plan(*case)
    for milestone in plan.milestones:
        weeks = milestone.milestone.weeks
        starts = [e.start for e in plan.entries if e.id in milestone.milestone.requires and e.start]
        starts += [e.recorded.on for e in plan.entries if e.id in milestone.milestone.requires
                   and e.status == "done" and e.recorded is not None and e.recorded.on is not None]
        if weeks and starts and milestone.due is not None:
            assert milestone.due >= min(starts) + timedelta(days=7 * weeks - 1), milestone.id


@SETTINGS
@given(inputs())
def test_no_in_role_work_is_dated_before_the_arrival_in_its_stage(case: Case) -> None:
    plan = make_plan(*case)
    current = plan.catalog.stage_index(plan.profile.stage)
    for entry in plan.entries:
        if entry.to_do and entry.module.in_role and plan.catalog.stage_index(entry.module.stage) > current:
            day = arrival(plan, entry.module.stage)
            if day is not None and entry.due is not None:
                assert entry.due >= day, (entry.id, entry.due, day)
    for milestone in plan.milestones:
        stage = milestone.milestone.stage
        if milestone.milestone.in_role and milestone.due and plan.catalog.stage_index(stage) > current:
            day = arrival(plan, stage)
            assert day is None or milestone.due >= day


@SETTINGS
@given(inputs())
def test_a_stage_is_studied_no_earlier_than_the_arrival_in_the_stage_before(case: Case) -> None:
    plan = make_plan(*case)
    ids = plan.catalog.stage_ids
    current = ids.index(plan.profile.stage)
    for entry in plan.entries:
        index = ids.index(entry.module.stage)
        if entry.to_do and index >= current + 2:
            day = arrival(plan, ids[index - 1])
            if day is not None and entry.due is not None:
                assert entry.due >= day, (entry.id, entry.due, day)


@SETTINGS
@given(inputs())
def test_the_learners_own_stage_dates_override_the_estimate(case: Case) -> None:
    plan = make_plan(*case)
    for stage, day in plan.profile.stage_dates.items():
        found = plan.arrival(stage)
        if found is not None:
            assert found.earliest == found.likely == day and found.source == "your date"


@SETTINGS
@given(inputs())
def test_habits_never_change_the_finish_date(case: Case) -> None:
    catalog, profile, state, today = case
    plain = {module_id: replace(module, habit=None) for module_id, module in catalog.modules.items()}
    without = replace(catalog, modules=MappingProxyType(plain))
    assert make_plan(catalog, profile, state, today).finish == make_plan(without, profile, state, today).finish


def test_typical_years_read_ranges_plus_and_plain_numbers() -> None:
    assert typical_years("3-5") == (3, 4)
    assert typical_years("2+") == (2, 2)
    assert typical_years("4") == (4, 4)
    assert typical_years("ongoing") is None


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return App().catalog()


def profile(**fields: object) -> Profile:
    base: dict[str, object] = {"name": "Mia", "stage": "mid-level", "hours_per_week": 6.0, "start": date(2027, 1, 4)}
    base.update(fields)
    return Profile(**base)  # type: ignore[arg-type]


def test_arrival_is_estimated_from_typical_years_lower_bound_and_midpoint(catalog: Catalog) -> None:
    timeline = career_timeline(catalog.stages, profile(), date(2027, 1, 4))
    by_stage = {a.stage.id: a for a in timeline}
    lower, middle = typical_years(catalog.stage("mid-level").typical_years) or (0, 0)
    assert by_stage["mid-level"].source == "current"
    leadership = by_stage["leadership"]
    assert leadership.source == "estimate"
    assert leadership.earliest is not None and leadership.likely is not None
    assert abs((leadership.earliest - date(2027, 1, 4)).days - lower * 365.25) <= 1
    assert abs((leadership.likely - date(2027, 1, 4)).days - middle * 365.25) <= 1


def test_in_stage_since_counts_from_when_the_learner_got_there(catalog: Catalog) -> None:
    later = career_timeline(catalog.stages, profile(in_stage_since=date(2024, 1, 1)), date(2027, 1, 4))
    now = career_timeline(catalog.stages, profile(), date(2027, 1, 4))
    assert later[1].earliest is not None and now[1].earliest is not None and later[1].earliest < now[1].earliest


def test_a_target_date_spreads_the_stages_in_between(catalog: Catalog) -> None:
    timeline = career_timeline(catalog.stages, profile(target_date=date(2031, 1, 1)), date(2027, 1, 4))
    by_stage = {a.stage.id: a for a in timeline}
    assert by_stage["cpo"].earliest == date(2031, 1, 1) and by_stage["cpo"].source == "target date"
    leadership = by_stage["leadership"].earliest
    assert leadership is not None and date(2027, 1, 4) < leadership < date(2031, 1, 1)


@pytest.mark.parametrize("stage", ["education", "starting-roles", "mid-level", "leadership"])
def test_a_learner_at_every_stage_gets_a_timeline_and_no_role_work_before_the_role(catalog: Catalog,
                                                                                  stage: str) -> None:
    plan = make_plan(catalog, profile(stage=stage), EMPTY_STATE, date(2027, 1, 4))
    assert [a.stage.id for a in plan.timeline] == list(catalog.stage_ids[catalog.stage_index(stage):])
    current = catalog.stage_index(stage)
    for entry in plan.entries:
        if entry.to_do and entry.module.in_role and catalog.stage_index(entry.module.stage) > current:
            day = arrival(plan, entry.module.stage)
            assert day is None or (entry.start is not None and entry.due is not None and entry.due >= day)


# a duration the work lasts ("for a year", "over at least two quarters"), not a deadline ("within a quarter")
LASTING = re.compile(r"\b(?:at least|over|for|throughout|across|spanning)\s+(?:at least\s+)?"
                     r"(?P<count>a|an|one|two|three|four|six|twelve|\d+)?\s*(?:full\s+)?"
                     r"(?P<unit>years?|quarters?|months?)\b", re.IGNORECASE)
COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "six": 6, "twelve": 12}
WEEKS_IN = {"year": 52, "quarter": 13, "month": 4}


def least_weeks(text: str) -> int:
    """The longest duration the text says the work lasts, in weeks (0: none)."""
    found = 0
    for match in LASTING.finditer(text):
        word = (match.group("count") or "a").lower()
        count = COUNTS.get(word) or int(word)
        found = max(found, count * WEEKS_IN[match.group("unit").lower().rstrip("s")])
    return found


def test_no_milestone_speaking_of_a_year_or_a_quarter_is_due_sooner(catalog: Catalog) -> None:
    """Read the fields, not the prose: a milestone whose criteria say the work lasts a year (or a quarter, or
    two) must declare at least that many calendar weeks, and every plan honours the field (the properties above).
    """
    assert least_weeks("kept it up for at least two quarters") == 26 and least_weeks("within a quarter") == 0
    for milestone in catalog.milestones.values():
        needed = least_weeks(" ".join(milestone.criteria))
        assert (milestone.weeks or 0) >= needed, f"{milestone.id} speaks of {needed} weeks: declare weeks: {needed}"


@SETTINGS
@given(inputs())
def test_the_career_bound_holds_the_plan_and_every_held_back_module(case: Case) -> None:
    plan = make_plan(*case)
    bound = plan.career_bound
    held = [entry for entry in plan.entries if entry.to_do and entry.not_before is not None]
    if bound is None:
        assert not held
        return
    assert plan.finish is not None and bound <= plan.finish
    for entry in held:
        assert entry.not_before is not None and bound >= entry.not_before, entry.id


@SETTINGS
@given(inputs(), st.floats(0.5, 10_000))
def test_no_pace_forecasts_a_finish_before_the_career_timeline_allows(case: Case, pace: float) -> None:
    plan = make_plan(*case)
    today = case[3]
    found, study = forecast_finish(plan, pace, today), forecast(plan.remaining_hours, pace, today)
    assert found is not None and study is not None and found >= study
    bound = plan.career_bound
    if bound is not None:
        assert found >= bound
    assert found in (study, bound)  # the later of the two: no later than the hours or the timeline make it


def test_studying_fast_does_not_bring_role_work_forward(run: Invoke) -> None:
    """A learner in a starting role who did a month's work in a week: the hours left at that pace end sooner than
    the mid-level role their plan's in-role work waits for, and the forecast says the later day."""
    today = date.today()
    assert run("init", "--name", "Ada", "--stage", "starting-roles", "--target", "mid-level", "--hours", "4",
               "--start", (today - timedelta(days=30)).isoformat()).exit_code == 0
    plan = json.loads(run("generate", "--format", "json", "-o", "-").stdout)
    modules = [m for s in plan["stages"] for m in s["modules"]]
    for module in [m for m in modules if m["status"] == "planned" and not m["not_before"]][:8]:
        assert run("done", module["id"], "--force").exit_code == 0
    plan = json.loads(run("generate", "--format", "json", "-o", "-").stdout)
    held = [m["not_before"] for s in plan["stages"] for m in s["modules"]
            if m["status"] in ("planned", "started") and m["not_before"]]
    assert held, "the plan holds work that waits for the mid-level role"
    progress = json.loads(run("progress", "--json").stdout)
    study_only = today + timedelta(days=math.ceil(progress["remaining_hours"] / progress["pace_hours_per_week"] * 7))
    assert study_only < date.fromisoformat(max(held))  # the case the rule is for
    assert progress["forecast_finish"] >= max(held)
    week = json.loads(run("week", "--json").stdout)
    assert week["on_track"]["forecast_finish"] == progress["forecast_finish"]
