"""One learner's file on disk: a TinyDB storage that never leaves a half-written or overwritten-bad file.

The file ``<home>/learners/<slug>.json`` is TinyDB's JSON layout (tables ``profile`` and ``events``) plus a
top-level ``schema_version``. Every write goes to ``<slug>.json.tmp`` (flushed and fsynced), the file it
replaces is kept as ``<slug>.json.bak`` (a hard link, so it costs nothing), then the temporary file is renamed
over the original and the directory is fsynced. A reader therefore sees the old file or the new one, never a
mix, and a process killed at any moment leaves a file that parses.

Writers serialise on ``<slug>.json.lock`` (``locks.py``: ``flock``, else ``filelock``) and read, change and
write under that lock, so two processes never lose each other's events. A file that does not parse, or that
carries a schema version this code does not know, is never written: reading it raises ``DamagedStoreError``
and nothing is written.

Nothing here looks at any other learner's file: a write costs the same whatever else is in the home.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cpo_learn.errors import StoreError
from cpo_learn.files import write_atomically

SCHEMA_VERSION = 1
"""The layout this code reads and writes; bump it (with a migration) when the layout changes."""

SCHEMA_KEY = "schema_version"
MAX_FILE_BYTES = 256 * 1024 * 1024
"""The largest learner file read (bytes): some 500,000 events; a larger file is refused as unreadable."""
LOCK_TIMEOUT = 60.0  # seconds; a killed holder releases its lock at once, so only a live writer makes us wait


class DamagedStoreError(StoreError):
    """A learner file that cannot be read (``reason``); it is left exactly as it is."""

    def __init__(self, message: str, path: Path, reason: str, newer: bool = False) -> None:
        super().__init__(message)
        self.path = path
        self.reason = reason
        self.newer = newer


def lock_path(path: Path) -> Path:
    """The lock file that serialises writers of ``path``."""
    return path.with_name(path.name + ".lock")


def temp_path(path: Path) -> Path:
    """The temporary file a write of ``path`` goes through (one name: only the lock holder writes it)."""
    return path.with_name(path.name + ".tmp")


def parse_document(raw: bytes) -> tuple[dict[str, Any] | None, str | None, bool]:
    """Check the bytes of a learner file: ``(tables, None, False)`` when good, else ``(None, reason, newer)``.

    ``tables`` is what TinyDB sees: the file's object without ``schema_version``.
    """
    from cpo_learn.tracking.json_input import JSONInputError, load_json

    try:
        data = load_json(raw, max_bytes=MAX_FILE_BYTES)
    except JSONInputError as exc:
        return None, str(exc), False
    if not isinstance(data, dict):
        return None, "not a cpo-learn learner file (the top level is not an object)", False
    version = data.pop(SCHEMA_KEY, None)
    if version is None:
        return None, f"not a cpo-learn learner file (no '{SCHEMA_KEY}')", False
    if isinstance(version, bool) or not isinstance(version, int):
        return None, f"'{SCHEMA_KEY}' is {version!r}, not a number", False
    if version != SCHEMA_VERSION:
        newer = version > SCHEMA_VERSION
        return None, f"schema version {version}; this cpo-learn reads version {SCHEMA_VERSION}", newer
    for name, table in data.items():
        if not isinstance(table, dict) or not all(isinstance(doc, dict) for doc in table.values()):
            return None, f"table '{name}' is not an object of records", False
    return data, None, False


def readback_problem(raw: bytes) -> str | None:
    """Why the bytes read back from a just-written temporary file would not read as a learner file (None: they
    would): checked before the rename, so a write never replaces a good file by one that bricks the learner."""
    return parse_document(raw)[1]


def serialise(tables: dict[str, Any]) -> bytes:
    """The bytes of a learner file: the schema version first, then the tables (readable, UTF-8)."""
    document = {SCHEMA_KEY: SCHEMA_VERSION, **tables}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


class AtomicJSONStorage:
    """TinyDB storage for one learner file: validated reads, atomic writes, never over a damaged file.

    It has the methods of ``tinydb.storages.Storage`` (``read``, ``write``, ``close``) without subclassing it,
    so reading a learner (``LearnerStore.snapshot``) does not import TinyDB.

    ``damaged`` builds the error raised for a file that cannot be read (it knows how to tell the user to
    recover). One instance lives for one locked transaction (or one lock-free read): it reads the file once,
    hands TinyDB the same tables for every operation in between, and ``flush`` writes all the transaction's
    changes at once at its end.
    """

    def __init__(self, path: str, writable: bool = False,
                 damaged: Callable[[Path, str, bool], DamagedStoreError] | None = None) -> None:
        self.path = Path(path)
        self.writable = writable
        self._damaged = damaged
        self._tables: dict[str, Any] | None = None
        self._read = False
        self._dirty = False
        self.existed = False
        self.raw: bytes | None = None
        """The bytes the file held when it was read (None before the read, or when there was no file)."""

    def read(self) -> dict[str, dict[str, Any]] | None:
        """The file's tables; None when the file does not exist yet; ``DamagedStoreError`` if unreadable."""
        if self._read:
            return self._tables
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            raw = None
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc.strerror or exc}") from None
        if raw is not None:
            tables, reason, newer = parse_document(raw)
            if tables is None:
                assert reason is not None
                if self._damaged is not None:
                    raise self._damaged(self.path, reason, newer)
                raise DamagedStoreError(f"{self.path}: {reason}", self.path, reason, newer)
            self._tables = tables
            self.existed = True
            self.raw = raw
        self._read = True
        return self._tables

    @property
    def changed(self) -> bool:
        """True once TinyDB has changed the tables since the read (until ``flush`` writes them)."""
        return self._dirty

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Keep TinyDB's change; ``flush`` writes it (so a transaction's changes land in one atomic write)."""
        if not self.writable:
            raise RuntimeError("this learner store was opened for reading only")
        if not self._read:
            self.read()  # never replace a file that has not been checked
        self._tables = data
        self._dirty = True

    def flush(self) -> None:
        """Write the changed tables atomically, if anything changed."""
        if not self._dirty or self._tables is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, serialise(self._tables), temp=temp_path(self.path),
                             keep_backup=self.existed, verify=readback_problem)
        except OSError as exc:
            raise StoreError(f"cannot write {self.path}: {exc.strerror or exc}; nothing was changed (free some "
                             f"disk space or make {self.path.parent} writable, then run it again)") from None
        self._dirty = False
        self.existed = True

    def close(self) -> None:
        """Nothing stays open between operations."""
