"""``lrs push`` against a real LRS (Ralph on 127.0.0.1): every statement stored exactly once, push after push."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from conftest import SOFTWARE
from lrs_server import PASSWORD, USER, RalphServer


def lrs_env(server: RalphServer) -> dict[str, str]:
    return {"CPO_LEARN_LRS_ENDPOINT": server.endpoint, "CPO_LEARN_LRS_USER": USER,
            "CPO_LEARN_LRS_PASSWORD": PASSWORD}


def exported_ids(run) -> list[str]:
    return [s["id"] for s in json.loads(run("export", "--format", "xapi").stdout)]


def test_push_record_more_push_again_stores_each_statement_once(rich_history: str, run, ralph: RalphServer,
                                                                home: Path) -> None:
    env = lrs_env(ralph)
    dry = run("lrs", "push", "--dry-run", env=env)
    assert dry.exit_code == 0, dry.output
    assert "8 of 8 statements of 'ada-lovelace' would be sent" in dry.stdout
    assert ralph.statements() == []  # a dry run sends nothing

    started = time.perf_counter()
    first = run("lrs", "push", "--batch-size", "3", env=env)
    took = time.perf_counter() - started
    assert first.exit_code == 0, first.output
    assert f"pushed 8 statements of 'ada-lovelace' to {ralph.endpoint} in 3 batches; 0 waiting" in first.stdout
    print(f"first push: 8 statements in 3 batches to Ralph in {took:.2f} s")
    assert sorted(s["id"] for s in ralph.statements()) == sorted(exported_ids(run))

    assert run("done", SOFTWARE).exit_code == 0
    assert run("undo").exit_code == 0
    assert run("lrs", "status", env=env).stdout.splitlines()[-1] == "waiting:   2 of 10 statements"
    second = run("lrs", "push", env=env)
    assert "pushed 2 statements" in second.stdout, second.output

    third = run("lrs", "push", env=env)
    assert third.exit_code == 0 and "nothing to push" in third.stdout

    stored = ralph.statements()
    counts = Counter(s["id"] for s in stored)
    assert sorted(counts) == sorted(exported_ids(run)) and set(counts.values()) == {1}
    by_id = {s["id"]: s for s in stored}
    voiding = [s for s in stored if s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/voided"]
    assert len(voiding) == 2
    for statement in voiding:  # each voids a statement the LRS holds
        assert statement["object"]["objectType"] == "StatementRef"
        assert statement["object"]["id"] in by_id
        assert "platform" not in statement.get("context", {})
    one = ralph.statement(voiding[0]["id"])
    assert one[0] == 200 and one[1]["statements"][0]["id"] == voiding[0]["id"]

    status = json.loads(run("lrs", "status", "--json", env=env).stdout)
    assert status["waiting"] == 0 and status["acknowledged"] == 10 and status["last_push"]
    record = (home / "learners" / "ada-lovelace.json.lrs").read_text()
    assert PASSWORD not in record and ralph.endpoint in record


def test_the_record_lost_a_push_repeated_stores_nothing_twice(rich_history: str, run, ralph: RalphServer,
                                                             home: Path) -> None:
    """Even with the acknowledgement record gone, re-sending is safe: the LRS keeps one copy per id."""
    env = lrs_env(ralph)
    assert run("lrs", "push", env=env).exit_code == 0
    (home / "learners" / "ada-lovelace.json.lrs").unlink()
    again = run("lrs", "push", env=env)
    assert again.exit_code == 0 and "pushed 8 statements" in again.stdout
    assert sorted(s["id"] for s in ralph.statements()) == sorted(exported_ids(run))


def test_wrong_credentials_are_one_line(rich_history: str, run, ralph: RalphServer) -> None:
    env = {**lrs_env(ralph), "CPO_LEARN_LRS_PASSWORD": "wrong"}
    result = run("lrs", "push", env=env)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "refused the credentials (401" in result.stderr
    assert "wrong" not in result.stderr
