"""The ``Tracker``: every learner's profile and progress log, one TinyDB file per learner.

``<home>/learners/<slug>.json`` holds the tables ``profile`` and ``events`` (see ``store.py`` for how it is
written). A learner's writes touch only their own file (and its ``.bak``, ``.tmp`` and ``.lock`` siblings),
so recording progress costs the same with one learner in the home or ten thousand.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cpo_learn.errors import CpoLearnError, StoreError, UsageError
from cpo_learn.planning.profile import StoredProfile
from cpo_learn.planning.state import LearnerState
from cpo_learn.text import did_you_mean, slugify
from cpo_learn.tracking.events import Event, EventError, EventType, fold, in_log_order, last_undoable

if TYPE_CHECKING:
    from tinydb import TinyDB

    from cpo_learn.tracking.store import DamagedStoreError
    from cpo_learn.tracking.transfer import History

_last_parsed: tuple[Path, bytes, tuple[Event, ...]] | None = None
"""The learner file last parsed in this process: its path, its bytes and their events (``_parse_events``)."""


class NothingToUndo(CpoLearnError):
    """``undo`` with no event left in force."""


@dataclass(frozen=True)
class Snapshot:
    """One consistent read of a learner file."""

    profile: StoredProfile | None
    events: list[Event]
    hours_history: tuple[tuple[date, float], ...] = ()
    """The hours a week the learner set, from which day on (oldest first): what the original schedule was."""


class LearnerStore:
    """One learner's file: profile, append-only event log, and the state folded from it.

    Reads take no lock (writes replace the file in one rename, so a reader sees a whole file); every write is
    a read-change-write under the learner's file lock.
    """

    def __init__(self, slug: str, path: Path, recover_command: str) -> None:
        self.slug = slug
        self.path = path
        self.recover_command = recover_command

    # -- files ----------------------------------------------------------------------------------------------
    def exists(self) -> bool:
        """Whether this learner has a file."""
        return self.path.is_file()

    @property
    def backup(self) -> Path:
        """The copy of the file from before its last write."""
        from cpo_learn.files import backup_path

        return backup_path(self.path)

    def _damaged(self, path: Path, reason: str, newer: bool) -> DamagedStoreError:
        from cpo_learn.tracking.store import DamagedStoreError, parse_document

        if newer:
            advice = "it was written by a newer cpo-learn: upgrade with 'pip install -U cpo-learn'"
        else:
            good_backup = False
            if self.backup.is_file():
                good_backup = parse_document(self.backup.read_bytes())[0] is not None
            if good_backup:
                advice = (f"restore the last good copy with '{self.recover_command}' "
                          f"(or: cp '{self.backup}' '{path}')")
            else:
                advice = "there is no good copy beside it: repair it by hand (it is JSON) or move it away"
        message = f"cannot read learner file {path}: {reason}; it was left as it is; {advice}"
        return DamagedStoreError(message, path, reason, newer)

    def _open(self, writable: bool) -> TinyDB:
        from tinydb import TinyDB

        from cpo_learn.tracking.store import AtomicJSONStorage

        return TinyDB(str(self.path), storage=AtomicJSONStorage, writable=writable, damaged=self._damaged)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the learner's write lock (``StoreError`` when it cannot be had)."""
        from cpo_learn.tracking.locks import LockTimeout, acquire
        from cpo_learn.tracking.store import LOCK_TIMEOUT, lock_path

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            release = acquire(str(lock_path(self.path)), LOCK_TIMEOUT)
        except LockTimeout:
            raise StoreError(f"{self.path} has been locked by another cpo-learn for {LOCK_TIMEOUT:g} s; "
                             "try again when it has finished") from None
        except OSError as exc:
            raise StoreError(f"cannot lock {lock_path(self.path)}: {exc.strerror or exc}; nothing was changed "
                             f"(make {self.path.parent} writable, then run it again)") from None
        try:
            yield
        finally:
            release()

    @contextmanager
    def _transaction(self) -> Iterator[TinyDB]:
        """The database under the learner's lock: one read, then (if anything changed) one atomic write."""
        from cpo_learn.tracking.store import AtomicJSONStorage

        with self._locked():
            db = self._open(writable=True)
            storage = db.storage
            assert isinstance(storage, AtomicJSONStorage)
            storage.read()  # check the file before anything is changed
            yield db
            storage.flush()  # all or nothing: an exception above leaves the file as it was

    def snapshot(self) -> Snapshot:
        """Profile and events (in log order) from one read; an empty snapshot when there is no file."""
        from cpo_learn.tracking.store import AtomicJSONStorage

        # read straight from the storage: what TinyDB's ``table(name).all()`` gives, without importing TinyDB
        storage = AtomicJSONStorage(str(self.path), damaged=self._damaged)
        tables = storage.read() or {}
        profiles = _documents(tables, "profile")
        profile = StoredProfile(dict(profiles[-1][1])) if profiles else None
        hours = _hours_history([doc for _, doc in _documents(tables, "hours")])
        return Snapshot(profile, self._parse_events(storage.raw, lambda: _documents(tables, "events")), hours)

    def _events(self, db: TinyDB) -> list[Event]:
        from cpo_learn.tracking.store import AtomicJSONStorage

        storage = db.storage
        assert isinstance(storage, AtomicJSONStorage)
        raw = None if storage.changed else storage.raw  # the bytes read tell the tables only before a change
        return self._parse_events(raw, lambda: [(doc.doc_id, doc) for doc in db.table("events", cache_size=0).all()])

    def _parse_events(self, raw: bytes | None,
                      documents: Callable[[], list[tuple[int, dict[str, Any]]]]) -> list[Event]:
        """The events of the file whose bytes are ``raw``, in log order. A command reads its learner's file
        more than once (to plan, to check, then under the lock to write); the events of the bytes last parsed
        are kept, so bytes read again unchanged are not parsed again (any other bytes are)."""
        global _last_parsed
        if raw is not None and _last_parsed is not None and _last_parsed[0] == self.path and _last_parsed[1] == raw:
            return list(_last_parsed[2])
        events = self._parse_documents(documents())
        if raw is not None:
            _last_parsed = (self.path, raw, tuple(events))
        return events

    def _parse_documents(self, documents: list[tuple[int, dict[str, Any]]]) -> list[Event]:
        events = []
        for doc_id, doc in documents:
            try:
                events.append(Event.from_dict(dict(doc)))
            except EventError as exc:
                reason = f"event record {doc_id} is malformed: {exc}"
                raise self._damaged(self.path, reason, False) from None
        return in_log_order(events)

    def history(self) -> History:
        """Everything recorded for the learner, from one read; the name is the profile's, else the slug."""
        from cpo_learn.tracking.transfer import History

        snapshot = self.snapshot()
        name = snapshot.profile.name if snapshot.profile and snapshot.profile.name else self.slug
        data = snapshot.profile.to_mapping() if snapshot.profile else None
        return History(self.slug, name, data, snapshot.events)

    # -- profile --------------------------------------------------------------------------------------------
    def load_profile(self) -> StoredProfile | None:
        """The saved profile, or None."""
        return self.snapshot().profile

    def save_profile(self, data: dict[str, Any], today: date | None = None) -> None:
        """Save the profile (replacing the previous one); creates the learner's file when needed.

        A change of ``hours_per_week`` is kept in the ``hours`` table as of ``today`` (the first profile's from
        its start date), so the schedule the learner's pace is measured against is not rewritten backwards.
        """
        if today is None:
            from cpo_learn import clock

            today = clock.today()
        with self._transaction() as db:
            table = db.table("profile", cache_size=0)
            old = table.all()
            history = db.table("hours", cache_size=0)
            known = _hours_history(db.table("hours", cache_size=0).all())
            if not known and old:  # a file from before the history was kept: its rate held until now
                earlier = dict(old[-1])
                rate = _number(earlier.get("hours_per_week"))
                if rate is not None:
                    history.insert({"since": _day_text(earlier.get("start"), today), "hours_per_week": rate})
                    known = ((today, rate),)
            rate = _number(data.get("hours_per_week"))
            if rate is not None and (not known or known[-1][1] != rate):
                since = today.isoformat() if known else _day_text(data.get("start"), today)
                history.insert({"since": since, "hours_per_week": rate})
            if len(table):
                table.truncate()
            table.insert(dict(data))

    # -- events ---------------------------------------------------------------------------------------------
    def events(self) -> list[Event]:
        """Every event, oldest first."""
        return self.snapshot().events

    def state(self) -> LearnerState:
        """Where the learner stands, folded from the log."""
        return fold(self.events())

    def record(self, type: str, target: str, note: str | None = None, on: date | None = None, *,
               plugin: str | None = None, reason: str | None = None, evidence: str | None = None,
               reverses: str | None = None) -> Event:
        """Append one new event and return it once it is durably written.

        ``UsageError`` (nothing written) when what the learner gave cannot be recorded, like a 20,000-character
        note.
        """
        event = self.new_event(type, target, note=note, on=on, plugin=plugin, reason=reason, evidence=evidence,
                               reverses=reverses)
        self.append([event])
        return event

    def record_unless(self, event: Event, recorded: Callable[[LearnerState], bool]) -> bool:
        """Append ``event`` unless ``recorded(state)`` says the log already has it; True when appended.

        The check reads the state under the learner's lock, in the same transaction as the write, so eight
        processes running ``done`` on one module at once record it once.
        """
        return bool(self.append([], lambda current: [] if recorded(fold(current)) else [event]))

    @staticmethod
    def new_event(type: str, target: str, note: str | None = None, on: date | None = None, *,
                  plugin: str | None = None, reason: str | None = None, evidence: str | None = None,
                  reverses: str | None = None, level: int | None = None) -> Event:
        """A new event, checked, not yet recorded; ``UsageError`` when what the learner gave cannot be."""
        try:
            return Event.new(type, target, note=note, plugin=plugin, on=on, reason=reason, evidence=evidence,
                             reverses=reverses, level=level)
        except EventError as exc:
            raise UsageError(f"nothing recorded: {exc}") from None

    def append(self, events: Sequence[Event],
               decide: Callable[[list[Event]], Sequence[Event]] | None = None) -> list[Event]:
        """Append events whose ids are not in the log yet; return those appended (durably written).

        ``decide``, when given, is called under the lock with the current log and returns the events to
        append: the way to make a choice that depends on the log (like ``sync``) without racing others.
        """
        with self._transaction() as db:
            current = self._events(db)
            wanted = list(decide(current) if decide is not None else events)
            known = {event.id for event in current}
            new: list[Event] = []
            for event in wanted:
                if event.id not in known:
                    known.add(event.id)
                    new.append(event)
            if new:
                db.table("events", cache_size=0).insert_multiple(event.to_dict() for event in new)
            return new

    def import_history(self, profile: dict[str, Any] | None, events: Sequence[Event],
                       source: str) -> tuple[list[Event], bool]:
        """Add the events whose ids are new (and the profile, if the learner has none) in one write.

        Returns ``(events added, whether the profile was saved)``; ``ImportFileError`` (nothing written) when
        an id is already taken by a different event.
        """
        from cpo_learn.tracking.transfer import check_against_log

        with self._transaction() as db:
            new = check_against_log(events, self._events(db), source)
            profiles = db.table("profile", cache_size=0)
            saved = profile is not None and not len(profiles)
            if saved and profile is not None:
                profiles.insert(dict(profile))
            if new:
                db.table("events", cache_size=0).insert_multiple(event.to_dict() for event in new)
            return new, saved

    def undo(self) -> tuple[Event, Event]:
        """Reverse the newest event in force by appending an ``undone`` event: ``(undone, reversed)``."""
        reversed_: list[Event] = []

        def decide(current: list[Event]) -> list[Event]:
            target = last_undoable(current)
            if target is None:
                raise NothingToUndo(f"nothing to undo for '{self.slug}': no recorded event is in force")
            reversed_.append(target)
            return [Event.new(EventType.UNDONE, target.target, plugin=target.plugin, reverses=target.id)]

        (undone,) = self.append([], decide)
        return undone, reversed_[0]

    def replace_file_with_backup(self) -> Path:
        """Restore ``.bak`` over a damaged file, keeping the damaged one as ``<slug>.json.damaged-<time>``.

        Returns where the damaged file was moved. ``StoreError`` when there is no good backup.
        """
        from cpo_learn.files import copy_atomically, write_atomically
        from cpo_learn.tracking.events import utc_now
        from cpo_learn.tracking.store import parse_document, readback_problem, temp_path

        with self._locked():
            if not self.backup.is_file():
                raise StoreError(f"there is no backup {self.backup} to restore")
            raw = self.backup.read_bytes()
            _, reason, _ = parse_document(raw)
            if reason is not None:
                raise StoreError(f"the backup {self.backup} cannot be read either ({reason}); "
                                 "repair one of them by hand (it is JSON)")
            stamp = re.sub(r"[^0-9TZ]", "", utc_now())
            kept = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
            try:
                if self.path.exists():  # a copy, whole or not at all: the learner's file never goes missing
                    copy_atomically(self.path, kept)
                write_atomically(self.path, raw, temp=temp_path(self.path), verify=readback_problem)
            except OSError as exc:
                raise StoreError(f"cannot restore {self.path}: {exc.strerror or exc}") from None
            return kept


def _documents(tables: dict[str, Any], name: str) -> list[tuple[int, dict[str, Any]]]:
    """(doc id, document) of a table, in file order, as TinyDB reads them (a missing table is empty)."""
    return [(int(doc_id), doc) for doc_id, doc in tables.get(name, {}).items()]


class Tracker:
    """All learners in a home: ``learners()``, ``resolve_learner()``, ``store(learner)``."""

    def __init__(self, home: Path, command: str = "cpo-learn") -> None:
        self.home = home
        self.command = command  # how to run cpo-learn again (with --home if one was given), for messages

    @property
    def learners_dir(self) -> Path:
        """``<home>/learners``."""
        return self.home / "learners"

    def _scan(self, limit: int | None = None) -> list[str]:
        found: list[str] = []
        try:
            with os.scandir(self.learners_dir) as entries:
                for entry in entries:
                    if entry.name.endswith(".json") and not entry.name.startswith(".") and entry.is_file():
                        found.append(entry.name[: -len(".json")])
                        if limit is not None and len(found) >= limit:
                            break
        except FileNotFoundError:
            return []
        except OSError as exc:  # the home is a file, or cannot be read
            raise StoreError(f"cannot list the learners in {self.learners_dir}: {exc.strerror or exc}; "
                             "check --home (or CPO_LEARN_HOME)") from None
        return found

    def learners(self) -> list[str]:
        """Every learner's slug, sorted."""
        return sorted(self._scan())

    def path(self, learner: str) -> Path:
        """The file of a learner (by name or slug)."""
        path = self.learners_dir / f"{slugify(learner)}.json"
        if path.parent != self.learners_dir:  # slugify makes this impossible; keep it impossible
            raise UsageError(f"learner name {learner!r} is not allowed")
        return path

    def store(self, learner: str) -> LearnerStore:
        """The store of a learner (by name or slug); the file need not exist yet."""
        slug = slugify(learner)
        return LearnerStore(slug, self.path(slug), f"{self.command} --learner {slug} recover")

    def resolve_learner(self, option: str | None) -> str:
        """The slug of ``option``; without one, the only learner in the home (else an error saying why)."""
        if option is not None:
            return slugify(option)
        found = self._scan(limit=2)  # stop early: a home of ten thousand learners is never listed here
        if len(found) == 1:
            return found[0]
        if not found:
            raise CpoLearnError(f"no learner in {self.home} yet: create one with "
                                f"'{self.command} init --name NAME'")
        everyone = self.learners()
        shown = ", ".join(everyone[:10]) + (f" and {len(everyone) - 10} more" if len(everyone) > 10 else "")
        raise UsageError(f"{len(everyone)} learners in {self.home} ({shown}): choose one with --learner NAME "
                         "or CPO_LEARN_LEARNER")

    def existing(self, option: str | None) -> LearnerStore:
        """The store of an existing learner (see ``resolve_learner``); an error naming the closest if none."""
        store = self.store(self.resolve_learner(option))
        if not store.exists():
            hint = did_you_mean(store.slug, self.learners())
            raise CpoLearnError(f"no learner '{store.slug}' in {self.home}{hint} (create one with "
                                f"'{self.command} init --name NAME'; "
                                f"list them with '{self.command} learners')")
        return store


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _day_text(value: Any, default: date) -> str:
    """An ISO date given as text, else ``default``."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    return default.isoformat()


def _hours_history(documents: Iterable[Mapping[str, Any]]) -> tuple[tuple[date, float], ...]:
    """The ``hours`` table's documents as (since, hours a week), oldest first; unreadable rows are passed over."""
    found: list[tuple[date, float]] = []
    for doc in documents:
        since, rate = doc.get("since"), _number(doc.get("hours_per_week"))
        if not isinstance(since, str) or rate is None:
            continue
        try:
            found.append((date.fromisoformat(since), rate))
        except ValueError:
            continue
    return tuple(sorted(found, key=lambda pair: pair[0]))
