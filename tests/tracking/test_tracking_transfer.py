"""Moving history in and out: JSON round trips, idempotent and validated import, CSV, xAPI."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import datetime
from pathlib import Path

import pytest

from cpo_learn.tracking.tracker import Tracker

BASICS = "education/business-and-market-basics"
TALKING = "education/talking-to-users"
SIDE_PROJECT = "education/shipped-a-side-project"


@pytest.fixture
def history(ada: str, run) -> None:
    """Ada's varied history: every event type, notes with commas, quotes, newlines and non-ASCII."""
    run("start", BASICS)
    run("done", BASICS, "--note", 'liked "Lean Analytics", chapter 3\nand the café study',
        "--on", "2026-01-15")
    run("waive", TALKING, "--reason", "=ran 40 interviews at my last job")
    run("skip", "education/product-teardowns")
    run("reopen", "education/product-teardowns")
    run("achieve", SIDE_PROJECT, "--evidence", "https://github.com/ada/habit-app")
    run("done", "education/how-software-is-built")
    run("undo")


def test_json_export_import_round_trip_is_lossless(history: None, run, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    first = run("export", "--format", "json")
    assert first.exit_code == 0
    exported = tmp_path / "ada.json"
    assert run("export", "-o", str(exported)).exit_code == 0
    assert exported.read_text(encoding="utf-8") == first.stdout
    data = json.loads(first.stdout)
    assert data["learner"] == "ada-lovelace" and data["profile"]["name"] == "Ada Lovelace"
    assert len(data["events"]) == 8

    monkeypatch.setenv("CPO_LEARN_HOME", str(tmp_path / "new-home"))
    result = run("import", str(exported))
    assert result.exit_code == 0, result.output
    assert "imported 8 new events into 'ada-lovelace', and the profile" in result.stdout
    assert run("export").stdout == first.stdout


def test_import_is_idempotent_by_event_id(history: None, run, tmp_path: Path, tracker: Tracker) -> None:
    exported = tmp_path / "ada.json"
    run("export", "-o", str(exported))
    before = tracker.store("ada-lovelace").path.read_bytes()
    result = run("import", str(exported))
    assert result.exit_code == 0
    assert "imported 0 new events" in result.stdout and "(8 already there)" in result.stdout
    assert tracker.store("ada-lovelace").path.read_bytes() == before


def test_import_merges_histories_in_time_order(ada: str, run, tmp_path: Path, tracker: Tracker) -> None:
    older = {"format": "cpo-learn-history", "version": 1, "learner": "ada-lovelace", "name": "Ada",
             "profile": None, "events": [
                 {"id": str(uuid.uuid4()), "type": "completed", "target": BASICS,
                  "timestamp": "2020-01-01T09:00:00Z"}]}
    run("done", TALKING)
    path = tmp_path / "older.json"
    path.write_text(json.dumps(older), encoding="utf-8")
    assert run("import", str(path)).exit_code == 0
    assert [e.target for e in tracker.store(ada).events()] == [BASICS, TALKING]


def test_import_into_another_learner(history: None, run, tmp_path: Path, tracker: Tracker) -> None:
    exported = tmp_path / "ada.json"
    run("export", "-o", str(exported))
    assert run("--learner", "Ada Copy", "import", str(exported)).exit_code == 0
    assert tracker.store("ada-copy").events() == tracker.store("ada-lovelace").events()


@pytest.mark.parametrize(("content", "message"), [
    ("{", "not valid JSON"),
    ("[]", "not a cpo-learn history"),
    ('{"format": "cpo-learn-history", "version": 9}', "history version 9"),
    ('{"format": "cpo-learn-history", "version": 1, "learner": "ada", "events": [{"type": "completed"}]}',
     "event 1: missing id, target, timestamp"),
    ('{"format": "cpo-learn-history", "version": 1, "learner": "ada", "events": 3}',
     "'events' must be a list"),
])
def test_invalid_import_files_are_refused_and_nothing_is_written(
    content: str, message: str, ada: str, run, tmp_path: Path, tracker: Tracker
) -> None:
    before = tracker.store(ada).path.read_bytes()
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert tracker.store(ada).path.read_bytes() == before


def test_an_import_that_contradicts_the_log_is_refused_whole(history: None, run, tmp_path: Path,
                                                             tracker: Tracker) -> None:
    data = json.loads(run("export").stdout)
    data["events"][0]["note"] = "changed"
    data["events"].append({"id": str(uuid.uuid4()), "type": "completed", "target": TALKING,
                           "timestamp": "2026-01-01T00:00:00Z"})
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    before = tracker.store("ada-lovelace").path.read_bytes()
    result = run("import", str(path))
    assert result.exit_code == 1 and "differs from the recorded event" in result.stderr
    assert "nothing was imported" in result.stderr
    assert tracker.store("ada-lovelace").path.read_bytes() == before


def test_csv_export_opens_in_a_spreadsheet(history: None, run, tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run("export", "--format", "csv").stdout)))
    assert len(rows) == 8
    assert rows[1]["note"] == 'liked "Lean Analytics", chapter 3\nand the café study'
    assert rows[1]["on"] == "2026-01-15"
    assert rows[2]["reason"] == "'=ran 40 interviews at my last job"  # never a formula
    assert [r["in_force"] for r in rows][-2:] == ["no", "no"]  # the undone event and the one it reverses
    target = tmp_path / "ada.csv"
    run("export", "--format", "csv", "-o", str(target))
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # so Excel reads UTF-8


def test_xapi_statements_are_valid(history: None, run) -> None:
    result = run("export", "--format", "xapi", "--base", "https://lrs.example.com/cpo")
    assert result.exit_code == 0
    statements = json.loads(result.stdout)
    assert len(statements) == 8
    for statement in statements:
        uuid.UUID(statement["id"])
        assert statement["actor"] == {"objectType": "Agent", "name": "Ada Lovelace", "account": {
            "homePage": "https://lrs.example.com/cpo/", "name": "ada-lovelace"}}
        assert statement["verb"]["id"].startswith(("http://adlnet.gov/expapi/verbs/", "https://w3id.org/xapi/",
                                                   "http://id.tincanapi.com/verb/"))
        assert statement["verb"]["display"]["en-US"]
        assert datetime.fromisoformat(statement["timestamp"]).tzinfo is not None
        obj = statement["object"]
        if obj["objectType"] == "Activity":
            assert obj["id"].startswith("https://lrs.example.com/cpo/")
            assert obj["definition"]["name"]["en-US"]
    by_verb = {s["verb"]["display"]["en-US"]: s for s in statements}
    assert set(by_verb) == {"attempted", "completed", "waived", "skipped", "progressed", "voided"}
    waived = by_verb["waived"]
    assert waived["verb"]["id"] == "https://w3id.org/xapi/adl/verbs/waived"
    assert waived["result"]["response"] == "=ran 40 interviews at my last job"
    assert waived["object"]["id"] == f"https://lrs.example.com/cpo/modules/{TALKING}"
    completed = [s for s in statements if s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/completed"]
    assert completed[0]["result"]["completion"] is True and completed[0]["timestamp"].startswith("2026-01-15")
    milestone = next(s for s in completed if "milestones" in s["object"]["id"])
    assert milestone["result"]["response"] == "https://github.com/ada/habit-app"
    voided = by_verb["voided"]
    assert voided["object"]["objectType"] == "StatementRef"
    assert voided["object"]["id"] in {s["id"] for s in statements}
    by_mail = json.loads(run("export", "--format", "xapi", "--mbox", "ada@example.com").stdout)
    assert by_mail[0]["actor"]["mbox"] == "mailto:ada@example.com" and "account" not in by_mail[0]["actor"]
