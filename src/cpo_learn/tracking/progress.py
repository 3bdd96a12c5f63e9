"""Where a learner stands against their plan: hours, percent, per-stage progress, pace, forecast, streak.

Pure: the plans, the state, the events and ``today`` come in; nothing is read or written here.

- **Pace** is the hours of the modules completed in the last four weeks (by the day each was done), per week.
- **Forecast finish** is today plus the hours left at that pace (none when the pace is zero); the plan's
  finish is the same at the learner's planned hours a week, and the original finish is where the schedule
  from their start date ended.
- **Ahead/behind** compares the hours done with the hours the *original* schedule (the plan from the
  learner's start date at their hours a week, leaving out what they skipped or waived) had done by today,
  converted to days at their hours a week: positive is ahead.
- **Streak** counts the weeks (Monday to Sunday) in a row with something recorded, back from this week (or
  from last week, so a new week does not break it before it has begun).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from cpo_learn.planning.state import ItemState, LearnerState, Status
from cpo_learn.quantities import hours_number, percent
from cpo_learn.tracking.events import Event, effective

if TYPE_CHECKING:
    from cpo_learn.content.catalog import Catalog
    from cpo_learn.planning.plan import Plan

PACE_WEEKS = 4


@dataclass(frozen=True)
class StageProgress:
    """Hours (and modules) done of the plan's total in one stage."""

    id: str
    title: str
    done_hours: float
    total_hours: float
    done_modules: int
    total_modules: int

    @property
    def percent(self) -> int:
        """Done hours as a whole percentage (100 for a stage with nothing to do)."""
        return percent(self.done_hours, self.total_hours)


@dataclass(frozen=True)
class Progress:
    """A learner's progress summary (``progress``, ``report``)."""

    learner: str
    name: str
    today: date
    stage: str | None
    done_hours: float
    total_hours: float
    stages: tuple[StageProgress, ...]
    milestones_achieved: int
    milestones_total: int
    pace: float
    plan_pace: float
    forecast_finish: date | None
    plan_finish: date | None
    original_finish: date | None
    ahead_days: int | None
    streak_weeks: int
    last_activity: str | None

    @property
    def percent(self) -> int:
        """Done hours as a whole percentage of the plan's hours."""
        return percent(self.done_hours, self.total_hours)

    @property
    def remaining_hours(self) -> float:
        """Hours left to do."""
        return max(0.0, self.total_hours - self.done_hours)

    def to_dict(self) -> dict[str, Any]:
        """``progress --json`` (the fields of DESIGN section 7, and more)."""
        return {
            "learner": self.learner, "name": self.name, "today": self.today.isoformat(), "stage": self.stage,
            "done_hours": hours_number(self.done_hours), "total_hours": hours_number(self.total_hours),
            "remaining_hours": hours_number(self.remaining_hours), "percent": self.percent,
            "stages": [{"id": s.id, "title": s.title, "done": hours_number(s.done_hours),
                        "total": hours_number(s.total_hours), "percent": s.percent, "done_modules": s.done_modules,
                        "total_modules": s.total_modules} for s in self.stages],
            "milestones": {"achieved": self.milestones_achieved, "total": self.milestones_total},
            "pace_hours_per_week": hours_number(self.pace), "plan_hours_per_week": hours_number(self.plan_pace),
            "forecast_finish": self.forecast_finish.isoformat() if self.forecast_finish else None,
            "plan_finish": self.plan_finish.isoformat() if self.plan_finish else None,
            "original_finish": self.original_finish.isoformat() if self.original_finish else None,
            "ahead_days": self.ahead_days, "streak_weeks": self.streak_weeks,
            "last_activity": self.last_activity,
        }


def pace(catalog: Catalog, state: LearnerState, today: date, weeks: int = PACE_WEEKS) -> float:
    """Hours a week of the modules completed in the last ``weeks`` weeks (today included)."""
    since = today - timedelta(days=7 * weeks - 1)
    hours = 0.0
    for module_id, item in state.modules.items():
        module = catalog.modules.get(catalog.resolve(module_id))
        if module is not None and item.status is Status.DONE and item.on is not None and since <= item.on <= today:
            hours += module.hours
    return hours / weeks


def forecast(remaining_hours: float, hours_per_week: float, today: date) -> date | None:
    """The day the remaining hours are done at ``hours_per_week``: today when nothing is left, None at 0."""
    if remaining_hours <= 0:
        return today
    if hours_per_week <= 0:
        return None
    return today + timedelta(days=math.ceil(remaining_hours / hours_per_week * 7))


def streak(events: Sequence[Event], today: date) -> int:
    """Weeks in a row with at least one event in force, counted back from this week (or last week)."""
    monday = today - timedelta(days=today.weekday())
    active = {event.day - timedelta(days=event.day.weekday()) for event in effective(events)}
    week = monday if monday in active else monday - timedelta(days=7)
    count = 0
    while week in active:
        count += 1
        week -= timedelta(days=7)
    return count


def baseline_state(state: LearnerState) -> LearnerState:
    """Only the learner's decisions that take work out of the plan (skipped and waived modules)."""
    kept: dict[str, ItemState] = {k: v for k, v in state.modules.items()
                                  if v.status in (Status.SKIPPED, Status.WAIVED)}
    return LearnerState(MappingProxyType(kept))


def baseline_start(start: date | None, events: Sequence[Event], today: date) -> date:
    """When the original schedule began: the profile's start, else the first recorded day, else today."""
    if start is not None:
        return start
    days = [event.day for event in events]
    return min(days) if days else today


def expected_hours(baseline: Plan, today: date) -> float:
    """Hours the original schedule has done by the end of today (the current week pro rata)."""
    hours = 0.0
    for entry in baseline.entries:
        for week, week_hours in entry.weeks:
            elapsed = (today - baseline.week_start(week)).days + 1
            hours += week_hours * min(max(elapsed, 0), 7) / 7
    return hours


def summarise(*, learner: str, name: str, catalog: Catalog, plan: Plan, baseline: Plan | None,
              state: LearnerState, events: Sequence[Event], today: date) -> Progress:
    """The learner's progress against ``plan`` (the plan from today) and ``baseline`` (the original one)."""
    stages = tuple(
        StageProgress(s.stage.id, s.stage.title, s.done_hours, s.total_hours, s.done, s.total)
        for s in plan.stage_summaries()
    )
    to_do = [entry for entry in plan.entries if entry.to_do]
    hours_per_week = float(plan.profile.hours_per_week)
    recent = pace(catalog, state, today)
    remaining = plan.remaining_hours
    ahead: int | None = None
    if baseline is not None and hours_per_week > 0:
        ahead = round((plan.done_hours - expected_hours(baseline, today)) / (hours_per_week / 7))
    achieved = sum(1 for m in plan.milestones if m.status is Status.ACHIEVED)
    return Progress(
        learner=learner, name=name, today=today, stage=to_do[0].module.stage if to_do else None,
        done_hours=plan.done_hours, total_hours=plan.total_hours, stages=stages,
        milestones_achieved=achieved, milestones_total=len(plan.milestones),
        pace=recent, plan_pace=hours_per_week, forecast_finish=forecast(remaining, recent, today),
        plan_finish=plan.finish, original_finish=baseline.finish if baseline is not None else None,
        ahead_days=ahead, streak_weeks=streak(events, today),
        last_activity=events[-1].timestamp if events else None,
    )
