"""``report``: one row per learner (stage, percent, hours, pace, last activity), for trainers.

Each learner costs one read of their own file and one plan; a learner whose file or profile cannot be read
gets a row with the error instead of stopping the report.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from cpo_learn.errors import CpoLearnError

if TYPE_CHECKING:
    from cpo_learn.catalog import Catalog
    from cpo_learn.plugins import PluginHost
    from cpo_learn.tracker import LearnerStore

COLUMNS = ("learner", "name", "stage", "percent", "done_hours", "total_hours", "pace_hours_per_week",
           "forecast_finish", "last_activity", "error")


@dataclass(frozen=True)
class ReportRow:
    """One learner in the report; ``error`` says why the rest may be missing."""

    learner: str
    name: str
    stage: str | None = None
    percent: int | None = None
    done_hours: float | None = None
    total_hours: float | None = None
    pace: float | None = None
    forecast_finish: date | None = None
    last_activity: str | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON-ready data (the CSV columns)."""
        def hours(value: float | None) -> int | float | None:
            if value is None:
                return None
            return int(value) if float(value).is_integer() else round(value, 2)

        return {
            "learner": self.learner, "name": self.name, "stage": self.stage, "percent": self.percent,
            "done_hours": hours(self.done_hours), "total_hours": hours(self.total_hours),
            "pace_hours_per_week": hours(self.pace),
            "forecast_finish": self.forecast_finish.isoformat() if self.forecast_finish else None,
            "last_activity": self.last_activity, "error": self.error,
        }


def learner_row(store: LearnerStore, host: PluginHost, catalog: Catalog, today: date) -> ReportRow:
    """Read one learner and summarise them (never raises for a damaged file or profile)."""
    from cpo_learn.events import fold
    from cpo_learn.learner_plan import plan_for, profile_from_store
    from cpo_learn.progress import summarise

    try:
        snapshot = store.snapshot()
    except CpoLearnError as exc:
        return ReportRow(store.slug, store.slug, error=str(exc))
    name = str((snapshot.profile or {}).get("name") or store.slug)
    last = snapshot.events[-1].timestamp if snapshot.events else None
    try:
        profile = profile_from_store(snapshot.profile, catalog, store.slug)
    except CpoLearnError as exc:
        return ReportRow(store.slug, name, last_activity=last, error=str(exc))
    state = fold(snapshot.events)
    plan = plan_for(host, catalog, profile, state, today)
    progress = summarise(learner=store.slug, name=name, catalog=catalog, plan=plan, baseline=None,
                         state=state, events=snapshot.events, today=today)
    return ReportRow(store.slug, name, progress.stage or "finished", progress.percent, progress.done_hours,
                     progress.total_hours, progress.pace, progress.forecast_finish, last)


def report_csv(rows: Sequence[ReportRow]) -> str:
    """The report as CSV with a header (names kept from running as spreadsheet formulas)."""
    from cpo_learn.transfer import spreadsheet_safe

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        data = row.to_dict()
        writer.writerow(["" if data[c] is None else spreadsheet_safe(data[c]) if isinstance(data[c], str)
                         else data[c] for c in COLUMNS])
    return buffer.getvalue()


def report_table(rows: Sequence[ReportRow]) -> str:
    """The report as a plain-text table, one learner a line."""
    from cpo_learn.output import table

    def cell(value: Any, suffix: str = "") -> str:
        if value is None:
            return ""
        return f"{value:g}{suffix}" if isinstance(value, float) else f"{value}{suffix}"

    body = []
    for row in rows:
        if row.error:
            body.append([row.learner, row.name, "", "", "", "", "", "error: see above"])
            continue
        body.append([row.learner, row.name, cell(row.stage), cell(row.percent, "%"),
                     f"{cell(row.done_hours)}/{cell(row.total_hours)}", cell(row.pace),
                     cell(row.forecast_finish), (row.last_activity or "")[:10]])
    return table(body, ["learner", "name", "stage", "done", "hours", "h/week", "forecast", "last activity"])
