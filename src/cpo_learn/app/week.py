"""``week``: one ISO week of the learner's plan beside where they stand, from the same plans and summary as
``progress``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

    from cpo_learn.app.context import App
    from cpo_learn.tracking.week import WeekView


def learner_week(app: App, day: date | None = None) -> WeekView:
    """The current learner's week holding ``day`` (default: today, from the clock), measured as of today."""
    from cpo_learn.app.progress import learner_standing
    from cpo_learn.tracking.week import summarise_week

    standing = learner_standing(app)
    return summarise_week(progress=standing.progress, plan=standing.current.plan, original=standing.original,
                          baseline=standing.baseline, day=day or standing.progress.today)
