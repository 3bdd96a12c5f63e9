"""The career clock: when a learner can realistically reach each later stage, beside the study clock of the plan.

Reaching a stage takes time in a role, not hours of study. Without dates of the learner's own, arrival in each
later stage is estimated from the stages' ``typical_years`` ("3-5": at least three years in the stage before,
likely four), counted from when the learner reached their current stage (``in_stage_since``, else the plan's
start): ``earliest`` adds the lower bounds, ``likely`` the midpoints. The learner's ``stage_dates`` replace the
estimate for those stages, and their ``target_date`` for the target stage; the stages in between are spread in
proportion to their typical years. Pure: the profile, the stages and the day come in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from cpo_learn.content.model import Stage
from cpo_learn.planning.profile import Profile

DAYS_A_YEAR = 365.25
_YEARS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:(?:-|–|to)\s*(\d+(?:\.\d+)?)|(\+))?\s*$")


def typical_years(text: str) -> tuple[float, float] | None:
    """``(lower, midpoint)`` years from ``"3-5"``, ``"2+"`` (2, 2) or ``"4"``; None when it gives no number."""
    found = _YEARS.match(text or "")
    if found is None:
        return None
    lower = float(found.group(1))
    upper = float(found.group(2)) if found.group(2) else lower
    if upper < lower:
        lower, upper = upper, lower
    return lower, (lower + upper) / 2


@dataclass(frozen=True)
class Arrival:
    """When the learner reaches one stage of their path.

    ``source`` is ``current`` (they are there: ``earliest`` is when they arrived, if known), ``estimate`` (from
    typical years), ``your date`` (``stage_dates``), ``target date`` (``target_date``), or ``unknown`` (the
    stage before gives no typical years).
    """

    stage: Stage
    earliest: date | None
    likely: date | None
    source: str

    @property
    def years(self) -> str:
        """The typical years the estimate rests on (``3-5``), for the curriculum."""
        return self.stage.typical_years


def _add_years(day: date, years: float) -> date:
    try:
        return day + timedelta(days=round(years * DAYS_A_YEAR))
    except OverflowError:
        return date.max


def _between(start: date, end: date, share: float) -> date:
    return start + timedelta(days=round((end - start).days * share))


def career_timeline(stages: Sequence[Stage], profile: Profile, today: date) -> tuple[Arrival, ...]:
    """Arrival in each stage from the learner's current stage to their target, in path order."""
    ids = [s.id for s in stages]
    if profile.stage not in ids or profile.target not in ids:
        return ()
    path = list(stages[ids.index(profile.stage): ids.index(profile.target) + 1])
    since = profile.in_stage_since or profile.start or today
    fixed: dict[int, tuple[date, str]] = {0: (since, "current")}
    for index, stage in enumerate(path[1:], start=1):
        if stage.id in profile.stage_dates:
            fixed[index] = (profile.stage_dates[stage.id], "your date")
        elif stage.id == profile.target and profile.target_date is not None:
            fixed[index] = (profile.target_date, "target date")
    # years from each stage's start to the next, by the stage's own typical years (None: not said)
    spans = [typical_years(stage.typical_years) for stage in path]
    earliest: list[date | None] = [since]
    likely: list[date | None] = [since]
    sources = ["current"]
    anchors = sorted(fixed)
    for index in range(1, len(path)):
        if index in fixed:
            day, source = fixed[index]
            earliest.append(day)
            likely.append(day)
            sources.append(source)
            continue
        before, after = earliest[-1], likely[-1]
        span = spans[index - 1]
        if before is None or after is None or span is None:
            earliest.append(None)
            likely.append(None)
            sources.append("unknown")
            continue
        earliest.append(_add_years(before, span[0]))
        likely.append(_add_years(after, span[1]))
        sources.append("estimate")
        later = [a for a in anchors if a > index]
        if later:  # a date of the learner's further on: spread the stages in between up to it
            anchor = later[0]
            previous = max(a for a in anchors if a < index)
            start_day, end_day = fixed[previous][0], fixed[anchor][0]
            weights = [span_of[1] if span_of is not None else 1.0 for span_of in spans[previous:anchor]]
            share = sum(weights[: index - previous]) / sum(weights) if sum(weights) else 0
            spread = _between(start_day, end_day, share)
            earliest[-1] = likely[-1] = spread
    out = []
    for index, stage in enumerate(path):
        first, probable = earliest[index], likely[index]
        if index and sources[index] == "estimate" and first is not None and probable is not None:
            first = max(first, today)  # whoever is overdue can move up now
            probable = max(probable, first)
        out.append(Arrival(stage, first, probable, sources[index] if index else "current"))
    return tuple(out)
