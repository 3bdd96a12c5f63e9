"""``cpo-learn week``: this week's planned work, what is under way, habits, the next milestone, and whether the
learner is on track."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cpo_learn.app.context import App
from cpo_learn.cli.options import echo_json, json_option, parse_day, say
from cpo_learn.quantities import hours_text

if TYPE_CHECKING:
    from datetime import date

    from cpo_learn.tracking.week import WeekView


def _h(hours: float) -> str:
    return hours_text(hours, 1)


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def _on_track(view: WeekView) -> list[str]:
    """The lines that say whether the learner is on track, and what it takes to catch up."""
    from cpo_learn.tracking.week import Track

    p = view.progress
    track = view.track
    ends = p.original_finish.isoformat() if p.original_finish else None
    if track is Track.FINISHED:
        return ["On track: everything in your plan is done."]
    finishes = []
    if p.forecast_finish:
        finishes.append(f"at your pace ({_h(p.pace)} h a week over the last 4 weeks) you finish on "
                        f"{p.forecast_finish.isoformat()}")
    if p.plan_finish:
        finishes.append(f"at {_h(p.plan_pace)} h a week{'' if finishes else ' you finish'} on "
                        f"{p.plan_finish.isoformat()}")
    finish = "; ".join(finishes)
    finish = finish[:1].upper() + finish[1:] + "." if finish else ""
    if track is Track.AHEAD:
        schedule = f" (your schedule ends on {ends})" if ends else ""
        return [f"On track: {_days(p.ahead_days or 0)} ahead of your schedule{schedule}.", finish]
    if track is Track.ON_SCHEDULE:
        return ["On track: on schedule" + (f", which ends on {ends}." if ends else ".")]
    lines = [f"Behind: {_days(-(p.ahead_days or 0))} behind your schedule"
             + (f", which ends on {ends}." if ends else ".")]
    catch_up = view.catch_up_hours_per_week
    if catch_up is not None and ends:
        lines.append(f"To catch up by {ends}: {_h(catch_up)} h a week (you planned {_h(p.plan_pace)}).")
    elif ends:
        lines.append(f"Your schedule ended on {ends}: too late to catch up by then.")
    return [*lines, finish]


def describe_week(view: WeekView) -> str:
    """The text ``week`` prints: one screen."""
    from cpo_learn.rendering.json_data import table
    from cpo_learn.tracking.week import Schedule

    this = view.is_this_week
    when = "this week" if this else "that week"
    p = view.progress
    lines = [f"{p.name}: week {view.iso} ({view.monday.isoformat()} to {view.sunday.isoformat()})"
             + (", this week" if this else ""), ""]
    which = "your plan" if view.schedule is Schedule.PLAN else "your original schedule"
    if view.planned:
        span = view.plan_week_span
        dates = f": {span[0].isoformat()} to {span[1].isoformat()}" if span else ""
        lines.append(f"Planned {when}: {_h(view.planned_hours)} h (week {view.plan_week} of {which}{dates})")
        rows = [[w.entry.id, f"{_h(w.hours)} of {_h(w.entry.hours)}", w.status,
                 (w.entry.due.isoformat() if w.entry.due else "") + (" *" if w.finishes else ""),
                 w.entry.module.title] for w in view.planned]
        lines += ["  " + line for line in table(rows, ["id", "hours", "status", "due", "title"]).splitlines()]
        if any(w.finishes for w in view.planned):
            lines.append("  * finished in this schedule week")
    elif view.progress.remaining_hours <= 0 and view.schedule is Schedule.PLAN:
        lines.append(f"Planned {when}: nothing, {view.progress.modules_done_note}")
    elif view.sunday < view.schedule_start:
        lines.append(f"Planned {when}: nothing, {which} starts on {view.schedule_start.isoformat()}")
    else:
        lines.append(f"Planned {when}: nothing in {which}")
    lines.append("")
    if view.in_progress:
        lines.append("In progress: " + "; ".join(
            f"{e.id} (since {e.recorded.on.isoformat() if e.recorded and e.recorded.on else '?'}"
            + (f", due {e.due.isoformat()})" if e.due else ")") for e in view.in_progress))
    else:
        first = next((w.entry.id for w in view.planned if w.status.to_do), None)
        lines.append("In progress: nothing" + (f" (begin with 'cpo-learn start {first}')" if first else ""))
    if view.habits:
        lines.append(f"Habits to keep (working time, not study time): {_h(view.habit_hours)} h a week")
        lines += [f"  - {h.what}: {_h(h.hours_per_week)} h a week (from {h.entry.id}"
                  + (f", since {h.since.isoformat()})" if h.since else ")") for h in view.habits]
    else:
        lines.append("Habits to keep: none yet (modules that build one start it once they are done)")
    milestone = view.next_milestone
    if milestone is None:
        lines.append("Next milestone: none ahead")
    else:
        due = (f"ready now: 'cpo-learn achieve {milestone.id} --evidence ...'" if milestone.ready
               else f"due {milestone.due.isoformat()}" if milestone.due else "")
        lines.append(f"Next milestone: {milestone.milestone.title} ({milestone.id}), {due}")
    done = (" (" + ", ".join(e.id for e in view.done) + ")") if view.done else ""
    lines += ["", f"Done {when}: {_h(view.done_hours)} h of the {_h(view.expected_hours)} h your schedule "
              f"has for {when}{done}"]
    lines += [line for line in _on_track(view) if line]
    return "\n".join(lines)


def _week_day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    return None if value is None else parse_day(value, future=True)


@click.command()
@click.option("--on", "on", metavar="DATE", callback=_week_day,
              help="Show the week (Monday to Sunday) holding DATE: YYYY-MM-DD, 'today' or 'yesterday' "
                   "(default: today).")
@json_option
@click.pass_obj
def week(app: App, on: date | None, as_json: bool) -> None:
    """Show this week: planned modules and hours, what is in progress, habits to keep, the next milestone,
    the hours done against your schedule, and what it takes to catch up when you are behind.

    Weeks run Monday to Sunday. This week and later ones come from your plan from today (as 'generate' and
    'next' show it); an earlier week from your original schedule. Ahead or behind is always as of today.

    \b
    Example:
        cpo-learn week
        cpo-learn week --on 2027-01-11        the week holding 11 January 2027
        cpo-learn --learner ada week --json
    """
    from cpo_learn.app.week import learner_week

    view = learner_week(app, on)
    if as_json:
        echo_json(view.to_dict())
    else:
        say(describe_week(view))
