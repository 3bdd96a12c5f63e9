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
from cpo_learn.quantities import hours_number

if TYPE_CHECKING:
    from cpo_learn.content.catalog import Catalog
    from cpo_learn.host.plugins import PluginHost
    from cpo_learn.tracking.tracker import LearnerStore, Tracker

COLUMNS = ("learner", "name", "stage", "next_module_stage", "percent", "done_hours", "total_hours",
           "pace_hours_per_week", "forecast_finish", "last_activity", "error")


@dataclass(frozen=True)
class ReportRow:
    """One learner in the report; ``error`` says why the rest may be missing."""

    learner: str
    name: str
    stage: str | None = None
    next_module_stage: str | None = None
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
            return None if value is None else hours_number(value)

        return {
            "learner": self.learner, "name": self.name, "stage": self.stage,
            "next_module_stage": self.next_module_stage, "percent": self.percent,
            "done_hours": hours(self.done_hours), "total_hours": hours(self.total_hours),
            "pace_hours_per_week": hours(self.pace),
            "forecast_finish": self.forecast_finish.isoformat() if self.forecast_finish else None,
            "last_activity": self.last_activity, "error": self.error,
        }


def learner_row(store: LearnerStore, host: PluginHost, catalog: Catalog, today: date) -> ReportRow:
    """Read one learner and summarise them (never raises for a damaged file or profile)."""
    from cpo_learn.app.learner import plan_learner
    from cpo_learn.tracking.progress import summarise

    try:
        snapshot = store.snapshot()
    except CpoLearnError as exc:
        return ReportRow(store.slug, store.slug, error=str(exc))
    name = (snapshot.profile.name if snapshot.profile else None) or store.slug
    last = snapshot.events[-1].timestamp if snapshot.events else None
    try:
        current = plan_learner(host, catalog, store.slug, snapshot, today)
    except CpoLearnError as exc:
        return ReportRow(store.slug, name, last_activity=last, error=str(exc))
    progress = summarise(learner=store.slug, name=name, catalog=catalog, plan=current.plan, baseline=None,
                         state=current.state, events=current.events, today=today)
    return ReportRow(store.slug, name, progress.stage, progress.next_module_stage or "finished", progress.percent,
                     progress.done_hours, progress.total_hours, progress.pace, progress.forecast_finish, last)


@dataclass(frozen=True)
class Listing:
    """One learner in ``learners``: name and stage as saved, how many events, when last active; or the error
    (the reason, and the whole message) when their file cannot be read."""

    learner: str
    name: str | None = None
    stage: str | None = None
    events: int | None = None
    last_activity: str | None = None
    error: str | None = None
    message: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The row of ``learners --json``."""
        return {"learner": self.learner, "name": self.name, "stage": self.stage, "events": self.events,
                "last_activity": self.last_activity, "error": self.error}


def list_learners(tracker: Tracker) -> list[Listing]:
    """Every learner in the home with what their file says (one read each; a damaged file is a row)."""
    from cpo_learn.tracking.store import DamagedStoreError

    rows: list[Listing] = []
    for slug in tracker.learners():
        try:
            snapshot = tracker.store(slug).snapshot()
        except DamagedStoreError as exc:
            rows.append(Listing(slug, error=exc.reason, message=str(exc)))
            continue
        profile = snapshot.profile
        last = snapshot.events[-1].timestamp if snapshot.events else None
        rows.append(Listing(slug, (profile.name if profile else None) or slug, profile.stage if profile else None,
                            len(snapshot.events), last))
    return rows


def report_csv(rows: Sequence[ReportRow]) -> str:
    """The report as CSV with a header (names kept from running as spreadsheet formulas)."""
    from cpo_learn.tracking.transfer import spreadsheet_safe

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
    from cpo_learn.rendering.json_data import table

    def cell(value: Any, suffix: str = "") -> str:
        if value is None:
            return ""
        return f"{value:g}{suffix}" if isinstance(value, float) else f"{value}{suffix}"

    body = []
    for row in rows:
        if row.error:
            body.append([row.learner, row.name, "", "", "", "", "", "", "error: see above"])
            continue
        body.append([row.learner, row.name, cell(row.stage), cell(row.next_module_stage), cell(row.percent, "%"),
                     f"{cell(row.done_hours)}/{cell(row.total_hours)}", cell(row.pace),
                     cell(row.forecast_finish), (row.last_activity or "")[:10]])
    return table(body, ["learner", "name", "stage", "working on", "done", "hours", "h/week", "forecast",
                        "last activity"])
