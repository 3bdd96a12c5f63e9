"""The one place cpo-learn reads the clock.

Everything else is handed the day or the moment (the planner, the progress summary and the event log are pure),
so a test or a reproducible run can fix time by passing ``--today`` or by replacing these two functions.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def now() -> datetime:
    """The current moment, timezone-aware, in UTC (a run that reads it is not replayed: ``cli/replay.py``)."""
    from cpo_learn.cache import mark_unrepeatable

    mark_unrepeatable("read the clock's moment")
    return datetime.now(UTC)


def today() -> date:
    """The learner's calendar day (local time)."""
    return date.today()
