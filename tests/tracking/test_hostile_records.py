"""Hostile input, round two (issue 19), against the record: no input bricks a learner, nothing recorded is lost.

Each test drives the command line (CliRunner, or real processes where the race or the kill is the point) and,
after every refused write, checks that the home is byte-identical.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
import uuid
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cpo_learn.tracking.events import Event, EventError, event_id, format_timestamp, parse_timestamp
from cpo_learn.tracking.json_input import MAX_DEPTH, JSONInputError, load_json, too_deep
from cpo_learn.tracking.tracker import Tracker
from cpo_learn.tracking.transfer import MAX_IMPORT_EVENTS

MODULE = "education/what-product-managers-do"
OTHER = "education/talking-to-users"
EDUCATION = {"CPO_LEARN_LOAD_PLUGINS": "education,starting-roles"}
READERS = (["log"], ["progress"], ["next"], ["generate", "-o", "-"], ["report"], ["learners"], ["export"])
HYPOTHESIS = settings(max_examples=25, deadline=None,
                      suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file (bytes) and folder (None) under ``root``, but the empty lock files writers may leave."""
    return {str(p.relative_to(root)): None if p.is_dir() else p.read_bytes() for p in sorted(root.rglob("*"))
            if p.suffix != ".lock"}


def assert_one_line(result: Result, code: int, message: str) -> None:
    assert "Traceback" not in result.output, result.output
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    assert message in lines[0], lines[0]


def export_doc(events: list[dict[str, Any]], learner: str = "ada-lovelace",
               profile: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"format": "cpo-learn-history", "version": 1, "learner": learner, "name": learner,
            "profile": profile, "events": events}


def an_event(**fields: Any) -> dict[str, Any]:
    data = {"id": str(uuid.uuid4()), "type": "completed", "target": OTHER,
            "timestamp": "2026-01-05T10:00:00.000000Z", "note": None, "plugin": "education", "on": None,
            "reason": None, "evidence": None, "reverses": None}
    data.update(fields)
    return data


@pytest.fixture
def recorded(ada: str, run) -> str:
    """Ada with one completed module (so every reader has something to show)."""
    assert run("done", MODULE, **EDUCATION).exit_code == 0
    return ada


# -- 1. times that overflow --------------------------------------------------------------------------------
offsets = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes)))


@given(moment=st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)),
       zone=offsets)
@example(moment=datetime(9999, 12, 31, 23, 59, 59), zone=timezone(-timedelta(hours=23, minutes=59)))
@example(moment=datetime(1, 1, 1, 0, 0), zone=timezone(timedelta(hours=23, minutes=59)))
def test_a_timestamp_is_refused_or_converts_anywhere(moment: datetime, zone: timezone) -> None:
    text = moment.replace(tzinfo=zone).isoformat()
    try:
        parsed = parse_timestamp(text)
    except EventError as exc:
        assert "outside the years" in str(exc)
        return
    # whatever a view does with an accepted time works: UTC, the local day, the text form and back
    assert parsed.tzinfo is UTC
    parsed.astimezone()
    parsed.astimezone(timezone(timedelta(hours=14))).date()
    parsed.astimezone(timezone(-timedelta(hours=14))).date()
    assert parse_timestamp(format_timestamp(parsed)) == parsed


@HYPOTHESIS
@given(timestamp=st.sampled_from(["9999-12-31T23:59:59-23:59", "0001-01-01T00:00+23:59",
                                  "9999-12-31T23:59:59.999999+00:00", "0001-01-01T00:00:00Z",
                                  "9999-12-30T23:00:00-05:00"]) | st.datetimes(
    min_value=datetime(9999, 12, 28), max_value=datetime(9999, 12, 31, 23, 59)).map(
    lambda d: d.isoformat() + "-23:00"))
def test_an_imported_event_with_an_out_of_range_or_future_time_is_refused_and_nothing_changes(
    recorded: str, run, home: Path, tmp_path: Path, timestamp: str
) -> None:
    try:
        refused = "outside the years 0001-9999" if parse_timestamp(timestamp) > datetime.now(UTC) + timedelta(
            days=1) else ""
        refused = refused and "is in the future"
    except EventError:
        refused = "outside the years 0001-9999"
    file = tmp_path / "history.json"
    file.write_text(json.dumps(export_doc([an_event(timestamp=timestamp)])), encoding="utf-8")
    before = snapshot(home)
    result = run("import", str(file), **EDUCATION)
    if refused:
        assert_one_line(result, 1, refused)
        assert snapshot(home) == before
    else:
        assert result.exit_code == 0, result.output
    for args in READERS:  # whichever way it went, every view of every learner still works
        assert run(*args, **EDUCATION).exit_code == 0, args
    assert run("recover", **EDUCATION).exit_code == 0


def test_a_learner_file_already_holding_such_a_time_is_damaged_and_recover_mends_it(
    recorded: str, run, home: Path, tracker: Tracker
) -> None:
    store = tracker.store(recorded)
    data = json.loads(store.path.read_text(encoding="utf-8"))
    data["events"]["2"] = an_event(timestamp="9999-12-31T23:59:59-23:59")  # written by an older cpo-learn
    store.path.write_text(json.dumps(data), encoding="utf-8")
    for args in (["log"], ["progress"], ["next"], ["undo"]):
        assert_one_line(run(*args, **EDUCATION), 1, "outside the years 0001-9999")
    result = run("recover", **EDUCATION)
    assert result.exit_code == 0 and "restored" in result.stdout, result.output
    assert run("log", **EDUCATION).exit_code == 0


# -- 2. deeply nested JSON ---------------------------------------------------------------------------------
@given(depth=st.integers(min_value=MAX_DEPTH + 1, max_value=200_000), bracket=st.sampled_from("[{"))
@example(depth=100_000, bracket="[")
def test_json_nested_too_deep_is_one_clear_reason(depth: int, bracket: str) -> None:
    raw = (bracket * depth).encode() if bracket == "[" else ('{"a":' * depth).encode()
    with pytest.raises(JSONInputError, match=f"nested more than {MAX_DEPTH} levels deep"):
        load_json(raw, max_bytes=10**7)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
                    max_leaves=30))
def test_json_within_the_depth_reads_as_json_loads_reads_it(value: Any) -> None:
    raw = json.dumps(value).encode()
    assert load_json(raw, max_bytes=10**7) == value


_TRICKY_TEXT = st.text(alphabet=st.sampled_from('[]{}"\\/nu0a:,é\n'), max_size=8)


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


@given(st.recursive(st.none() | st.integers() | _TRICKY_TEXT,
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TRICKY_TEXT, inner, max_size=3),
                    max_leaves=40),
       st.integers(min_value=0, max_value=8), st.booleans())
@example(value={"": [[]]}, limit=2, ascii_only=False)  # an object around arrays: one level a pass
def test_depth_is_measured_exactly_whatever_the_strings_hold(value: Any, limit: int, ascii_only: bool) -> None:
    # brackets, quotes and backslashes inside strings never count as nesting
    raw = json.dumps(value, ensure_ascii=ascii_only).encode()
    assert too_deep(raw, limit) == (_depth(value) > limit)


def test_a_deeply_nested_import_is_refused_and_nothing_changes(recorded: str, run, home: Path,
                                                               tmp_path: Path) -> None:
    file = tmp_path / "deep.json"
    file.write_text("[" * 100_000, encoding="utf-8")
    before = snapshot(home)
    assert_one_line(run("import", str(file), **EDUCATION), 1, "nested more than")
    assert snapshot(home) == before


def test_a_deeply_nested_learner_file_is_an_error_row_and_the_others_still_work(
    recorded: str, run, home: Path, tracker: Tracker
) -> None:
    deep = tracker.store("mallory")
    deep.path.write_text('{"schema_version": 1, "events": ' + "[" * 100_000, encoding="utf-8")
    before = snapshot(home)
    for args in (["learners"], ["report"], ["report", "--json"], ["report", "--csv"]):
        result = run(*args, **EDUCATION)
        assert "Traceback" not in result.output and result.exit_code == 1, (args, result.output)
        assert "ada-lovelace" in result.stdout and "nested more than" in result.output, (args, result.output)
    assert_one_line(run("--learner", "mallory", "recover", **EDUCATION), 1, "no backup")
    assert_one_line(run("--learner", "mallory", "log", **EDUCATION), 1, "nested more than")
    assert run("--learner", "ada-lovelace", "log", **EDUCATION).exit_code == 0
    assert snapshot(home) == before


# -- 3. the profile of an import -----------------------------------------------------------------------------
BOB = {"name": "Bob", "stage": "education", "target": "education", "hours_per_week": 5}


@pytest.mark.parametrize(("profile", "message"), [
    ({**BOB, "background": "str", "target": 5}, "'profile': "),
    ({**BOB, "background": "str"}, "background must be"),
    ({**BOB, "stage": ["education"]}, "unknown stage"),
    ({**BOB, "hours_per_week": "lots"}, "hours_per_week must be a number"),
    ({**BOB, "name": "---"}, "no letter or digit"),
    ({**BOB, "skills": {"analytics": [[[]]]}}, "analytics"),
])
def test_an_import_with_an_invalid_profile_is_refused_and_nothing_changes(
    recorded: str, run, home: Path, tmp_path: Path, profile: dict[str, Any], message: str
) -> None:
    file = tmp_path / "bob.json"
    file.write_text(json.dumps(export_doc([an_event()], learner="bob", profile=profile)), encoding="utf-8")
    before = snapshot(home)
    assert_one_line(run("import", str(file), **EDUCATION), 1, message)
    assert snapshot(home) == before
    assert not (home / "learners" / "bob.json").exists()


def test_init_mends_a_saved_profile_of_the_wrong_shape(run, tracker: Tracker) -> None:
    store = tracker.store("bob")
    store.save_profile({**BOB, "background": "str", "experience": [1], "skills": "x", "target": 5})
    assert_one_line(run("--learner", "bob", "init", "--hours", "6", **EDUCATION), 2, "target stage")
    result = run("--learner", "bob", "init", "--target", "education", **EDUCATION)
    assert result.exit_code == 0, result.output
    assert run("--learner", "bob", "progress", **EDUCATION).exit_code == 0


# -- 4. one event-id normal form ------------------------------------------------------------------------------
def spellings(ident: str) -> st.SearchStrategy[str]:
    """The same UUID with any letters upper-cased, with or without its hyphens."""
    return st.tuples(st.lists(st.booleans(), min_size=36, max_size=36), st.booleans()).map(
        lambda t: "".join(c.upper() if up else c for c, up in zip(ident, t[0], strict=True)).replace(
            "-", "" if t[1] else "-"))


@HYPOTHESIS
@given(data=st.data())
def test_the_same_event_id_spelt_differently_is_not_imported_again(recorded: str, run, home: Path,
                                                                  tmp_path: Path, tracker: Tracker,
                                                                  data: st.DataObject) -> None:
    events = [e.to_dict() for e in tracker.store(recorded).events()]
    events[0]["id"] = data.draw(spellings(events[0]["id"]))
    file = tmp_path / "again.json"
    file.write_text(json.dumps(export_doc(events)), encoding="utf-8")
    before = snapshot(home)
    result = run("import", str(file), **EDUCATION)
    assert result.exit_code == 0 and "imported 0 new events" in result.stdout, result.output
    assert snapshot(home) == before
    assert len(tracker.store(recorded).events()) == 1


@given(st.uuids())
def test_every_spelling_of_an_id_has_one_normal_form(value: uuid.UUID) -> None:
    for text in (str(value), str(value).upper(), value.hex, value.hex.upper()):
        assert event_id(text) == str(value)
    undone = Event(value.hex.upper(), "undone", OTHER, "2026-01-05T10:00:00Z", reverses=str(value).upper())
    assert undone.id == undone.reverses == str(value)


# -- 6. events per import --------------------------------------------------------------------------------------
def test_an_import_of_more_events_than_the_cap_is_refused_and_nothing_changes(recorded: str, run, home: Path,
                                                                              tmp_path: Path) -> None:
    event = an_event()
    events = [{**event, "id": str(uuid.UUID(int=n + 1))} for n in range(MAX_IMPORT_EVENTS + 1)]
    file = tmp_path / "huge.json"
    file.write_text(json.dumps(export_doc(events)), encoding="utf-8")
    before = snapshot(home)
    assert_one_line(run("import", str(file), **EDUCATION), 1, f"more than the {MAX_IMPORT_EVENTS:,} one import")
    assert snapshot(home) == before


# -- 11. names -------------------------------------------------------------------------------------------------
@HYPOTHESIS
@given(name=st.text(alphabet=st.characters(categories=["P", "S", "Z"]), min_size=1, max_size=20))
@example(name="..")
@example(name="---")
def test_names_without_a_letter_or_digit_are_refused_by_init(run, home: Path, name: str) -> None:
    before = snapshot(home) if home.exists() else {}
    result = run("init", "--name", name, "--stage", "education", "--hours", "5", "--target", "education",
                 **EDUCATION)
    if any(ch.isalnum() for ch in unicodedata.normalize("NFKD", name)):  # symbols that fold to letters
        return
    assert_one_line(result, 2, "has no letter or digit")
    assert (snapshot(home) if home.exists() else {}) == before


@HYPOTHESIS
@given(letter=st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF), count=st.integers(60, 400))
def test_long_names_in_any_script_make_a_file_name_the_system_accepts(run, tmp_path: Path, letter: str,
                                                                     count: int) -> None:
    home = tmp_path / f"home-{uuid.uuid4().hex}"  # hypothesis runs every example in this test's folder
    env = {**EDUCATION, "CPO_LEARN_HOME": str(home)}
    result = run("init", "--name", letter * count, "--stage", "education", "--hours", "5", "--target", "education",
                 **env)
    assert result.exit_code == 0, result.output
    for path in (home / "learners").iterdir():
        assert len(path.name.encode()) <= 255
    assert run("--learner", letter * count, "log", **env).exit_code == 0


def test_two_symbol_names_no_longer_share_a_learner(run, home: Path) -> None:
    for name in ("..", "---"):
        assert_one_line(run("init", "--name", name, "--stage", "education", "--hours", "5", "--target", "education",
                 **EDUCATION), 2,
                        "has no letter or digit")
    assert not (home / "learners" / "learner.json").exists()


# -- 12. the already-recorded check under the lock -----------------------------------------------------------
def cli_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CPO_LEARN_")}
    env.update(CPO_LEARN_HOME=str(home), CPO_LEARN_LEARNER="ada-lovelace",
               CPO_LEARN_LOAD_PLUGINS="education,starting-roles")
    return env


@pytest.mark.slow
@pytest.mark.parametrize("command", [["done", OTHER], ["achieve", "education/shipped-a-side-project",
                                                       "--evidence", "https://example.com/app"]])
def test_eight_processes_recording_the_same_thing_at_once_record_it_once(ada: str, home: Path,
                                                                        tracker: Tracker,
                                                                        command: list[str]) -> None:
    env = cli_env(home)
    processes = [subprocess.Popen([sys.executable, "-m", "cpo_learn", *command], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(8)]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0] * 8, outputs
    assert sum("nothing recorded" in out for out, _ in outputs) == 7
    assert len(tracker.store(ada).events()) == 1
    done = subprocess.run([sys.executable, "-m", "cpo_learn", "undo"], env=env, capture_output=True, text=True)
    assert done.returncode == 0
    assert not tracker.store(ada).state().modules and not tracker.store(ada).state().milestones


# -- SIGKILL during import -------------------------------------------------------------------------------------
KILL_DURING_IMPORT = """
import os, signal, sys
from pathlib import Path
import cpo_learn.files as files

point = sys.argv[3]
real = {"write": os.write, "replace": os.replace, "link": os.link}

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def write(fd, data):
    if point == "half-written":
        real["write"](fd, bytes(data)[: len(data) // 2])
        die()
    return real["write"](fd, data)

def link(src, dst):
    if point == "before-backup":
        die()
    return real["link"](src, dst)

def replace(src, dst):
    if point == "before-rename" and str(dst).endswith(".json"):
        die()
    real["replace"](src, dst)
    if point == "after-rename" and str(dst).endswith(".json"):
        die()

files.os.write, files.os.link, files.os.replace = write, link, replace
from cpo_learn.cli.main import main
sys.argv = ["cpo-learn", "--home", sys.argv[1], "import", sys.argv[2]]
main()
"""


@pytest.mark.parametrize("point", ["half-written", "before-backup", "before-rename", "after-rename"])
def test_an_import_killed_at_each_step_of_its_write_imports_all_or_nothing(
    point: str, recorded: str, home: Path, tmp_path: Path, tracker: Tracker
) -> None:
    store = tracker.store(recorded)
    before = store.path.read_bytes()
    events = [an_event(target=f"education/m-{n}", type="started") for n in range(200)]
    file = tmp_path / "chunk.json"
    file.write_text(json.dumps(export_doc(events)), encoding="utf-8")
    env = {**cli_env(home)}
    killed = subprocess.run([sys.executable, "-c", KILL_DURING_IMPORT, str(home), str(file), point], env=env,
                            capture_output=True, text=True)
    assert killed.returncode == -9 and "imported" not in killed.stdout, killed.stderr
    present = {e.id for e in store.events()} & {e["id"] for e in events}
    if point == "after-rename":
        assert len(present) == 200
    else:
        assert not present and store.path.read_bytes() == before
    again = subprocess.run([sys.executable, "-m", "cpo_learn", "import", str(file)], env=env,
                           capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert len({e.id for e in store.events()} & {e["id"] for e in events}) == 200


# -- 15. recover on a full disk, and the read-back before the rename -----------------------------------------
def test_recover_on_a_full_disk_leaves_no_empty_copy(recorded: str, run, home: Path, tracker: Tracker,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    store = tracker.store(recorded)
    assert run("done", OTHER, **EDUCATION).exit_code == 0  # so there is a good backup
    store.path.write_bytes(b"{ damaged")
    before = snapshot(home)
    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = run("recover", **EDUCATION)
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert_one_line(result, 1, "No space left on device")
    assert snapshot(home) == before  # no 0-byte .damaged-* file, no temporary file


def test_a_write_that_does_not_read_back_is_never_renamed_into_place(recorded: str, run, home: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import cpo_learn.files as files

    real_write = os.write

    def corrupting(fd: int, data: Any) -> int:  # the disk acknowledges, but what lands is not what was sent
        chunk = bytes(data)
        real_write(fd, chunk[:-3] + b"\x00\x00\x00")
        return len(chunk)

    before = snapshot(home)
    monkeypatch.setattr(files.os, "write", corrupting)
    result = run("done", OTHER, **EDUCATION)
    monkeypatch.setattr(files.os, "write", real_write)
    assert_one_line(result, 1, "does not read back")
    assert snapshot(home) == before
    assert run("log", **EDUCATION).exit_code == 0


# -- 13. one bad learner is one error row ---------------------------------------------------------------------
def test_report_gives_each_bad_learner_an_error_row_and_reports_the_others(recorded: str, run, home: Path,
                                                                          tracker: Tracker) -> None:
    tracker.store("bob").save_profile({**BOB, "start": "9999-06-01", "hours_per_week": 0.5})  # past 9999
    tracker.store("carol").path.write_text('{"schema_version": 1, "events": ' + "[" * 50_000, encoding="utf-8")
    eve = tracker.store("eve")
    eve.save_profile(dict(BOB, name="Eve"))
    data = json.loads(eve.path.read_text(encoding="utf-8"))
    data["events"] = {"1": an_event(timestamp="0001-01-01T00:00+23:59")}
    eve.path.write_text(json.dumps(data), encoding="utf-8")
    before = snapshot(home)
    result = run("report", "--json", **EDUCATION)
    assert "Traceback" not in result.output and result.exit_code == 1, result.output
    rows = {row["learner"]: row for row in json.loads(result.stdout)}
    assert rows["ada-lovelace"]["error"] is None and rows["ada-lovelace"]["done_hours"] > 0
    assert "past the year 9999" in rows["bob"]["error"]
    assert "nested more than" in rows["carol"]["error"]
    assert "outside the years" in rows["eve"]["error"]
    table = run("report", **EDUCATION)
    assert table.exit_code == 1 and table.stdout.count("error") == 3 and "ada-lovelace" in table.stdout
    assert snapshot(home) == before


# -- found by benchmarks/hostile.py: bytes on the command line that are not UTF-8 ------------------------------
@pytest.mark.parametrize("args", [
    ["done", OTHER, "--note", "x\udcffy"],
    ["waive", OTHER, "--reason", "\udcff"],
    ["init", "--new", "--name", "Ada\udcff", "--stage", "education", "--target", "education", "--hours", "5"],
])
def test_text_that_is_not_utf8_is_refused_in_one_line_and_nothing_changes(recorded: str, run, home: Path,
                                                                          args: list[str]) -> None:
    before = snapshot(home)
    assert_one_line(run(*args, **EDUCATION), 2, "not UTF-8 text")
    assert snapshot(home) == before
