"""``lrs push`` against a real LRS (Ralph on 127.0.0.1): every statement stored exactly once, push after push."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from lrs.lrs_story import SOFTWARE
from lrs_server import PASSWORD, USER, RalphServer, free_port, running_server


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


def forwarding_config(home: Path, endpoint: str) -> None:
    home.mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text(f'[lrs]\nendpoint = "{endpoint}"\npush = "on-record"\n')


def test_on_record_forwarding_pushes_each_event_as_it_is_recorded(ada: str, run, ralph: RalphServer,
                                                                   home: Path) -> None:
    forwarding_config(home, ralph.endpoint)
    env = {"CPO_LEARN_LRS_USER": USER, "CPO_LEARN_LRS_PASSWORD": PASSWORD}
    done = run("done", SOFTWARE, env=env)
    assert done.exit_code == 0 and done.stderr == "", done.output
    assert [s["object"]["id"].rsplit("/modules/", 1)[1] for s in ralph.statements()] == [SOFTWARE]
    assert run("undo", env=env).exit_code == 0
    assert len(ralph.statements()) == 2
    assert "waiting:   0 of 2 statements" in run("lrs", "status", env=env).stdout
    assert "nothing to push" in run("lrs", "push", env=env).stdout


def test_on_record_forwarding_with_the_lrs_down_still_records_and_says_so(ada: str, run, home: Path,
                                                                          lrs_python: Path,
                                                                          tmp_path: Path) -> None:
    server_folder = tmp_path / "later"
    port = free_port()
    forwarding_config(home, f"http://127.0.0.1:{port}/xAPI/")
    env = {"CPO_LEARN_LRS_USER": USER, "CPO_LEARN_LRS_PASSWORD": PASSWORD}
    done = run("done", SOFTWARE, env=env)
    assert done.exit_code == 0
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("Note: recorded, not yet in the LRS: cannot "
                                                                   "push to the LRS at")
    assert "connection refused (1 try); 0 statements sent, 1 wait" in done.stderr
    assert run("log", "--json").stdout.count(SOFTWARE) == 1
    with running_server(server_folder, port) as lrs:
        pushed = run("lrs", "push", env=env)
        assert pushed.exit_code == 0 and "pushed 1 statements" in pushed.stdout
        assert len(lrs.statements()) == 1
        again = run("start", "education/talking-to-users", env=env)  # forwarding works again at once
        assert again.stderr == "" and len(lrs.statements()) == 2


def test_a_statement_ralph_holds_with_other_content_counts_as_sent(rich_history: str, run, ralph: RalphServer,
                                                                    home: Path) -> None:
    """A push whose answer was lost, then a title that changed: Ralph answers 409 for that id, and keeps it."""
    first = json.loads(run("export", "--format", "xapi").stdout)[0]
    first["object"]["definition"]["name"]["en-US"] = "An older title"
    assert ralph.request("POST", "/xAPI/statements", [first])[0] == 200
    result = run("lrs", "push", "--batch-size", "4", env=lrs_env(ralph))
    assert result.exit_code == 0, result.output
    assert "pushed 8 statements" in result.stdout
    assert result.stderr.startswith("Note: the LRS already held 1 of these statements with other content")
    counts = Counter(s["id"] for s in ralph.statements())
    assert sorted(counts) == sorted(exported_ids(run)) and set(counts.values()) == {1}


def test_all_learners_push_each_once_and_one_damaged_record_stops_only_its_learner(
        rich_history: str, run, ralph: RalphServer, home: Path) -> None:
    from cpo_learn.tracking.tracker import Tracker

    grace = Tracker(home).store("Grace Hopper")
    grace.save_profile({"name": "Grace Hopper", "stage": "education", "hours_per_week": 4})
    assert run("--learner", "grace-hopper", "done", SOFTWARE).exit_code == 0
    env = lrs_env(ralph)
    first = run("lrs", "push", "--all-learners", env=env)
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines() == ["ada-lovelace: pushed 8 statements; 0 waiting",
                                         "grace-hopper: pushed 1 statements; 0 waiting",
                                         f"pushed 9 statements of 2 learners to {ralph.endpoint}"]
    assert run("--learner", "grace-hopper", "undo").exit_code == 0
    (home / "learners" / "ada-lovelace.json.lrs").write_text("{")
    second = run("lrs", "push", "--all-learners", env=env)
    assert second.exit_code == 1
    assert second.stdout.splitlines()[0] == "grace-hopper: pushed 1 statements; 0 waiting"
    assert second.stderr.startswith("ada-lovelace: ") and "is damaged" in second.stderr
    assert second.stderr.splitlines()[-1] == "Error: 1 of 2 learners could not push: ada-lovelace"
    counts = Counter(s["id"] for s in ralph.statements())
    assert len(counts) == 10 and set(counts.values()) == {1}
