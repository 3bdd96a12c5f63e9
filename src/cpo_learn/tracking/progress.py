"""Where a learner stands against their plan: hours, percent, per-stage progress, pace, forecast, streak.

Pure: the plans, the state, the events and ``today`` come in; nothing is read or written here.

- **Pace** is the hours of the plan's modules completed in the last four weeks (by the day each was done), per
  week. Work recorded on modules outside the plan is counted apart (``outside_plan_hours``).
- **Forecast finish** is today plus the hours left at that pace (none when the pace is zero); the plan's
  finish is the same at the learner's planned hours a week, and the original finish is where the schedule
  from their start date ended.
- **Ahead/behind** compares the hours done with the hours the *original* schedule (the plan from the
  learner's start date, leaving out what they skipped or waived, at the hours a week they had set at each
  time: changing them re-plans from that day on, never the past) had done before today, converted to days at
  their hours a week: positive is ahead. On the start date nobody is behind.
- **Catch-up** is the hours a week that do what is left between today and the original schedule's end (both
  days included), for a learner who is behind.
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
from cpo_learn.tracking.ratings import SkillRating

if TYPE_CHECKING:
    from cpo_learn.content.catalog import Catalog
    from cpo_learn.planning.plan import Plan, PlannedModule

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
    stage: str
    next_module_stage: str | None
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
    outside_plan_hours: float = 0.0
    skill_ratings: tuple[SkillRating, ...] = ()
    """Each rated skill's first and latest rating (``progress``; the report leaves them out)."""

    @property
    def percent(self) -> int:
        """Done hours as a whole percentage of the plan's hours."""
        return percent(self.done_hours, self.total_hours)

    @property
    def remaining_hours(self) -> float:
        """Hours left to do."""
        return max(0.0, self.total_hours - self.done_hours)

    @property
    def milestones_left(self) -> int:
        """The plan's milestones not achieved yet."""
        return self.milestones_total - self.milestones_achieved

    @property
    def finished(self) -> bool:
        """Nothing is left in the plan: every module dealt with and every milestone achieved."""
        return self.remaining_hours <= 0 and not self.milestones_left

    @property
    def modules_done_note(self) -> str:
        """What is left once every module is dealt with: "everything in your plan is done", or the milestones
        still to achieve ("every module of your plan is done; 2 milestones to achieve")."""
        from cpo_learn.planning.plan import milestones_to_achieve

        left = self.milestones_left
        if not left:
            return "everything in your plan is done"
        return f"every module of your plan is done; {milestones_to_achieve(left)}"

    def to_dict(self) -> dict[str, Any]:
        """``progress --json`` (the fields of DESIGN section 7, and more)."""
        return {
            "learner": self.learner, "name": self.name, "today": self.today.isoformat(), "stage": self.stage,
            "next_module_stage": self.next_module_stage,
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
            "outside_plan_hours": hours_number(self.outside_plan_hours),
            "skills": [rating.to_dict() for rating in self.skill_ratings],
        }


def completed_between(plan: Plan, since: date, until: date) -> list[PlannedModule]:
    """The plan's modules completed from ``since`` to ``until`` (both included), by the day each was done, in
    plan order: the work ``pace`` and ``week`` count."""
    out = []
    for entry in plan.entries:
        item = entry.recorded
        if entry.status is Status.DONE and item is not None and item.on is not None and since <= item.on <= until:
            out.append(entry)
    return out


def pace(plan: Plan, today: date, weeks: int = PACE_WEEKS) -> float:
    """Hours a week of the plan's modules completed in the last ``weeks`` weeks (today included)."""
    since = today - timedelta(days=7 * weeks - 1)
    return sum(entry.hours for entry in completed_between(plan, since, today)) / weeks


def outside_plan_hours(plan: Plan, catalog: Catalog, state: LearnerState) -> float:
    """Hours of the modules recorded as done that the plan does not hold (outside the learner's stages and not
    needed by anything in them)."""
    in_plan = {entry.id for entry in plan.entries}
    hours = 0.0
    for module_id, item in state.modules.items():
        module = catalog.modules.get(catalog.resolve(module_id))
        if module is not None and item.status is Status.DONE and module.id not in in_plan:
            hours += module.hours
    return hours


def forecast(remaining_hours: float, hours_per_week: float, today: date) -> date | None:
    """The day the remaining hours are done at ``hours_per_week``: today when nothing is left, None at 0."""
    if remaining_hours <= 0:
        return today
    if hours_per_week <= 0:
        return None
    return today + timedelta(days=math.ceil(remaining_hours / hours_per_week * 7))


def forecast_finish(plan: Plan, hours_per_week: float, today: date) -> date | None:
    """The day the plan's work left to do is done at ``hours_per_week`` (the learner's pace): the hours left at
    that pace, but never before the career timeline lets that work be done (``Plan.career_bound``: work that
    needs a role waits for the learner to reach it, however fast they study). None at 0 h a week."""
    at_pace = forecast(plan.remaining_hours, hours_per_week, today)
    bound = plan.career_bound
    if at_pace is None or bound is None:
        return at_pace
    return max(at_pace, bound)


def hours_a_week_to_finish(remaining_hours: float, today: date, by: date) -> float | None:
    """The hours a week that do ``remaining_hours`` from today to ``by`` (both days included); None when ``by``
    has passed, 0 when nothing is left."""
    if remaining_hours <= 0:
        return 0.0
    if by < today:
        return None
    return remaining_hours / (((by - today).days + 1) / 7)


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


@dataclass(frozen=True)
class Baseline:
    """The learner's original schedule: its hours (the plan from the start date, leaving out only what they
    skipped or waived), where it starts, and the hours a week in force from each day on (oldest first)."""

    total_hours: float
    start: date
    rates: tuple[tuple[date, float], ...]

    def rate_on(self, day: date) -> float:
        """The hours a week in force on ``day`` (the first rate before any change)."""
        found = self.rates[0][1]
        for since, hours in self.rates:
            if since <= day:
                found = hours
        return found

    def expected_hours(self, today: date) -> float:
        """Hours the schedule had done before today: each whole day since the start at the hours a week of
        that day, never more than the schedule holds. 0 on the start date."""
        hours = 0.0
        day = self.start
        changes = [since for since, _ in self.rates if self.start < since < today]
        for until in [*changes, today]:
            if until > day:
                hours += self.rate_on(day) * (until - day).days / 7
                day = until
        return min(hours, self.total_hours)

    def hours_between(self, since: date, until: date) -> float:
        """Hours the schedule holds from ``since`` up to ``until`` (not included): ``expected_hours`` of the one
        day less that of the other, so a week's share and the whole agree."""
        return max(0.0, self.expected_hours(until) - self.expected_hours(since))

    def finish(self) -> date | None:
        """The last day of the schedule week in which the schedule's hours are all done (None: nothing to do,
        or never at 0 h a week)."""
        if self.total_hours <= 0:
            return None
        done, week = 0.0, 0
        while done < self.total_hours - 1e-9:
            rate = self.rate_on(self.start + timedelta(days=7 * week))
            if rate <= 0 or week > 52 * 200:
                return None
            done += rate
            week += 1
        try:
            return self.start + timedelta(days=7 * week - 1)
        except OverflowError:
            return None


def summarise(*, learner: str, name: str, catalog: Catalog, plan: Plan, baseline: Baseline | None,
              state: LearnerState, events: Sequence[Event], today: date) -> Progress:
    """The learner's progress against ``plan`` (the plan from today) and ``baseline`` (the original schedule)."""
    stages = tuple(
        StageProgress(s.stage.id, s.stage.title, s.done_hours, s.total_hours, s.done, s.total)
        for s in plan.stage_summaries()
    )
    to_do = [entry for entry in plan.entries if entry.to_do]
    hours_per_week = float(plan.profile.hours_per_week)
    recent = pace(plan, today)
    ahead: int | None = None
    if baseline is not None and hours_per_week > 0:
        ahead = round((plan.done_hours - baseline.expected_hours(today)) / (hours_per_week / 7))
    achieved = len(plan.milestones) - plan.milestones_left
    return Progress(
        learner=learner, name=name, today=today, stage=plan.profile.stage,
        next_module_stage=to_do[0].module.stage if to_do else None,
        done_hours=plan.done_hours, total_hours=plan.total_hours, stages=stages,
        milestones_achieved=achieved, milestones_total=len(plan.milestones),
        pace=recent, plan_pace=hours_per_week, forecast_finish=forecast_finish(plan, recent, today),
        plan_finish=plan.finish, original_finish=baseline.finish() if baseline is not None else None,
        ahead_days=ahead, streak_weeks=streak(events, today),
        last_activity=events[-1].timestamp if events else None,
        outside_plan_hours=outside_plan_hours(plan, catalog, state),
    )
