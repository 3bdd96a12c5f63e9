"""A learner's week at a glance (``week``): the work planned in one ISO week (Monday to Sunday), what is under
way, the habits to keep, the next milestone, the hours done that week against the schedule, and whether they
are on track, with what it takes to catch up.

Pure: the plans, the baseline and the progress summary come in (``app.progress.learner_standing`` makes them
once, for ``progress`` too); nothing is read or written here, and no clock is read.

- **Which schedule.** A plan's weeks are seven-day periods from its ``schedule_start``, so every ISO week holds
  the first day of exactly one of them: that schedule week is the ISO week's planned work. This week and the
  weeks to come are read from the plan from today (what ``generate`` and ``next`` show); a week before this
  one from the original schedule (the plan from the start date that ``progress`` measures ahead/behind
  against), each module with the status it has now.
- **Done this week** is the hours of the plan's modules completed in the week, by the day each was done (the
  rule of ``pace``: a module counts, whole, on the day it is done). **Expected** is the hours the original
  schedule holds in the week, at the hours a week in force on each day.
- **Habits** are the practices of the plan's modules (their ``habit``) that have begun by the week's end.
- **Next milestone**: the first one ready to be achieved now, else the one due first from the week's Monday
  on (milestones that cannot be achieved as planned are left out).
- **On track** is ``progress``'s ahead/behind, as of today: behind, it adds the hours a week that finish
  what is left by the end of the original schedule (``hours_a_week_to_finish``) and the finish at the
  current pace.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from cpo_learn.planning.state import Status
from cpo_learn.quantities import hours_number
from cpo_learn.tracking.progress import completed_between, hours_a_week_to_finish

if TYPE_CHECKING:
    from cpo_learn.planning.plan import Habitual, Plan, PlannedMilestone, PlannedModule
    from cpo_learn.tracking.progress import Baseline, Progress


class Track(StrEnum):
    """Where the learner stands against their original schedule. The values are what JSON shows."""

    AHEAD = "ahead"
    ON_SCHEDULE = "on-schedule"
    BEHIND = "behind"
    FINISHED = "finished"  # nothing left to do in the plan: every module dealt with, every milestone achieved


class Schedule(StrEnum):
    """Which schedule a week's planned work comes from. The values are what JSON shows."""

    PLAN = "plan"  # the plan from today: this week and the weeks to come
    ORIGINAL = "original"  # the schedule from the start date: weeks gone by


def iso_week(day: date) -> tuple[date, date]:
    """The Monday and the Sunday of the ISO week holding ``day`` (the Sunday is ``date.max`` at the end of
    time)."""
    monday = day - timedelta(days=day.weekday())
    try:
        return monday, monday + timedelta(days=6)
    except OverflowError:
        return monday, date.max


@dataclass(frozen=True)
class WeekWork:
    """A module's share of the week: the entry as its schedule has it, its status now, its hours this week, and
    whether the schedule has it finished in this week."""

    entry: PlannedModule
    status: Status
    hours: float
    finishes: bool


@dataclass(frozen=True)
class WeekView:
    """One ISO week of a learner's plan beside where they stand (``week``)."""

    progress: Progress
    day: date
    monday: date
    sunday: date
    schedule: Schedule
    schedule_start: date
    plan_week: int | None
    planned: tuple[WeekWork, ...]
    in_progress: tuple[PlannedModule, ...]
    habits: tuple[Habitual, ...]
    next_milestone: PlannedMilestone | None
    done: tuple[PlannedModule, ...]
    expected_hours: float

    @property
    def iso(self) -> str:
        """The week as ISO 8601 writes it: ``2026-W49``."""
        year, week, _ = self.monday.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def plan_week_span(self) -> tuple[date, date] | None:
        """The first and last day of the schedule week shown (it starts in this ISO week, on the weekday the
        schedule started on); None when no schedule week starts in it."""
        if self.plan_week is None:
            return None
        first = self.schedule_start + timedelta(days=7 * (self.plan_week - 1))
        try:
            return first, first + timedelta(days=6)
        except OverflowError:
            return first, date.max

    @property
    def is_this_week(self) -> bool:
        """The week holds today."""
        return self.monday <= self.progress.today <= self.sunday

    @property
    def planned_hours(self) -> float:
        """Hours of the week's planned work."""
        return sum(work.hours for work in self.planned)

    @property
    def done_hours(self) -> float:
        """Hours of the plan's modules completed in the week."""
        return sum(entry.hours for entry in self.done)

    @property
    def habit_hours(self) -> float:
        """Working time a week the week's habits take."""
        return sum(habit.hours_per_week for habit in self.habits)

    @property
    def track(self) -> Track:
        """Ahead, on schedule, behind (``progress``'s ahead/behind, as of today), or finished."""
        if self.progress.finished:
            return Track.FINISHED
        days = self.progress.ahead_days or 0
        return Track.AHEAD if days > 0 else Track.BEHIND if days < 0 else Track.ON_SCHEDULE

    @property
    def catch_up_hours_per_week(self) -> float | None:
        """Behind: the hours a week that finish what is left by the original schedule's end (None when that
        end has passed, or when not behind)."""
        end = self.progress.original_finish
        if self.track is not Track.BEHIND or end is None:
            return None
        return hours_a_week_to_finish(self.progress.remaining_hours, self.progress.today, end)

    def to_dict(self) -> dict[str, Any]:
        """``week --json``."""
        p = self.progress
        milestone = self.next_milestone
        catch_up = self.catch_up_hours_per_week
        span = self.plan_week_span
        return {
            "learner": p.learner, "name": p.name, "today": p.today.isoformat(),
            "week": {"iso": self.iso, "start": self.monday.isoformat(), "end": self.sunday.isoformat(),
                     "this_week": self.is_this_week, "schedule": str(self.schedule),
                     "schedule_start": self.schedule_start.isoformat(), "plan_week": self.plan_week,
                     "plan_week_start": _iso(span[0] if span else None),
                     "plan_week_end": _iso(span[1] if span else None)},
            "planned": [{"id": w.entry.id, "title": w.entry.module.title, "stage": w.entry.module.stage,
                         "status": str(w.status), "hours": hours_number(w.hours),
                         "module_hours": hours_number(w.entry.hours), "start": _iso(w.entry.start),
                         "due": _iso(w.entry.due), "finishes_this_week": w.finishes} for w in self.planned],
            "planned_hours": hours_number(self.planned_hours),
            "in_progress": [{"id": e.id, "title": e.module.title, "stage": e.module.stage,
                             "hours": hours_number(e.hours), "since": _iso(e.recorded.on if e.recorded else None),
                             "due": _iso(e.due)} for e in self.in_progress],
            "habits": [{"module": h.entry.id, "what": h.what, "hours_per_week": hours_number(h.hours_per_week),
                        "since": _iso(h.since)} for h in self.habits],
            "habit_hours_per_week": hours_number(self.habit_hours),
            "next_milestone": None if milestone is None else {
                "id": milestone.id, "title": milestone.milestone.title, "stage": milestone.milestone.stage,
                "due": _iso(milestone.due), "week": milestone.week, "ready": milestone.ready},
            "done": [{"id": e.id, "title": e.module.title, "hours": hours_number(e.hours),
                      "on": _iso(e.recorded.on if e.recorded else None)} for e in self.done],
            "done_hours": hours_number(self.done_hours),
            "expected_hours": hours_number(self.expected_hours),
            "on_track": {
                "status": str(self.track), "ahead_days": p.ahead_days,
                "hours_per_week": hours_number(p.plan_pace), "pace_hours_per_week": hours_number(p.pace),
                "remaining_hours": hours_number(p.remaining_hours),
                "schedule_finish": _iso(p.original_finish),
                "catch_up_hours_per_week": None if catch_up is None else hours_number(catch_up, 1),
                "forecast_finish": _iso(p.forecast_finish), "plan_finish": _iso(p.plan_finish),
            },
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _schedule_week(plan: Plan, monday: date, sunday: date) -> tuple[int | None, list[tuple[PlannedModule, float]]]:
    """The schedule week of ``plan`` whose first day is in the ISO week, and the hours each module gets in it."""
    if sunday < plan.schedule_start:
        return None, []
    number = (max(monday, plan.schedule_start) - plan.schedule_start).days // 7 + 1
    try:
        if plan.week_start(number) < monday:  # the schedule week under way on Monday began last ISO week
            number += 1
        if plan.week_start(number) > sunday:
            return None, []
    except OverflowError:  # a week at the end of time: no schedule week begins in it
        return None, []
    work = [(entry, hours) for entry in plan.entries for week, hours in entry.weeks if week == number]
    return number, work


def next_milestone(plan: Plan, since: date) -> PlannedMilestone | None:
    """The first milestone ready to be achieved now, else the one due first on or after ``since`` (in plan
    order for a tie); milestones that cannot be achieved as planned (``blocked``) are left out."""
    open_ = [m for m in plan.milestones if m.status is Status.PLANNED and m.blocked is None]
    ready = [m for m in open_ if m.ready]
    if ready:
        return ready[0]
    due = [m for m in open_ if m.due is not None and m.due >= since]
    return min(due, key=lambda m: m.due or date.max) if due else None


def summarise_week(*, progress: Progress, plan: Plan, original: Plan, baseline: Baseline, day: date) -> WeekView:
    """The ISO week holding ``day``: ``plan`` is the plan from today (``progress.today``), ``original`` the
    schedule from the start date and ``baseline`` the one ``progress`` measures against (see the module
    docstring for the rules)."""
    today = progress.today
    monday, sunday = iso_week(day)
    schedule = Schedule.ORIGINAL if sunday < iso_week(today)[0] else Schedule.PLAN
    source = original if schedule is Schedule.ORIGINAL else plan
    number, work = _schedule_week(source, monday, sunday)
    planned = []
    for entry, hours in work:
        now = plan.entry(entry.id)
        finishes = bool(entry.weeks) and entry.weeks[-1][0] == number
        planned.append(WeekWork(entry, now.status if now is not None else entry.status, hours, finishes))
    # the baseline starts no later than today (nobody is behind before their start date); a week's share is
    # counted from the day the original schedule really begins
    counted = replace(baseline, start=max(baseline.start, original.schedule_start))
    after_sunday = sunday + timedelta(days=1) if sunday < date.max else sunday
    return WeekView(
        progress=progress, day=day, monday=monday, sunday=sunday, schedule=schedule,
        schedule_start=source.schedule_start, plan_week=number, planned=tuple(planned),
        in_progress=tuple(e for e in plan.entries if e.status is Status.STARTED),
        habits=tuple(h for h in plan.habits() if h.since is not None and h.since <= sunday),
        next_milestone=next_milestone(plan, monday),
        done=tuple(completed_between(plan, monday, sunday)),
        expected_hours=counted.hours_between(monday, after_sunday),
    )
