"""``progress``: where the learner stands against the plan from today and against their original schedule."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

    from cpo_learn.app.context import App
    from cpo_learn.app.learner import LearnerPlan
    from cpo_learn.planning.plan import Plan
    from cpo_learn.tracking.progress import Baseline, Progress


@dataclass(frozen=True)
class Standing:
    """One learner measured once: their plan from today, the original schedule from their start date (leaving
    out only what they skipped or waived), the baseline ahead/behind is measured against, and the summary.

    ``progress`` shows ``progress``; ``week`` shows a week of ``current.plan`` (or, for a week gone by, of
    ``original``) beside the same summary, so both agree on what is done and where the learner stands.
    """

    current: LearnerPlan
    original: Plan
    baseline: Baseline
    progress: Progress


def learner_standing(app: App, today: date | None = None) -> Standing:
    """The current learner's plans, baseline and progress summary as of ``today`` (default: the clock's)."""
    from cpo_learn.app.learner import plan_for
    from cpo_learn.tracking.progress import Baseline, baseline_start, baseline_state, summarise
    from cpo_learn.tracking.ratings import rating_history

    today = today or app.today()
    current = app.learner_plan(today)
    catalog = app.catalog()
    start = min(baseline_start(current.profile.start, current.events, today), today)
    original = plan_for(app.host, catalog, current.profile, baseline_state(current.state), start)
    rates = current.hours_history or ((start, current.profile.hours_per_week),)
    baseline = Baseline(sum(e.hours for e in original.entries if e.to_do), start, rates)
    summary = summarise(learner=current.slug, name=current.profile.name, catalog=catalog, plan=current.plan,
                        baseline=baseline, state=current.state, events=current.events, today=today)
    ratings = rating_history(catalog, current.profile.skills, current.state)
    return Standing(current, original, baseline, replace(summary, skill_ratings=tuple(ratings)))


def learner_progress(app: App) -> Progress:
    """The current learner's progress summary: the plan from today, and the original schedule from their start
    date (leaving out only what they skipped or waived, and rated as in their profile) that ahead/behind is
    measured against; with each rated skill's first and latest rating."""
    return learner_standing(app).progress
