"""``progress`` and ``next``: where the learner stands against their plan, and what they can do next."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from cpo_learn.app.context import App
from cpo_learn.cli.options import display, echo_json, json_option, say, show_table
from cpo_learn.quantities import hours_text
from cpo_learn.terminal import display_width, one_line, pad, paint, terminal_text, wrap

if TYPE_CHECKING:
    from cpo_learn.planning.plan import PlannedModule
    from cpo_learn.tracking.progress import Progress

BAR_WIDTH = 20
"""The widest a stage's bar gets; on a narrow terminal it shrinks to ``BAR_MIN``."""
BAR_MIN = 5


def _bar(percent: int, width: int = BAR_WIDTH, colour: bool = False) -> str:
    full, empty = "█", "░"
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        (full + empty).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        full, empty = "#", "-"
    filled = round(width * min(max(percent, 0), 100) / 100)
    if colour:
        return paint(full * filled, "green") + paint(empty * (width - filled), "dim")
    return full * filled + empty * (width - filled)


NOTHING_TO_DO = "nothing to do in your plan"
"""A stage row of ``progress`` for a stage with no module to do or done (its percent in ``--json`` is 100)."""


def _h(hours: float) -> str:
    return hours_text(hours, 1)


def describe_progress(progress: Progress, width: int | None = None, colour: bool = False) -> str:
    """The text ``progress`` prints, fitted to ``width`` columns (None: no limit), bars coloured on request.

    Names and ids are escaped here (``terminal_text``), so the result is printed as it is, colour codes and all.
    """
    name = terminal_text(progress.name)
    lines = [wrap(f"{name}: {progress.percent}% done, {_h(progress.done_hours)} of "
                  f"{_h(progress.total_hours)} hours", width), ""]
    ids = [one_line(s.id) for s in progress.stages]
    id_width = max([display_width(i) for i in ids] + [5])
    rights = [f" {stage.percent:>3}%  {_h(stage.done_hours)}/{_h(stage.total_hours)} h  "
              f"({stage.done_modules}/{stage.total_modules} modules)" for stage in progress.stages]
    # one bar width for every stage, so the bars line up: as wide as the widest line allows
    room = BAR_WIDTH if width is None else width - 4 - id_width - max([0, *(display_width(r) for r in rights)])
    bar_width = max(BAR_MIN, min(BAR_WIDTH, room))
    for stage, ident, right in zip(progress.stages, ids, rights, strict=True):
        if not stage.total_modules:  # a stage before the learner's, or all of it waived: no full bar for it
            lines.append(f"  {pad(ident, id_width)}  {NOTHING_TO_DO}")
        else:
            lines.append(f"  {pad(ident, id_width)}  {_bar(stage.percent, bar_width, colour)}{right}")
    prose = [f"Milestones: {progress.milestones_achieved} of {progress.milestones_total} achieved",
             f"Pace: {_h(progress.pace)} h a week over the last 4 weeks (planned: {_h(progress.plan_pace)} h a week)"]
    if progress.remaining_hours <= 0:
        due = (f" (the last due on {progress.plan_finish.isoformat()})"
               if progress.milestones_left and progress.plan_finish else "")
        prose.append(f"Forecast: {progress.modules_done_note}{due}")
    else:
        at_pace = (f"at your pace you finish on {progress.forecast_finish.isoformat()}"
                   if progress.forecast_finish else "no forecast at your pace (nothing completed in 4 weeks)")
        planned = (f"; at {_h(progress.plan_pace)} h a week on {progress.plan_finish.isoformat()}"
                   if progress.plan_finish else "")
        prose.append(f"Forecast: {at_pace}{planned}")
    if progress.ahead_days is not None:
        days = abs(progress.ahead_days)
        unit = "day" if days == 1 else "days"
        where = ("on schedule" if days == 0 else
                 f"{days} {unit} {'ahead of' if progress.ahead_days > 0 else 'behind'} the schedule")
        ends = f", which ends on {progress.original_finish.isoformat()}" if progress.original_finish else ""
        prose.append(f"Against the plan: {where} (your original schedule from your start date{ends})")
    if progress.outside_plan_hours:
        prose.append(f"Also: {_h(progress.outside_plan_hours)} h on modules outside your plan (not counted above)")
    weeks = progress.streak_weeks
    prose.append(f"Streak: {weeks} active week{'' if weeks == 1 else 's'} in a row")
    lines += ["", *(wrap(line, width) for line in prose)]
    if progress.skill_ratings:
        from cpo_learn.app.assessment import ratings_lines

        lines += ["", "Skills (first rating -> latest; rate yourself again with 'cpo-learn assess'):",
                  *ratings_lines(progress.skill_ratings)]
    return "\n".join(lines)


@click.command()
@json_option
@click.pass_obj
def progress(app: App, as_json: bool) -> None:
    """Show where you stand: per-stage bars, hours, percent, pace, forecast finish, streak, and each skill's
    first and latest rating (from your profile and 'cpo-learn assess').

    \b
    Example:
        cpo-learn progress
        cpo-learn --learner ada progress --json
    """
    from cpo_learn.app.progress import learner_progress

    summary = learner_progress(app)
    if as_json:
        echo_json(summary.to_dict())
    else:
        shown = display()
        click.echo(describe_progress(summary, shown.width, shown.colour))


def next_json(entry: PlannedModule) -> dict[str, Any]:
    """A module object of ``next --json``: the module, then where it stands in the plan."""
    from cpo_learn.rendering.json_data import module_json

    return {**module_json(entry.module), "status": entry.status, "reason": entry.reason, "week": entry.week,
            "start": entry.start.isoformat() if entry.start else None,
            "due": entry.due.isoformat() if entry.due else None}


@click.command("next")
@click.option("-n", "count", type=click.IntRange(min=1), default=5, show_default=True, metavar="N",
              help="How many modules to show.")
@json_option
@click.pass_obj
def next_(app: App, count: int, as_json: bool) -> None:
    """Show the modules you can take next: prerequisites met, in plan order (started ones included).

    \b
    Example:
        cpo-learn next
        cpo-learn next -n 10 --json
    """
    from cpo_learn.rendering.text_table import status_style

    found = app.learner_plan().plan.ready()[:count]
    if as_json:
        echo_json([next_json(entry) for entry in found])
        return
    if not found:
        say("nothing left to do in your plan: well done (see 'cpo-learn progress')")
        return
    rows = [[entry.id, _h(entry.hours), entry.status, entry.due.isoformat() if entry.due else "",
             entry.module.title] for entry in found]
    show_table(rows, ["id", "hours", "status", "due", "title"], flex=["title"], style=status_style(2))
    say("\n" + wrap(f"Record one with 'cpo-learn start {found[0].id}' or 'cpo-learn done {found[0].id}'",
                     display().width))
