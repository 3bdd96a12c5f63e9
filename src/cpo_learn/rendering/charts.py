"""The HTML curriculum's pictures, drawn here as inline SVG: progress per stage, the skill profile and a calendar
of recorded work. No script: the page's Content-Security-Policy forbids it, and the page prints as it shows.

Every text in a chart is escaped here; the SVG still goes through the page's sanitiser (``sanitise.CHART_TAGS``)
like the rest of the body. Each chart scales to its container (``viewBox``, width 100%) so it never makes a
phone's screen scroll sideways.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from html import escape
from typing import TYPE_CHECKING

from cpo_learn.planning.state import Status
from cpo_learn.quantities import hours_text

if TYPE_CHECKING:
    from cpo_learn.planning.plan import Plan, StageSummary

DONE = "#1a7f37"
PLANNED = "#d1d9e0"
RATED = "#0969da"
BRINGS = "#8250df"
INK = "#1f2328"
MUTED = "#59636e"
LEVELS = ("#ebeef1", "#9be9a8", "#40c463", "#30a14e", "#216e39")
"""Calendar cell colours: nothing recorded, then 1, 2, 3 and 4 or more events in force that day."""
CALENDAR_WEEKS = 53
MAX_LEVEL = 5


def _svg(width: int, height: int, label: str, parts: Sequence[str]) -> str:
    return (f'<svg class="chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
            f'aria-label="{escape(label)}"><title>{escape(label)}</title>{"".join(parts)}</svg>')


def _text(x: float, y: float, text: str, *, size: int = 12, fill: str = INK, anchor: str = "start") -> str:
    return (f'<text x="{x:g}" y="{y:g}" font-size="{size}" fill="{fill}" text-anchor="{anchor}">'
            f"{escape(text)}</text>")


def _rect(x: float, y: float, width: float, height: float, fill: str, tip: str | None = None) -> str:
    title = f"<title>{escape(tip)}</title>" if tip else ""
    return (f'<rect x="{x:g}" y="{y:g}" width="{max(width, 0):g}" height="{height:g}" rx="2" fill="{fill}">'
            f"{title}</rect>")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def progress_chart(summaries: Sequence[StageSummary], number: Mapping[str, int]) -> str:
    """One bar per stage: the share of its hours done, with modules and hours beside it."""
    row, bar_x, bar_w = 26, 250, 230
    parts = []
    for i, s in enumerate(summaries):
        y = 8 + i * row
        share = s.done_hours / s.total_hours if s.total_hours else 1.0
        parts.append(_text(0, y + 13, _short(f"{number[s.stage.id]}. {s.stage.title}", 36)))
        parts.append(_rect(bar_x, y, bar_w, 16, PLANNED))
        parts.append(_rect(bar_x, y, bar_w * share, 16, DONE,
                           f"{s.stage.title}: {s.percent}% of {hours_text(s.total_hours)} h done"))
        parts.append(_text(bar_x + bar_w + 8, y + 13,
                           f"{s.percent}% · {s.done}/{s.total} · {hours_text(s.done_hours)}/"
                           f"{hours_text(s.total_hours)} h", fill=MUTED))
    height = 12 + row * max(len(summaries), 1)
    return _svg(640, height, "Progress per stage: share of each stage's hours done", parts)


def plan_levels(plan: Plan) -> dict[str, int]:
    """Per skill, the highest level a module the learner does (to do or done) brings them to."""
    levels: dict[str, int] = {}
    for entry in plan.entries:
        if entry.status in (Status.SKIPPED, Status.WAIVED):
            continue
        for skill, level in entry.module.skills.items():
            levels[skill] = max(levels.get(skill, 0), level)
    return levels


def skills_chart(plan: Plan) -> str:
    """Per skill, two bars on the 0-5 scale: the learner's rating and the level the plan brings them to.

    A skill the learner did not rate shows the rating the plan assumed for it (``plan.assumed``), marked as
    assumed: the plan is worked out from it, so a bar at 0 would tell another story than the plan."""
    row, bar_x, step = 34, 170, 56
    skills = list(plan.catalog.skills)
    brings = plan_levels(plan)
    parts = [_rect(bar_x, 4, 10, 10, RATED), _text(bar_x + 14, 13, "your rating", size=11, fill=MUTED),
             _rect(bar_x + 110, 4, 10, 10, BRINGS),
             _text(bar_x + 124, 13, "the level your plan brings", size=11, fill=MUTED)]
    for level in range(MAX_LEVEL + 1):
        parts.append(_text(bar_x + level * step, 34, str(level), size=10, fill=MUTED, anchor="middle"))
    for i, skill in enumerate(skills):
        y = 42 + i * row
        rated = skill in plan.profile.skills
        rating = plan.profile.rating(skill) if rated else plan.assumed.get(skill, 0)
        target = max(brings.get(skill, 0), rating)
        given = f"you rated {rating}" if rated else f"assumed {rating} (you did not rate it)"
        parts.append(_text(0, y + 17, _short(skill, 24)))
        parts.append(_rect(bar_x, y + 2, MAX_LEVEL * step, 12, "#f6f8fa"))
        parts.append(_rect(bar_x, y + 2, rating * step, 12, RATED, f"{skill}: {given}"))
        parts.append(_rect(bar_x, y + 16, MAX_LEVEL * step, 12, "#f6f8fa"))
        parts.append(_rect(bar_x, y + 16, target * step, 12, BRINGS, f"{skill}: your plan brings {target}"))
        shown = f"{rating} → {target}" if rated else f"{rating} assumed → {target}"
        parts.append(_text(bar_x + MAX_LEVEL * step + 10, y + 17, shown, fill=MUTED))
    height = 48 + row * max(len(skills), 1)
    return _svg(560, height, "Skill profile: your ratings and the levels your plan brings (0-5)", parts)


def activity_chart(activity: Mapping[date, int], today: date) -> str:
    """A GitHub-style calendar of the last year: a column a week (Monday on top), a cell a day, darker for
    more events recorded that day."""
    cell, left, top = 12, 28, 18
    last_monday = today - timedelta(days=today.weekday())
    first = last_monday - timedelta(weeks=CALENDAR_WEEKS - 1)
    parts = []
    for label, row in (("Mon", 0), ("Wed", 2), ("Fri", 4)):
        parts.append(_text(0, top + row * cell + 9, label, size=9, fill=MUTED))
    month = None
    for column in range(CALENDAR_WEEKS):
        monday = first + timedelta(weeks=column)
        if monday.month != month:
            month = monday.month
            if column < CALENDAR_WEEKS - 2:
                parts.append(_text(left + column * cell, 11, f"{monday:%b}", size=9, fill=MUTED))
        for row in range(7):
            day = monday + timedelta(days=row)
            if day > today:
                break
            count = activity.get(day, 0)
            shade = LEVELS[min(count, len(LEVELS) - 1)]
            tip = f"{day}: {count} recorded" if count else None
            parts.append(_rect(left + column * cell, top + row * cell, cell - 2, cell - 2, shade, tip))
    shown = sum(n for day, n in activity.items() if first <= day <= today)
    label = (f"Recorded work, {first} to {today}: {shown} event{'s' if shown != 1 else ''}" if shown
             else f"Recorded work, {first} to {today}: nothing recorded yet")
    return _svg(left + CALENDAR_WEEKS * cell, top + 7 * cell, label, parts)
