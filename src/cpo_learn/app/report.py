"""``report``: one row per learner (stage, percent, hours, pace, last activity), for trainers.

Each learner costs one read of their own file and one plan; a learner whose file or profile cannot be read
gets a row with the error instead of stopping the report.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from cpo_learn.errors import CpoLearnError
from cpo_learn.quantities import hours_number

if TYPE_CHECKING:
    from cpo_learn.content.catalog import Catalog
    from cpo_learn.host.plugins import PluginHost
    from cpo_learn.tracking.progress import Progress
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


def learner_row(store: LearnerStore, host: PluginHost, catalog: Catalog, today: date,
                memo: dict[Any, Any] | None = None) -> ReportRow:
    """Read one learner and summarise them (never raises for a damaged file or profile).

    ``memo`` (one per report) holds what the plan says for each distinct profile and record, so learners on
    the same path with the same record are planned once.
    """
    quick = _quick_row(store, host, catalog, today, memo) if memo is not None else None
    if quick is not None:
        return quick
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
    return _row(store.slug, name, progress, last)


def _row(slug: str, name: str, progress: Progress, last: str | None) -> ReportRow:
    """A learner's row from their progress. It may use only what the plan and the folded record give (the
    quick path memoises it on the profile and the record, computed without the log) and ``last``."""
    working_on = progress.next_module_stage or ("milestones" if progress.milestones_left else "finished")
    return ReportRow(slug, name, progress.stage, working_on, progress.percent, progress.done_hours,
                     progress.total_hours, progress.pace, progress.forecast_finish, last)


def _quick_row(store: LearnerStore, host: PluginHost, catalog: Catalog, today: date,
               memo: dict[Any, Any]) -> ReportRow | None:
    """The row ``learner_row`` gives, from the raw file and the memo; None for anything unusual (a damaged
    file, an event not in the form this code writes, a profile that does not validate): those go the long way,
    which says exactly what is wrong."""
    from cpo_learn.app.learner import plan_for, plan_key
    from cpo_learn.planning.profile import ProfileError, StoredProfile, with_ratings
    from cpo_learn.tracking.events import fold_records
    from cpo_learn.tracking.progress import summarise
    from cpo_learn.tracking.store import parse_document

    try:
        tables, _, _ = parse_document(store.path.read_bytes())
    except OSError:
        return None
    if tables is None or not all(key.isdigit() for table in tables.values() for key in table):
        return None
    folded = fold_records(tables.get("events", {}).values())
    profiles = list(tables.get("profile", {}).values())
    if folded is None or not profiles:
        return None
    state, last = folded
    stored = StoredProfile(dict(profiles[-1]))
    try:
        profile = stored.validate(catalog.stage_ids, catalog.skills)
    except ProfileError:
        return None
    profile = with_ratings(profile, state.latest_ratings())  # in the key below: the ratings that count
    name = stored.name or store.slug
    # The key is everything the plan is made from (the catalog and today are one for the whole report). The
    # planner stores the name in the plan without using it, and a row takes the learner's own name; a policy
    # plugin may look at the name, so with one the name is in the key too.
    keyed = profile if host.implementations("cpo_learn_adjust_plan") else replace(profile, name="")
    key = plan_key(keyed, state)
    numbers = memo.get(key)
    if numbers is None:
        try:
            plan = plan_for(host, catalog, profile, state, today)
        except CpoLearnError as exc:
            return ReportRow(store.slug, name, last_activity=last, error=str(exc))
        progress = summarise(learner=store.slug, name=name, catalog=catalog, plan=plan, baseline=None,
                             state=state, events=(), today=today)
        numbers = _row("", "", progress, None)
        memo[key] = numbers
    return replace(numbers, learner=store.slug, name=name, last_activity=last)


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


class RowReader:
    """Reads the report's rows, from the row cache where a learner's file has not changed since.

    The cache (``report-<home>.pickle`` under the cache dir) keeps each learner's row with the (inode, mtime,
    size) and the path of the file it was read from, under a key of everything else a row depends on: a format
    number, the cpo-learn version, the code of the layers a row is computed by, the catalog's key (every input
    that built it, ``host.catalogcache``), the file of every ``cpo_learn_adjust_plan`` implementation, how cpo-learn is
    run (in messages) and today. Any change there starts it afresh; a damaged file is ignored and replaced.
    Rows with an error are never kept (their message looks at the backup file too). ``CPO_LEARN_NO_CACHE=1``
    turns it off, and with it the plan memo.
    """

    FORMAT = 2

    def __init__(self, tracker: Tracker, host: PluginHost, catalog: Catalog, today: date) -> None:
        from cpo_learn.cache import cache_enabled

        self.tracker, self.host, self.catalog, self.today = tracker, host, catalog, today
        self.memo: dict[Any, Any] | None = {} if cache_enabled() else None
        self.key = self._key() if cache_enabled() else None
        self.cached: dict[str, tuple[tuple[int, int, int], ReportRow, str]] = self._load() if self.key else {}
        self.rows: dict[str, tuple[tuple[int, int, int], ReportRow, str]] = {}

    def _key(self) -> list[Any] | None:
        import os
        import sys

        from cpo_learn import __version__
        from cpo_learn.cache import stamp, tree_stamps

        if self.host.catalog_key is None:
            return None
        code = os.path.dirname(os.path.dirname(__file__))
        sources = [s for layer in ("planning", "tracking", "app", "host")
                   for s in tree_stamps(os.path.join(code, layer)) if s[0].endswith(".py")]
        bases = [stamp(os.path.join(code, base)) for base in ("text.py", "quantities.py", "errors.py")]
        policies = [(plugin, stamp(function.__code__.co_filename))
                    for plugin, function in self.host.implementations("cpo_learn_adjust_plan")]
        return [self.FORMAT, __version__, sys.version, sources, bases, self.host.catalog_key, policies,
                self.tracker.command, self.today.isoformat()]

    def _path(self) -> str:
        import os
        import zlib

        from cpo_learn.cache import cache_dir

        home = os.path.abspath(self.tracker.learners_dir).encode("utf-8", "surrogateescape")
        return os.path.join(cache_dir(), f"report-{zlib.crc32(home):08x}.pickle")

    def _load(self) -> dict[str, tuple[tuple[int, int, int], ReportRow, str]]:
        import pickle

        try:
            with open(self._path(), "rb") as handle:
                entry = pickle.load(handle)
            if entry["key"] != self.key:
                return {}
            rows: dict[str, tuple[tuple[int, int, int], ReportRow, str]] = entry["rows"]
            if not all(type(v) is tuple and len(v) == 3 and type(v[2]) is str for v in rows.values()):
                return {}
            return rows
        except Exception:  # a missing, stale or damaged cache only means reading every learner again
            return {}

    def row(self, slug: str) -> ReportRow:
        """The report row of one learner."""
        import os

        cached = self.cached.get(slug)
        if cached is not None:  # the path was the store's when the row was kept (a slug's path never changes)
            try:
                st = os.stat(cached[2])
            except OSError:
                st = None
            if st is not None and cached[0] == (st.st_ino, st.st_mtime_ns, st.st_size):
                self.rows[slug] = cached
                return cached[1]
        store = self.tracker.store(slug)
        if self.key is None:
            return learner_row(store, self.host, self.catalog, self.today, self.memo)
        try:
            st = os.stat(store.path)
            seen = (st.st_ino, st.st_mtime_ns, st.st_size)  # every write renames a new file in: a new inode
        except OSError:
            return learner_row(store, self.host, self.catalog, self.today, self.memo)
        row = learner_row(store, self.host, self.catalog, self.today, self.memo)
        if row.error is None:
            self.rows[slug] = (seen, row, str(store.path))
        return row

    def save(self) -> None:
        """Keep the rows read this time for the next report (only when something changed)."""
        import pickle

        from cpo_learn.cache import write_cache

        if self.key is None or self.rows == self.cached:
            return
        write_cache(self._path(), pickle.dumps({"key": self.key, "rows": self.rows}, pickle.HIGHEST_PROTOCOL))


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


def report_table(rows: Sequence[ReportRow], *, width: int | None = None) -> str:
    """The report as a plain-text table, one learner a line, fitted to ``width`` (None: whole)."""
    from cpo_learn.rendering.text_table import columns, table

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
    headers = ["learner", "name", "stage", "working on", "done", "hours", "h/week", "forecast", "last activity"]
    return table(body, columns(headers, flex=["name"]), width=width)
