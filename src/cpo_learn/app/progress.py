"""``progress``: where the learner stands against the plan from today and against their original schedule."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cpo_learn.app.context import App
    from cpo_learn.tracking.progress import Progress


def learner_progress(app: App) -> Progress:
    """The current learner's progress summary: the plan from today, and the original schedule from their start
    date (leaving out only what they skipped or waived, and rated as in their profile) that ahead/behind is
    measured against; with each rated skill's first and latest rating."""
    from dataclasses import replace

    from cpo_learn.app.learner import plan_for
    from cpo_learn.tracking.progress import Baseline, baseline_start, baseline_state, summarise
    from cpo_learn.tracking.ratings import rating_history

    today = app.today()
    current = app.learner_plan(today)
    catalog = app.catalog()
    start = min(baseline_start(current.profile.start, current.events, today), today)
    original = plan_for(app.host, catalog, current.profile, baseline_state(current.state), start)
    rates = current.hours_history or ((start, current.profile.hours_per_week),)
    baseline = Baseline(sum(e.hours for e in original.entries if e.to_do), start, rates)
    summary = summarise(learner=current.slug, name=current.profile.name, catalog=catalog, plan=current.plan,
                        baseline=baseline, state=current.state, events=current.events, today=today)
    ratings = rating_history(catalog, current.profile.skills, current.state)
    return replace(summary, skill_ratings=tuple(ratings))
