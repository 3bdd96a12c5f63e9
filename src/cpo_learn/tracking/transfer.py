"""Moving a learner's history in and out: the JSON export ``import`` reads back, and CSV for spreadsheets.

JSON export (``format`` ``cpo-learn-history``, ``version`` 1)::

    {"format": "cpo-learn-history", "version": 1, "learner": "ada-lovelace", "name": "Ada Lovelace",
     "profile": {...} | null, "events": [{"id": ..., "type": ..., ...}, ...]}

Nothing in it depends on when it was exported, so exporting the same history twice gives the same bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cpo_learn.errors import CpoLearnError
from cpo_learn.tracking.events import Event, EventError, EventType, reversed_ids

EXPORT_FORMAT = "cpo-learn-history"
EXPORT_VERSION = 1
CSV_COLUMNS = ("learner", "id", "timestamp", "type", "target", "on", "note", "reason", "evidence", "reverses",
               "level", "plugin", "in_force")
MAX_IMPORT_BYTES = 64 * 1024 * 1024
"""The largest file ``import`` reads (bytes)."""
MAX_IMPORT_EVENTS = 50_000
"""The most events one ``import`` takes: years of daily records; more is refused, nothing imported."""
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ImportFileError(CpoLearnError):
    """An import file that is not a valid cpo-learn history; the message lists what is wrong."""


@dataclass(frozen=True)
class History:
    """A learner's history as exported: slug, display name, profile and events (log order)."""

    learner: str
    name: str
    profile: dict[str, Any] | None
    events: list[Event]


def to_json(history: History) -> dict[str, Any]:
    """The JSON export document."""
    return {
        "format": EXPORT_FORMAT, "version": EXPORT_VERSION, "learner": history.learner, "name": history.name,
        "profile": history.profile, "events": [event.to_dict() for event in history.events],
    }


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet will not run as a formula (a leading ``'`` when it starts like one)."""
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(history: History) -> str:
    """One row per event with a header; free text is kept from running as a spreadsheet formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    gone = reversed_ids(history.events)
    for event in history.events:
        data = event.to_dict()
        row = [history.learner] + [data[column] for column in CSV_COLUMNS[1:-1]]
        row.append("no" if event.id in gone or event.type == EventType.UNDONE else "yes")
        writer.writerow([spreadsheet_safe(value) if isinstance(value, str) else "" if value is None else value
                         for value in row])
    return buffer.getvalue()


def read_history(raw: bytes, source: str) -> History:
    """Parse and check an export file; ``ImportFileError`` naming every problem (up to a few) otherwise."""
    from cpo_learn.tracking.json_input import JSONInputError, load_json

    try:
        data = load_json(raw, max_bytes=MAX_IMPORT_BYTES, encoding="utf-8-sig")
    except JSONInputError as exc:
        raise ImportFileError(f"{source}: {exc}; import reads what 'cpo-learn export --format json' "
                              "writes") from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ImportFileError(f"{source}: not a cpo-learn history (no \"format\": \"{EXPORT_FORMAT}\"); "
                              "import reads what 'cpo-learn export --format json' writes")
    if data.get("version") != EXPORT_VERSION:
        raise ImportFileError(f"{source}: history version {data.get('version')!r}; this cpo-learn reads "
                              f"version {EXPORT_VERSION} (upgrade with 'pip install -U cpo-learn')")
    problems: list[str] = []
    learner, name, profile = data.get("learner"), data.get("name"), data.get("profile")
    if not isinstance(learner, str) or not learner:
        problems.append("'learner' must be the learner's name")
    if name is not None and not isinstance(name, str):
        problems.append("'name' must be text")
    if profile is not None and not isinstance(profile, dict):
        problems.append("'profile' must be an object or null")
    raw_events = data.get("events")
    events: list[Event] = []
    if not isinstance(raw_events, list):
        problems.append("'events' must be a list")
        raw_events = []
    if len(raw_events) > MAX_IMPORT_EVENTS:
        raise ImportFileError(f"{source}: {len(raw_events):,} events, more than the {MAX_IMPORT_EVENTS:,} one "
                              "import takes; split the file (its 'events' list) and import the parts one by "
                              "one; nothing was imported")
    seen: dict[str, int] = {}
    for index, item in enumerate(raw_events, start=1):
        try:
            event = Event.from_dict(item)
        except EventError as exc:
            problems.append(f"event {index}: {exc}")
            continue
        if event.id in seen:
            problems.append(f"event {index}: id {event.id} repeats event {seen[event.id]}")
            continue
        seen[event.id] = index
        events.append(event)
    if problems:
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise ImportFileError(f"{source}: " + "; ".join(problems[:5]) + more)
    assert isinstance(learner, str)
    from cpo_learn.tracking.events import in_log_order

    return History(learner, name or learner, profile, in_log_order(events))


def check_against_log(incoming: Sequence[Event], current: Sequence[Event], source: str) -> list[Event]:
    """The incoming events not in the log yet; ``ImportFileError`` when an id is taken by a different event
    or an ``undone`` event reverses an event that is neither in the file nor in the log."""
    by_id = {event.id: event for event in current}
    known = set(by_id) | {event.id for event in incoming}
    problems = []
    for event in incoming:
        if event.id in by_id and by_id[event.id] != event:
            problems.append(f"event {event.id} differs from the recorded event with that id")
        if event.reverses and event.reverses not in known:
            problems.append(f"event {event.id} reverses {event.reverses}, which is in neither the file nor "
                            "the log")
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise ImportFileError(f"{source}: " + "; ".join(problems[:3]) + more + "; nothing was imported")
    return [event for event in incoming if event.id not in by_id]
