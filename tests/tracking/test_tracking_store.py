"""The learner store: safe names, the file layout, atomic writes, and damaged files left untouched."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cpo_learn.errors import UsageError
from cpo_learn.tracking.store import SCHEMA_VERSION, DamagedStoreError, parse_document
from cpo_learn.tracking.tracker import Tracker, slugify

MODULE = "education/what-product-managers-do"


# -- learner names -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "slug"), [
    ("Ada Lovelace", "ada-lovelace"),
    ("ada-lovelace", "ada-lovelace"),
    ("../x", "x"),
    ("../../etc/passwd", "etc-passwd"),
    ("/etc/passwd", "etc-passwd"),
    ("C:\\Windows\\system32", "c-windows-system32"),
    ("José Müller", "jose-muller"),
    ("李雷", "李雷"),
    ("Σωκράτης", "σωκρατησ"),  # casefolded: the same slug however it is typed
    ("  .hidden  ", "hidden"),
    ("nul", "nul-learner"),
    ("a" * 300, "a" * 64),
])
def test_names_become_slugs_that_stay_in_the_home(name: str, slug: str, tracker: Tracker) -> None:
    assert slugify(name) == slug
    path = tracker.path(name)
    assert path.parent == tracker.learners_dir
    assert path.resolve().is_relative_to(tracker.home.resolve())


@pytest.mark.parametrize("name", ["", "   ", "..", "/", "../..", "---", "\x00", "💥"])
def test_names_without_letters_or_digits_are_refused(name: str) -> None:
    with pytest.raises(UsageError, match="no letter or digit"):
        slugify(name)


@given(st.text())
def test_any_name_gives_a_safe_slug_or_a_clear_refusal(name: str) -> None:
    try:
        slug = slugify(name)
    except UsageError:
        return
    assert slug and len(slug) <= 64 + len("-learner")
    assert not set(slug) & set("/\\.:\x00") and not slug.startswith("-")
    assert all(ch.isalnum() or ch == "-" for ch in slug)
    assert slugify(slug) == slug


def test_path_escaping_names_on_the_command_line_stay_in_the_home(run, home: Path, tracker: Tracker) -> None:
    for name in ("../outside", "/etc/passwd", "..\\..\\evil"):
        tracker.store(name).save_profile({"name": name, "stage": "education", "hours_per_week": 5})
        result = run("--learner", name, "done", MODULE)
        assert result.exit_code == 0, result.output
    assert sorted(tracker.learners()) == ["etc-passwd", "evil", "outside"]
    assert not (home.parent / "outside.json").exists() and not (home / "outside.json").exists()
    cache = home.parent / "cache"  # the test's own cache dir (CPO_LEARN_CACHE_DIR), beside the home
    everything = [p for p in home.parent.rglob("*") if p.is_file() and not p.is_relative_to(cache)]
    assert all(p.is_relative_to(home / "learners") for p in everything)
    result = run("--learner", "..", "log")
    assert result.exit_code == 2 and "no letter or digit" in result.stderr


# -- file layout ---------------------------------------------------------------------------------------------
def test_a_learner_file_has_a_schema_version_and_the_two_tables(ada: str, tracker: Tracker) -> None:
    store = tracker.store(ada)
    event = store.record("completed", MODULE, plugin="education")
    data = json.loads(store.path.read_text(encoding="utf-8"))
    assert data["schema_version"] == SCHEMA_VERSION
    assert set(data) == {"schema_version", "profile", "events", "hours"}
    assert [doc["id"] for doc in data["events"].values()] == [event.id]
    assert store.path == tracker.home / "learners" / "ada-lovelace.json"


def test_each_write_keeps_the_previous_file_as_the_backup(ada: str, tracker: Tracker) -> None:
    store = tracker.store(ada)
    store.record("started", MODULE)
    before = store.path.read_bytes()
    store.record("completed", MODULE)
    assert store.backup.read_bytes() == before
    assert parse_document(store.backup.read_bytes())[0] is not None
    assert not Path(f"{store.path}.tmp").exists()


def test_a_left_over_temporary_file_does_not_matter(ada: str, tracker: Tracker) -> None:
    store = tracker.store(ada)
    Path(f"{store.path}.tmp").write_bytes(b'{"half": ')  # a writer killed half-way
    Path(f"{store.backup}.tmp").write_bytes(b"junk")
    store.record("completed", MODULE)
    assert len(store.events()) == 1


def test_a_transaction_that_fails_writes_nothing(ada: str, tracker: Tracker) -> None:
    store = tracker.store(ada)
    before = store.path.read_bytes()

    def refuse(log: list[object]) -> list[object]:
        raise RuntimeError("changed my mind")

    with pytest.raises(RuntimeError):
        store.append([], refuse)  # type: ignore[arg-type]
    assert store.path.read_bytes() == before


def test_recording_never_lists_the_home(ada: str, run, monkeypatch: pytest.MonkeyPatch) -> None:
    """A write touches only the learner's own files: its cost cannot grow with the number of learners."""
    real_scandir, real_listdir = os.scandir, os.listdir
    learners_dir = str(Path(os.environ["CPO_LEARN_HOME"]) / "learners")

    def no_listing(path: object = ".") -> object:
        if str(path).rstrip("/") == learners_dir:
            raise AssertionError("the learners folder was listed during a write")
        return real_scandir(path)  # type: ignore[arg-type]

    def no_listdir(path: object = ".") -> list[str]:
        if str(path).rstrip("/") == learners_dir:
            raise AssertionError("the learners folder was listed during a write")
        return real_listdir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", no_listing)
    monkeypatch.setattr(os, "listdir", no_listdir)
    result = run("--learner", "ada-lovelace", "done", MODULE)
    assert result.exit_code == 0, result.output
    result = run("--learner", "Ada Lovelace", "undo")
    assert result.exit_code == 0, result.output


# -- damaged files -------------------------------------------------------------------------------------------
def damage(path: Path, how: str) -> None:
    raw = path.read_bytes()
    if how == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif how == "garbage":
        path.write_bytes(b"\x00\xff garbage \x13\x37" * 20)
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "not-ours":
        path.write_text('{"_default": {}}', encoding="utf-8")
    elif how == "bad-event":
        data = json.loads(raw)
        next(iter(data["events"].values()))["type"] = "teleported"
        path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("how", ["truncated", "garbage", "empty", "not-ours", "bad-event"])
@pytest.mark.parametrize("command", [("done", MODULE), ("undo",), ("log",), ("export",), ("progress",)])
def test_a_damaged_file_stops_every_command_and_stays_byte_identical(
    how: str, command: tuple[str, ...], ada: str, tracker: Tracker, run
) -> None:
    store = tracker.store(ada)
    store.record("started", MODULE)
    store.record("completed", MODULE)
    damage(store.path, how)
    before, backup_before = store.path.read_bytes(), store.backup.read_bytes()
    result = run(*command)
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1, "one line, no traceback"
    assert str(store.path) in result.stderr
    assert "--learner ada-lovelace recover" in result.stderr
    assert store.path.read_bytes() == before
    assert store.backup.read_bytes() == backup_before


def test_a_file_from_a_newer_version_is_left_alone_and_says_to_upgrade(ada: str, tracker: Tracker,
                                                                       run) -> None:
    store = tracker.store(ada)
    store.record("completed", MODULE)
    data = json.loads(store.path.read_text(encoding="utf-8"))
    data["schema_version"] = SCHEMA_VERSION + 1
    store.path.write_text(json.dumps(data), encoding="utf-8")
    before = store.path.read_bytes()
    result = run("done", "education/talking-to-users")
    assert result.exit_code == 1
    assert "schema version 2" in result.stderr and "pip install -U cpo-learn" in result.stderr
    assert store.path.read_bytes() == before
    result = run("recover")
    assert result.exit_code == 1 and "newer cpo-learn" in result.stderr
    assert store.path.read_bytes() == before


def test_recover_puts_the_last_good_copy_back_and_keeps_the_damaged_file(
    ada: str, tracker: Tracker, run
) -> None:
    store = tracker.store(ada)
    first = store.record("started", MODULE)
    store.record("completed", MODULE)
    damage(store.path, "truncated")
    damaged = store.path.read_bytes()
    result = run("recover")
    assert result.exit_code == 0, result.output
    assert [e.id for e in store.events()] == [first.id]  # the file as it was before its last write
    kept = [p for p in store.path.parent.iterdir() if ".damaged-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    assert run("done", MODULE).exit_code == 0
    assert run("recover").stdout.startswith(f"{store.path} reads fine")


def test_recover_without_a_good_backup_says_so(ada: str, tracker: Tracker, run) -> None:
    store = tracker.store(ada)
    damage(store.path, "garbage")  # the only write so far: no backup
    result = run("done", MODULE)
    assert result.exit_code == 1 and "no good copy" in result.stderr
    result = run("recover")
    assert result.exit_code == 1 and "no backup" in result.stderr


def test_reading_a_damaged_file_raises_with_the_reason(ada: str, tracker: Tracker) -> None:
    store = tracker.store(ada)
    damage(store.path, "truncated")
    with pytest.raises(DamagedStoreError) as caught:
        store.events()
    assert caught.value.path == store.path and "not valid JSON" in caught.value.reason
