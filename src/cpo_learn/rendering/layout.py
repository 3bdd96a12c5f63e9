"""How a curriculum is laid out in time: what it leads with (the next four weeks), what it folds (work more than
twelve months away), the schedule's rows (weeks near, quarters far) and the Mermaid path diagram.

Markdown and HTML share these rules through ``CurriculumView``; nothing here changes the plan, and the JSON
export keeps every detail the layout folds.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from cpo_learn.planning.state import Status
from cpo_learn.quantities import hours_text

if TYPE_CHECKING:
    from cpo_learn.planning.plan import Plan, PlannedMilestone, PlannedModule, StageSummary, Week
    from cpo_learn.planning.timeline import Arrival

SOON_WEEKS = 4
"""How many schedule weeks "The next four weeks" covers."""
HORIZON_DAYS = 365
"""Work that starts (or a milestone due) more than this many days after the plan's day is folded: one line,
its details behind a ``<details>``. The schedule lists it by year instead of by week."""
LABEL_WIDTH = 19
"""Characters a line of a Mermaid node holds: five stages side by side stay about 1,100 px wide."""


def horizon(plan: Plan) -> date:
    """The last day of the next twelve months: later work is folded."""
    return plan.today + timedelta(days=HORIZON_DAYS)


def is_far(plan: Plan, entry: PlannedModule) -> bool:
    """True when the module is scheduled to start after the next twelve months."""
    return entry.start is not None and entry.start > horizon(plan)


def is_far_milestone(plan: Plan, milestone: PlannedMilestone) -> bool:
    """True when the milestone is due after the next twelve months."""
    return milestone.due is not None and milestone.due > horizon(plan)


@dataclass(frozen=True)
class SoonItem:
    """A module with work in the next four schedule weeks, and the hours it gets in them."""

    entry: PlannedModule
    hours: float


@dataclass(frozen=True)
class Soon:
    """The next four weeks of the study schedule: their dates and the modules worked on, in plan order."""

    start: date
    end: date
    items: tuple[SoonItem, ...]
    next_start: date | None  # when nothing falls in these weeks: the day the next scheduled work starts

    @property
    def hours(self) -> float:
        """Study hours planned in these weeks."""
        return sum(item.hours for item in self.items)


def soon(plan: Plan) -> Soon:
    """The modules to do in schedule weeks 1-4 (week 1 starts on ``plan.schedule_start``)."""
    hours: dict[str, float] = {}
    for entry in plan.entries:
        in_window = sum(h for week, h in entry.weeks if week <= SOON_WEEKS)
        if in_window:
            hours[entry.id] = in_window
    items = tuple(SoonItem(e, hours[e.id]) for e in plan.entries if e.id in hours)
    later = [e.start for e in plan.entries if e.start is not None]
    start = plan.schedule_start
    return Soon(start, start + timedelta(days=7 * SOON_WEEKS - 1), items,
                None if items or not later else min(later))


@dataclass(frozen=True)
class ScheduleRow:
    """One row of the schedule: a week (near) or a year (after the next twelve months)."""

    label: str
    start: date
    end: date
    work: tuple[tuple[PlannedModule, float], ...]

    @property
    def hours(self) -> float:
        """Hours of work in the row."""
        return sum(h for _, h in self.work)


def schedule_rows(plan: Plan, weeks: tuple[Week, ...]) -> list[ScheduleRow]:
    """Weeks with work one row each while they start within the next twelve months, then one row a year
    (each module once, with its hours in that year)."""
    rows: list[ScheduleRow] = []
    far: dict[int, list[Week]] = {}
    last = horizon(plan)
    for week in weeks:
        if week.start <= last:
            rows.append(ScheduleRow(f"week {week.number}", week.start, week.end, week.work))
        else:
            far.setdefault(week.start.year, []).append(week)
    for year, group in far.items():
        totals: dict[str, float] = {}
        entries: dict[str, PlannedModule] = {}
        for week in group:
            for entry, h in week.work:
                totals[entry.id] = totals.get(entry.id, 0.0) + h
                entries.setdefault(entry.id, entry)
        rows.append(ScheduleRow(f"{year} (weeks {group[0].number}-{group[-1].number})",
                                group[0].start, group[-1].end,
                                tuple((entries[i], totals[i]) for i in entries)))
    return rows


def milestone_summary(plan: Plan, summary: StageSummary) -> str | None:
    """One line for a stage's milestones: how many, how many achieved, the next one due (None: it has none)."""
    items = summary.milestones
    if not items:
        return None
    achieved = sum(1 for m in items if m.status is Status.ACHIEVED)
    text = f"{len(items)} milestone{'s' if len(items) != 1 else ''}"
    if achieved:
        text += f", {achieved} achieved"
    dues = [m.due for m in items if m.status is not Status.ACHIEVED and m.due is not None]
    if dues:
        text += f", next due {min(dues)}"
        if len(dues) > 1:
            text += f", last {max(dues)}"
    elif achieved < len(items):
        text += ", the rest ready now"
    return text


def arrival_short(arrival: Arrival | None) -> str:
    """When the learner reaches a stage, in a few words for the diagram."""
    if arrival is None:
        return ""
    if arrival.source == "current":
        return "you are here"
    if arrival.earliest is None or arrival.likely is None:
        return "arrival not estimated"
    if arrival.earliest == arrival.likely or arrival.source != "estimate":
        return f"arrive {arrival.earliest:%Y-%m}"
    return f"arrive {arrival.earliest:%Y-%m} to {arrival.likely:%Y-%m}"


def _label(lines: list[str]) -> str:
    from cpo_learn.rendering.templating import mermaid_label

    wrapped: list[str] = []
    for line in lines:
        wrapped.extend(textwrap.wrap(line, LABEL_WIDTH, break_long_words=False) or [""])
    return "<br/>".join(mermaid_label(part) for part in wrapped)


def path_diagram(plan: Plan, summaries: tuple[StageSummary, ...], number: dict[str, int]) -> str:
    """The Mermaid source of the path, left to right: one box per stage (modules, hours, done %, arrival) with
    at most one milestone summary under it, so it stays readable in GitHub's column."""
    out = ['%%{init: {"flowchart": {"nodeSpacing": 16, "rankSpacing": 28, "padding": 6}}}%%', "flowchart LR"]
    for i, s in enumerate(summaries, start=1):
        lines = [f"{number[s.stage.id]}. {s.stage.title}", f"{s.total} modules · {hours_text(s.total_hours)} h",
                 f"{s.percent}% done"]
        arrival = arrival_short(plan.arrival(s.stage.id))
        if arrival:
            lines.append(arrival)
        out.append(f'    subgraph g{i} [" "]')
        out.append("    direction TB")
        out.append(f'    s{i}["{_label(lines)}"]')
        milestones = milestone_summary(plan, s)
        if milestones is not None:
            done = all(m.status is Status.ACHIEVED for m in s.milestones)
            out.append(f'    m{i}(["{"✓ " if done else ""}{_label([milestones])}"])')
            out.append(f"    s{i} -.- m{i}")
        out.append("    end")
    if len(summaries) > 1:
        out.append("    " + " --> ".join(f"g{i}" for i in range(1, len(summaries) + 1)))
    return "\n".join(out)
