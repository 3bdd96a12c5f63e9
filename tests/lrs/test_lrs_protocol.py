"""The push protocol without a network: settings precedence, back-off, the record after every batch, and a
damaged record. (The real LRS and real faults are in test_lrs_ralph.py and test_lrs_faults.py.)"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from cpo_learn.errors import StoreError, UsageError
from cpo_learn.tracking.lrs import (
    Answer,
    LrsError,
    Pusher,
    Unreachable,
    read_record,
)
from cpo_learn.tracking.lrs_settings import LrsSettings, read_settings


def statements(n: int) -> list[dict[str, Any]]:
    return [{"id": f"00000000-0000-4000-8000-{i:012d}", "verb": {"display": {"en-US": "completed"}},
             "object": {"id": f"https://x.invalid/modules/a/m{i}"}} for i in range(n)]


class Scripted:
    """A client answering from a script; an exception class in it is raised (no answer)."""

    def __init__(self, *script: Any) -> None:
        self.script = list(script)
        self.sent: list[list[str]] = []

    def post(self, batch: Sequence[dict[str, Any]]) -> Answer:
        self.sent.append([s["id"] for s in batch])
        step = self.script.pop(0) if self.script else 200
        if step == "refused":
            raise Unreachable("connection refused")
        return Answer(step, "{}")


def pusher(tmp_path: Path, client: Scripted, sleeps: list[float], **settings: Any) -> Pusher:
    values = {"endpoint": "http://127.0.0.1:9/xAPI/", "batch_size": 2, "retries": 5, **settings}
    return Pusher(LrsSettings(**values), tmp_path / "ada.json.lrs", lambda: "2026-12-01T10:00:00.000000Z",
                  client=client, sleep=sleeps.append)  # type: ignore[arg-type]


def test_back_off_doubles_up_to_its_cap_and_429_counts_as_busy(tmp_path: Path) -> None:
    sleeps: list[float] = []
    client = Scripted("refused", 503, 429, 500, 502, 200)
    report = pusher(tmp_path, client, sleeps).push(statements(1))
    assert sleeps == [0.5, 1.0, 2.0, 4.0, 8.0] and report.acknowledged == 1 and report.retried == 5


def test_the_record_grows_after_every_batch_so_a_stop_loses_nothing(tmp_path: Path) -> None:
    sleeps: list[float] = []
    client = Scripted(200, 200, "refused")
    with pytest.raises(LrsError, match=r"connection refused \(1 try\); 4 statements sent, 2 wait"):
        pusher(tmp_path, client, sleeps, retries=0).push(statements(6))
    record = read_record(tmp_path / "ada.json.lrs")["http://127.0.0.1:9/xAPI/"]
    assert sorted(record.acknowledged) == [s["id"] for s in statements(4)]
    again = Scripted()
    report = pusher(tmp_path, again, sleeps).push(statements(6))
    assert again.sent == [[s["id"] for s in statements(6)[4:]]] and report.acknowledged == 2


def test_a_refused_batch_is_sent_one_by_one_to_name_the_statement(tmp_path: Path) -> None:
    client = Scripted(400, 200, 400)
    with pytest.raises(LrsError) as caught:
        pusher(tmp_path, client, []).push(statements(2))
    assert client.sent == [[statements(2)[0]["id"], statements(2)[1]["id"]], [statements(2)[0]["id"]],
                           [statements(2)[1]["id"]]]
    assert str(caught.value).startswith(f"the LRS refused statement {statements(2)[1]['id']} (completed "
                                        "https://x.invalid/modules/a/m1): 400 {}")
    assert "1 statements sent, 1 wait" in str(caught.value)


def test_a_damaged_record_says_how_to_recover(tmp_path: Path) -> None:
    path = tmp_path / "ada.json.lrs"
    path.write_text("{not json")
    with pytest.raises(StoreError, match=r"is damaged .*; move it aside .*: mv .*ada.json.lrs .*ada.json.lrs.damaged"):
        read_record(path)
    path.write_text(json.dumps({"schema_version": 99, "endpoints": {}}))
    with pytest.raises(StoreError, match="not an acknowledgement record of this cpo-learn"):
        read_record(path)


def test_settings_come_from_the_option_then_the_environment_then_the_file(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[lrs]\nendpoint = "https://file.example/xAPI"\nuser = "file-user"\n'
                                          'password = "file-secret"\nbatch_size = 7\n')
    from_file = read_settings(tmp_path, {})
    assert from_file is not None and from_file.endpoint == "https://file.example/xAPI/"
    assert (from_file.user, from_file.password, from_file.batch_size) == ("file-user", "file-secret", 7)
    assert "file-secret" not in repr(from_file)
    env = {"CPO_LEARN_LRS_ENDPOINT": "https://env.example/xAPI/", "CPO_LEARN_LRS_USER": "env-user",
           "CPO_LEARN_LRS_PASSWORD": "env-secret"}
    from_env = read_settings(tmp_path, env, batch_size=3)
    assert from_env is not None and (from_env.endpoint, from_env.user, from_env.batch_size) == (
        "https://env.example/xAPI/", "env-user", 3)
    from_option = read_settings(tmp_path, env, "http://127.0.0.1:8100/xAPI/")
    assert from_option is not None and from_option.endpoint == "http://127.0.0.1:8100/xAPI/"
    assert read_settings(tmp_path / "nowhere", {}) is None
    (tmp_path / "config.toml").write_text('[lrs]\nendpoint = "https://x.example/"\npush = "always"\n')
    with pytest.raises(UsageError, match="push must be one of manual, on-record"):
        read_settings(tmp_path, {})


def test_a_learner_event_with_home_and_catalog_is_still_json_ready(tmp_path: Path) -> None:
    from cpo_learn.tracking.events import Event, LearnerEvent

    event = Event("6e1a8639-3c5d-4b8e-9f0a-2b7c1d9e4f10", "completed", "education/talking-to-users",
                  "2026-12-01T10:00:00.000000Z")
    forwarded = LearnerEvent.of(event, "ada-lovelace", tmp_path, catalog=object())  # type: ignore[arg-type]
    data = forwarded.to_dict()
    assert json.loads(json.dumps(data)) == {**event.to_dict(), "learner": "ada-lovelace"}
    assert forwarded.home == tmp_path and forwarded == LearnerEvent.of(event, "ada-lovelace")
