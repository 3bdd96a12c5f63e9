"""Progress events and the learner state folded from them (pure: no files, no clock unless asked).

The log is append-only. ``undone`` never deletes anything: it names the event it reverses, and folding skips
both. Undoing an ``undone`` event (possible in imported logs) brings its target back.
"""

from __future__ import annotations

import functools
import operator
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from cpo_learn.planning.state import ItemState, LearnerState, Rating, Status

if TYPE_CHECKING:
    from cpo_learn.content.catalog import Catalog


class EventType(StrEnum):
    """What an event records. The values are the ``type`` field of the log, exports and the progress hook."""

    STARTED = "started"
    COMPLETED = "completed"
    SKIPPED = "skipped"
    WAIVED = "waived"
    REOPENED = "reopened"
    MILESTONE_ACHIEVED = "milestone_achieved"
    UNDONE = "undone"
    ASSESSED = "assessed"

    @property
    def status(self) -> Status | None:
        """The status the event's target has once it is recorded (``completed`` -> ``Status.DONE``), or None
        for ``undone`` (the target goes back to what it was before the event it reverses).

        Events say what happened (``completed``), states say where a module stands (``done``): compare a
        state with ``Status``, never with an event type.
        """
        return STATUS_AFTER.get(self)


EVENT_TYPES: tuple[str, ...] = tuple(EventType)
MODULE_STATUS_OF: Mapping[str, Status] = MappingProxyType({
    EventType.STARTED: Status.STARTED, EventType.COMPLETED: Status.DONE,
    EventType.SKIPPED: Status.SKIPPED, EventType.WAIVED: Status.WAIVED,
})
"""Event type -> the module status it leads to (the other types are about milestones or other events)."""
STATUS_AFTER: Mapping[str, Status] = MappingProxyType({
    **MODULE_STATUS_OF, EventType.REOPENED: Status.PLANNED, EventType.MILESTONE_ACHIEVED: Status.ACHIEVED,
})
"""Event type -> the status its target has afterwards (``undone`` has none of its own)."""

RATING_RANGE = (0, 5)
"""The levels an ``assessed`` event may carry: 0 (never done it) to 5."""
TEXT_LIMIT = 10_000  # characters in a note, reason or evidence: a paragraph, not a file


# A UUID written as 32 hex digits, hyphenated 8-4-4-4-12 or not (checked on every event read, so no uuid.UUID)
_UUID = re.compile(r"^(?:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{32})$")
_SURROGATE = re.compile("[\ud800-\udfff]")
_CANONICAL_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def event_id(text: str) -> str:
    """The one normal form of an event id: the UUID in lower case, hyphenated 8-4-4-4-12.

    ``6E1A...``, ``6e1a8639...`` without hyphens and the canonical form are the same event, so ids are
    compared, stored and sent (as xAPI statement ids) in this form only. ``EventError`` when it is no UUID.
    """
    if _CANONICAL_UUID.match(text):
        return text
    if not _UUID.match(text):
        raise EventError(f"id {text!r} is not a UUID")
    digits = text.replace("-", "").lower()
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


class EventError(ValueError):
    """An event that is not well formed (the message says which field and why)."""


def utc_now() -> str:
    """The current time as the UTC ISO 8601 timestamp events carry (microseconds, ``Z``)."""
    from cpo_learn import clock

    return format_timestamp(clock.now())


def format_timestamp(moment: datetime) -> str:
    """A timezone-aware moment as ``2026-05-01T09:30:00.000000Z``."""
    # not strftime: its %Y gives "999" for the year 999 on glibc, which no ISO parser reads back
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


# Every moment an event may carry: two days inside what ``datetime`` can hold, so that converting it to UTC or
# to any local time zone (offsets stay under 26 hours) can never overflow.
EARLIEST = datetime(1, 1, 3, tzinfo=UTC)
LATEST = datetime(9999, 12, 29, 23, 59, 59, 999999, tzinfo=UTC)


def parse_timestamp(text: str) -> datetime:
    """An ISO 8601 timestamp with a timezone as an aware UTC datetime (``EventError`` otherwise).

    The one parser of event times: a time whose conversion to UTC (or to a local day) would leave the years
    ``datetime`` can hold, such as ``9999-12-31T23:59:59-23:59``, is refused here, so no later view of the
    log can overflow on it.
    """
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise EventError(f"timestamp {text!r} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        raise EventError(f"timestamp {text!r} has no timezone (use UTC, e.g. '...Z')")
    offset = moment.utcoffset() or timedelta(0)
    try:
        utc = (moment.replace(tzinfo=None) - offset).replace(tzinfo=UTC)
    except OverflowError:
        utc = None
    if utc is None or not EARLIEST <= utc <= LATEST:
        raise EventError(f"timestamp {text!r} is outside the years 0001-9999 once converted to UTC")
    return utc


@dataclass(frozen=True)
class Event:
    """One recorded fact about a learner's progress.

    ``target`` is a module id (``started``, ``completed``, ``skipped``, ``waived``, ``reopened``), a
    milestone id (``milestone_achieved``, ``reopened``), a skill id (``assessed``) or, for ``undone``, the
    target of the reversed event. ``plugin`` is the plugin that defined the target; ``on`` is the day the
    learner says it happened (``done --on``); ``reverses`` is the id of the event an ``undone`` event
    reverses; ``level`` is the self-rating 0-5 an ``assessed`` event records (only those carry one).
    """

    id: str
    type: str
    target: str
    timestamp: str
    note: str | None = None
    plugin: str | None = None
    on: date | None = None
    reason: str | None = None
    evidence: str | None = None
    reverses: str | None = None
    level: int | None = None

    def __post_init__(self) -> None:
        check_event(self)

    @classmethod
    def new(cls, type: str, target: str, *, note: str | None = None, plugin: str | None = None,
            on: date | None = None, reason: str | None = None, evidence: str | None = None,
            reverses: str | None = None, timestamp: str | None = None, level: int | None = None) -> Event:
        """A fresh event with a new uuid, stamped now (UTC)."""
        return cls(str(uuid.uuid4()), type, target, timestamp or utc_now(), note=note, plugin=plugin, on=on,
                   reason=reason, evidence=evidence, reverses=reverses, level=level)

    @functools.cached_property
    def moment(self) -> datetime:
        """When it was recorded, as an aware datetime (parsed once per event)."""
        return parse_timestamp(self.timestamp)

    @functools.cached_property
    def day(self) -> date:
        """The day it happened: ``on`` when the learner gave one, else the (UTC) date it was recorded.

        The same for every reader, wherever they are: a trainer's report in another time zone counts the same
        days as the learner's own ``progress``.
        """
        return self.on if self.on is not None else self.moment.astimezone(UTC).date()

    @property
    def status(self) -> Status | None:
        """The status the target has after this event: ``Status.DONE`` for ``completed`` (see
        ``EventType.status``); None for ``undone``."""
        return STATUS_AFTER.get(self.type)

    @property
    def text(self) -> str | None:
        """What the learner wrote with it: the note, the waiver's reason or the milestone's evidence."""
        return self.note or self.reason or self.evidence

    def to_dict(self) -> dict[str, Any]:
        """The event as JSON-ready data (every field, ``null`` when empty); ``from_dict`` reads it back."""
        data: dict[str, Any] = {f.name: getattr(self, f.name) for f in fields(self)}
        data["on"] = self.on.isoformat() if self.on else None
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Event:
        """An event from ``to_dict`` data; ``EventError`` saying what is wrong otherwise.

        Fields added in later versions (``level``) may be missing: a log or export written before them reads
        as it always did.
        """
        if not isinstance(data, Mapping):
            raise EventError("an event must be an object")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise EventError(f"unknown field(s) {', '.join(map(repr, unknown))}")
        missing = [name for name in ("id", "type", "target", "timestamp") if not data.get(name)]
        if missing:
            raise EventError(f"missing {', '.join(missing)}")
        values: dict[str, Any] = {name: data.get(name) for name in known}
        on = values["on"]
        if on is not None:
            if not isinstance(on, str):
                raise EventError(f"'on' must be a date like '2026-05-01', not {on!r}")
            try:
                values["on"] = date.fromisoformat(on)
            except ValueError:
                raise EventError(f"'on' {on!r} is not a date like '2026-05-01'") from None
        return cls(**values)


@dataclass(frozen=True)
class LearnerEvent(Event):
    """An event as ``cpo_learn_progress_event`` receives it: with the learner (slug) it belongs to.

    The learner is not stored in the event itself (each learner has a file of their own); forwarders need it.
    """

    learner: str = ""
    # Where the learner's data lives and the catalog the event was recorded against, for forwarders that need
    # to find the learner's settings or describe the target (titles, hours); None when not known.
    home: Path | None = field(default=None, compare=False, repr=False)
    catalog: Catalog | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, event: Event, learner: str, home: Path | None = None,
           catalog: Catalog | None = None) -> LearnerEvent:
        """The event, for ``learner`` (of ``home``, recorded against ``catalog``)."""
        return cls(**{f.name: getattr(event, f.name) for f in fields(Event)}, learner=learner, home=home,
                   catalog=catalog)

    def to_dict(self) -> dict[str, Any]:
        """The event and its learner as JSON-ready data (``home`` and ``catalog`` stay on this machine)."""
        data = super().to_dict()
        del data["home"], data["catalog"]
        return data


def check_event(event: Event) -> None:
    """Raise ``EventError`` unless the event is well formed."""
    for name in ("id", "type", "target", "timestamp"):
        if not isinstance(getattr(event, name), str) or not getattr(event, name):
            raise EventError(f"'{name}' must be a non-empty string")
    object.__setattr__(event, "id", event_id(event.id))  # frozen: the normal form is set once, here
    if event.type not in EVENT_TYPES:
        raise EventError(f"unknown event type {event.type!r} (one of {', '.join(EVENT_TYPES)})")
    event.moment  # noqa: B018  # parses the timestamp (raising EventError) and keeps it for later
    for name in ("target", "note", "plugin", "reason", "evidence", "reverses"):
        value = getattr(event, name)
        if value is not None and not isinstance(value, str):
            raise EventError(f"'{name}' must be a string or null")
        if isinstance(value, str) and _SURROGATE.search(value):  # bytes a terminal gave that are not UTF-8
            raise EventError(f"'{name}' holds bytes that are not UTF-8 text; type it again in UTF-8")
        if isinstance(value, str) and len(value) > TEXT_LIMIT:
            raise EventError(f"'{name}' is longer than {TEXT_LIMIT} characters: keep it to a paragraph and "
                             "link to anything longer")
    if event.on is not None and not isinstance(event.on, date):
        raise EventError("'on' must be a date")
    if event.level is not None and (isinstance(event.level, bool) or not isinstance(event.level, int)):
        raise EventError(f"'level' must be a whole number or null, not {event.level!r}")
    if event.type == EventType.ASSESSED:
        if event.level is None or not RATING_RANGE[0] <= event.level <= RATING_RANGE[1]:
            raise EventError(f"an 'assessed' event needs a 'level' from {RATING_RANGE[0]} to {RATING_RANGE[1]}")
    elif event.level is not None:
        raise EventError(f"only 'assessed' events carry a level; this one is {event.type!r}")
    if event.type == EventType.WAIVED and not event.reason:
        raise EventError("a 'waived' event needs a reason")
    if event.type == EventType.MILESTONE_ACHIEVED and not event.evidence:
        raise EventError("a 'milestone_achieved' event needs evidence")
    if event.type == EventType.UNDONE:
        if not event.reverses:
            raise EventError("an 'undone' event must name the event it reverses in 'reverses'")
        if not isinstance(event.reverses, str) or not _UUID.match(event.reverses):
            raise EventError(f"'reverses' {event.reverses!r} is not a UUID")
        object.__setattr__(event, "reverses", event_id(event.reverses))
    elif event.reverses is not None:
        raise EventError(f"only 'undone' events reverse another; this one is {event.type!r}")


def in_log_order(events: Iterable[Event]) -> list[Event]:
    """Oldest first by timestamp; events recorded at the same instant keep the order they were stored in."""
    return sorted(events, key=lambda event: event.moment)


def reversed_ids(events: Sequence[Event]) -> set[str]:
    """Ids of the events that an ``undone`` event (itself still in force) reverses.

    Walking from the newest, an ``undone`` that is itself reversed does not count: undoing an undo restores.
    """
    reversed_: set[str] = set()
    for event in reversed(events):
        if event.id in reversed_:
            continue
        if event.type == EventType.UNDONE and event.reverses:
            reversed_.add(event.reverses)
    return reversed_


def effective(events: Sequence[Event]) -> list[Event]:
    """The events in force: neither ``undone`` events nor events they reverse (``events`` in log order)."""
    gone = reversed_ids(events)
    return [e for e in events if e.type != EventType.UNDONE and e.id not in gone]


def last_undoable(events: Sequence[Event]) -> Event | None:
    """The event ``undo`` reverts: the newest one in force (``events`` in log order)."""
    in_force = effective(events)
    return in_force[-1] if in_force else None


def fold(events: Sequence[Event]) -> LearnerState:
    """The learner's state from the log (in log order): the last event in force about an item wins."""
    modules: dict[str, ItemState] = {}
    milestones: dict[str, ItemState] = {}
    ratings: dict[str, list[Rating]] = {}
    for event in effective(events):
        _apply(modules, milestones, ratings, event.type, event.target, event.day, event.text, event.level)
    return _state(modules, milestones, ratings)


def _state(modules: dict[str, ItemState], milestones: dict[str, ItemState],
           ratings: dict[str, list[Rating]]) -> LearnerState:
    # each skill's ratings by the day they were made (stable: two on one day keep the log's order)
    history = {skill: tuple(sorted(found, key=lambda rating: rating.on)) for skill, found in ratings.items()}
    return LearnerState(MappingProxyType(modules), MappingProxyType(milestones), MappingProxyType(history))


# Item states are immutable: one per (status, day, text) serves every event and learner that has it.
_item = functools.lru_cache(maxsize=65_536)(ItemState)


def _apply(modules: dict[str, ItemState], milestones: dict[str, ItemState], ratings: dict[str, list[Rating]],
           kind: str, target: str, day: date, text: str | None, level: int | None) -> None:
    """The one folding rule (``fold`` and ``fold_records``): what an event in force does to the state."""
    if kind == EventType.ASSESSED and level is not None:
        ratings.setdefault(target, []).append(Rating(level, day))
        return
    status = MODULE_STATUS_OF.get(kind)
    if status is not None:
        modules[target] = _item(status, day, text)
    elif kind == EventType.MILESTONE_ACHIEVED:
        milestones[target] = _item(Status.ACHIEVED, day, text)
    elif kind == EventType.REOPENED:
        # a reopened module is wanted again, even where the ratings alone would waive it
        modules[target] = _item(Status.PLANNED, day, text)
        milestones.pop(target, None)


# ``fold_records``: the report's fast path over the raw records of a learner file
_CANONICAL_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
_FIELDS = ("id", "type", "target", "timestamp", "note", "plugin", "on", "reason", "evidence", "reverses")
_fields_of = operator.itemgetter(*_FIELDS)
_MEMO_LIMIT = 100_000
# the fields of an event but its id (and its level last) -> (its target, its day, its text, its level), or None
# when not well formed; shared by every learner of a report, who often record the same things (the id is checked
# for each event)
_Checked = tuple[str, date, str | None, int | None]
_CHECKED: dict[tuple[Any, ...], _Checked | None] = {}


def _check_rest(rest: tuple[Any, ...]) -> _Checked | None:
    """``check_event`` and ``from_dict`` on the fields but the id, for the form this code writes."""
    kind, target, timestamp, note, plugin, on, reason, evidence, reverses, level = rest
    if kind == EventType.ASSESSED:
        if type(level) is not int or not RATING_RANGE[0] <= level <= RATING_RANGE[1]:
            return None
    elif level is not None:
        return None
    if not (type(kind) is str and type(target) is str and type(timestamp) is str and target
            and kind in EVENT_TYPES and _CANONICAL_TIMESTAMP.match(timestamp)):
        return None
    for value in (note, plugin, reason, evidence, reverses):
        if value is not None and (type(value) is not str or len(value) > TEXT_LIMIT):
            return None
    if on is not None and type(on) is not str:
        return None
    if kind == EventType.UNDONE:
        if not reverses or not _UUID.match(reverses):
            return None
        target = reverses  # what an undone event is about: the event it reverses
    elif reverses is not None:
        return None
    if (kind == EventType.WAIVED and not reason) or (kind == EventType.MILESTONE_ACHIEVED and not evidence):
        return None
    try:
        # parsed even with ``on``, as check_event does; the day is the UTC date, as ``Event.day`` gives it
        recorded = parse_timestamp(timestamp).astimezone(UTC).date()
        day = date.fromisoformat(on) if on is not None else recorded
    except (ValueError, EventError):
        return None
    return target, day, note or reason or evidence, level


def fold_records(records: Iterable[Any]) -> tuple[LearnerState, str | None] | None:
    """``fold`` and the newest timestamp straight from a file's event records, without building ``Event``s.

    Only for logs in the form this code writes (every field present, UTC timestamps as ``format_timestamp``
    gives them, every value as ``check_event`` wants it); for anything else it returns None and the caller goes
    the ``Event`` way, which says exactly what is wrong. What it returns is what ``fold(in_log_order(events))``
    gives.
    """
    # timestamp, id, type, target, day, text, level
    events: list[tuple[str, str, str, str, date, str | None, int | None]] = []
    checked = _CHECKED
    for data in records:
        try:
            values = _fields_of(data)
        except (KeyError, TypeError):
            return None
        if type(data) is not dict:
            return None
        # a record written before events had a level has one field less, and reads as level null
        ident, rest = values[0], (*values[1:], data.get("level"))
        if len(data) != len(_FIELDS) + ("level" in data) or type(ident) is not str or not _UUID.match(ident):
            return None
        try:
            found = checked[rest]
        except KeyError:
            found = _check_rest(rest)
            if len(checked) < _MEMO_LIMIT:
                checked[rest] = found
        except TypeError:  # a list or an object where a string belongs
            return None
        if found is None:
            return None
        events.append((rest[2], ident, rest[0], *found))
    events.sort(key=lambda event: event[0])  # one timestamp format: text order is time order (and stable)
    gone: set[str] = set()
    for _, ident, kind, target, _, _, _ in reversed(events):
        if ident not in gone and kind == EventType.UNDONE:
            gone.add(target)
    modules: dict[str, ItemState] = {}
    milestones: dict[str, ItemState] = {}
    ratings: dict[str, list[Rating]] = {}
    for _, ident, kind, target, day, text, level in events:
        if kind != EventType.UNDONE and ident not in gone:
            _apply(modules, milestones, ratings, kind, target, day, text, level)
    return _state(modules, milestones, ratings), events[-1][0] if events else None
