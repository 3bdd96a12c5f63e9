"""``lrs push`` when things go wrong: the LRS down, slow, failing then fine, refusing one statement, or the push
killed half-way. Nothing is lost, nothing is stored twice, and the user reads one clear line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from lrs.fake_lrs import FakeLrs
from lrs_server import PASSWORD, USER, RalphServer, free_port

RECORD = "ada-lovelace.json.lrs"


def ids_of(run) -> list[str]:
    return [s["id"] for s in json.loads(run("export", "--format", "xapi").stdout)]


def acknowledged(home: Path) -> list[str]:
    path = home / "learners" / RECORD
    if not path.exists():
        return []
    endpoints = json.loads(path.read_text())["endpoints"]
    return [i for entry in endpoints.values() for i in entry["acknowledged"]]


def test_lrs_down_is_one_line_and_everything_waits(rich_history: str, run, home: Path) -> None:
    endpoint = f"http://127.0.0.1:{free_port()}/xAPI/"
    started = time.perf_counter()
    result = run("lrs", "push", "--endpoint", endpoint, "--retries", "2")
    took = time.perf_counter() - started
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == (f"Error: cannot push to the LRS at {endpoint}: connection refused (3 tries); "
                         "0 statements sent, 8 wait for the next 'cpo-learn lrs push'")
    assert [line.split(";")[0] for line in lines[:-1]] == ["LRS: connection refused"] * 2
    assert 1.4 < took < 10  # back-off: 0.5 s, then 1 s
    assert "Traceback" not in result.output and acknowledged(home) == []
    status = run("lrs", "status", "--endpoint", endpoint)
    assert "waiting:   8 of 8 statements" in status.stdout and "last push: never" in status.stdout


def test_a_slow_lrs_times_out_and_the_next_push_sends_everything(rich_history: str, run, home: Path) -> None:
    slow = threading.Event()
    slow.set()

    def answer(fake: FakeLrs, statements: list[dict[str, Any]]) -> tuple[int, Any]:
        if slow.is_set():
            time.sleep(1.5)
        return fake.store(statements)

    with FakeLrs(answer) as fake:
        result = run("lrs", "push", "--endpoint", fake.endpoint, "--timeout", "0.3", "--retries", "0")
        assert result.exit_code == 1
        assert result.stderr.strip().endswith("timed out (1 try); 0 statements sent, 8 wait for the next "
                                              "'cpo-learn lrs push'")
        assert acknowledged(home) == []
        slow.clear()
        again = run("lrs", "push", "--endpoint", fake.endpoint, "--timeout", "5")
        assert again.exit_code == 0, again.output
        assert sorted(fake.stored) == sorted(ids_of(run)) == sorted(acknowledged(home))


def test_500_then_200_is_retried_after_a_back_off(rich_history: str, run, home: Path) -> None:
    def answer(fake: FakeLrs, statements: list[dict[str, Any]]) -> tuple[int, Any]:
        if len(fake.posts) == 1:
            return 500, {"detail": "Statements bulk indexation failed"}
        return fake.store(statements)

    with FakeLrs(answer) as fake:
        result = run("lrs", "push", "--endpoint", fake.endpoint, "--json")
        assert result.exit_code == 0, result.output
        assert result.stderr == "LRS: 500 Statements bulk indexation failed; trying again in 0.5 s\n"
        assert json.loads(result.stdout) == {"learner": "ada-lovelace", "endpoint": fake.endpoint, "sent": 8,
                                             "batches": 1, "retries": 1, "waiting": 0, "conflicts": 0}
        assert len(fake.posts) == 2 and fake.posts[0] == fake.posts[1]
        assert sorted(fake.stored) == sorted(ids_of(run)) == sorted(acknowledged(home))


def test_400_for_one_statement_names_it_and_the_rest_waits(rich_history: str, run, home: Path) -> None:
    ids = ids_of(run)
    bad = ids[4]
    refusing = threading.Event()
    refusing.set()

    def answer(fake: FakeLrs, statements: list[dict[str, Any]]) -> tuple[int, Any]:
        if refusing.is_set() and any(s["id"] == bad for s in statements):
            return 400, {"detail": "Invalid statement: verb.id is not a known verb\nsecond line"}
        return fake.store(statements)

    with FakeLrs(answer) as fake:
        result = run("lrs", "push", "--endpoint", fake.endpoint, "--batch-size", "3")
        assert result.exit_code == 1
        assert result.stderr.count("\n") == 1
        assert result.stderr.startswith(f"Error: the LRS refused statement {bad} (progressed ")
        assert ": 400 Invalid statement: verb.id is not a known verb second line; 4 statements sent, 4 wait" \
            in result.stderr
        assert sorted(acknowledged(home)) == sorted(ids[:4]) == sorted(fake.stored)
        refusing.clear()
        again = run("lrs", "push", "--endpoint", fake.endpoint, "--batch-size", "3")
        assert again.exit_code == 0 and "pushed 4 statements" in again.stdout
        assert sorted(fake.stored) == sorted(ids) == sorted(acknowledged(home))


def test_a_push_killed_mid_way_then_repeated_stores_every_statement_once(rich_history: str, run, home: Path,
                                                                         ralph: RalphServer) -> None:
    """SIGKILL after Ralph stored the third batch but before the push heard so; then push again."""
    forwarded = threading.Event()
    holding = threading.Event()
    holding.set()

    def forward(fake: FakeLrs, statements: list[dict[str, Any]]) -> tuple[int, Any]:
        status, body = ralph.request("POST", "/xAPI/statements", statements)
        if len(fake.posts) == 3 and holding.is_set():
            forwarded.set()
            holding.wait(timeout=30)  # the push is killed while it waits for this answer
        return status, body

    with FakeLrs(forward) as proxy:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CPO_LEARN_")}
        env.update(CPO_LEARN_HOME=str(home), CPO_LEARN_LEARNER="ada-lovelace", CPO_LEARN_LRS_USER=USER,
                   CPO_LEARN_LRS_PASSWORD=PASSWORD, CPO_LEARN_LRS_ENDPOINT=proxy.endpoint)
        pushing = subprocess.Popen([sys.executable, "-m", "cpo_learn", "lrs", "push", "--batch-size", "2"],
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            assert forwarded.wait(timeout=60), pushing.communicate(timeout=10)
            os.kill(pushing.pid, signal.SIGKILL)
            pushing.wait(timeout=10)
        finally:
            holding.clear()
            if pushing.poll() is None:
                pushing.kill()
                pushing.wait(timeout=10)
        assert pushing.returncode == -signal.SIGKILL
        assert len(acknowledged(home)) == 4  # two batches acknowledged; the third stored but not recorded
        assert len(ralph.statements()) == 6

        again = subprocess.run([sys.executable, "-m", "cpo_learn", "lrs", "push", "--batch-size", "2"], env=env,
                               capture_output=True, text=True, timeout=60)
        assert again.returncode == 0, again.stderr
        assert "pushed 4 statements" in again.stdout  # the third batch again, then the fourth
    counts = Counter(s["id"] for s in ralph.statements())
    assert sorted(counts) == sorted(ids_of(run)) and set(counts.values()) == {1}
    assert sorted(acknowledged(home)) == sorted(counts)


def test_no_endpoint_and_bad_settings_are_one_line(ada: str, run, home: Path) -> None:
    result = run("lrs", "push")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "no LRS endpoint: give --endpoint URL, set CPO_LEARN_LRS_ENDPOINT" in result.stderr
    bad = run("lrs", "push", "--endpoint", "http://cpo:secret@127.0.0.1:9/xAPI/")
    assert bad.exit_code == 2 and "must not hold credentials" in bad.stderr and "secret" not in bad.stderr
    assert run("lrs", "status", "--endpoint", "ftp://x").exit_code == 2
    home.mkdir(exist_ok=True)
    (home / "config.toml").write_text('[lrs]\nendpoint = "http://127.0.0.1:9/xAPI/"\nbatchsize = 3\n')
    typo = run("lrs", "status")
    assert typo.exit_code == 1 and "unknown key 'batchsize' in [lrs]; did you mean 'batch_size'" in typo.stderr
    (home / "config.toml").write_text('[lrs\n')
    assert run("lrs", "status").exit_code == 1
    (home / "config.toml").write_text('[lrs]\nendpoint = "http://127.0.0.1:9/xAPI/"\nbatch_size = 3\n')
    status = run("lrs", "status")
    assert status.exit_code == 0 and "endpoint:  http://127.0.0.1:9/xAPI/ (push: manual)" in status.stdout


def test_on_record_forwarding_gives_up_once_per_command(rich_history: str, run, home: Path, tmp_path: Path,
                                                        monkeypatch) -> None:
    """An import of eight events with the LRS down: recorded, one line, one try (not eight)."""
    exported = tmp_path / "ada.json"
    assert run("export", "-o", str(exported)).exit_code == 0
    new_home = tmp_path / "new-home"
    new_home.mkdir()
    (new_home / "config.toml").write_text(f'[lrs]\nendpoint = "http://127.0.0.1:{free_port()}/xAPI/"\n'
                                          'push = "on-record"\n')
    monkeypatch.setenv("CPO_LEARN_HOME", str(new_home))
    result = run("import", str(exported))
    assert result.exit_code == 0 and "imported 8 new events" in result.stdout
    assert result.stderr.count("\n") == 1 and "connection refused (1 try); 0 statements sent, 8 wait" in result.stderr


def test_the_forwarder_looks_for_the_config_file_where_the_settings_live(home: Path) -> None:
    from cpo_learn.default_plugins.lrs_forwarding import CONFIG_FILE
    from cpo_learn.tracking.lrs_settings import config_path

    assert config_path(home) == home / CONFIG_FILE


def test_an_endpoint_that_is_not_an_lrs_is_one_line(rich_history: str, run, home: Path) -> None:
    with FakeLrs(lambda fake, statements: (302, None)) as fake:
        result = run("lrs", "push", "--endpoint", fake.endpoint)
        assert result.exit_code == 1 and result.stderr.count("\n") == 1 and len(fake.posts) == 1
        assert "answered 302" in result.stderr and "8 statements wait" in result.stderr
    assert acknowledged(home) == []


def test_every_lrs_command_has_a_working_example_in_its_help(rich_history: str, run) -> None:
    for command in (("lrs",), ("lrs", "push"), ("lrs", "status")):
        result = run(*command, "--help")
        assert result.exit_code == 0 and "Example:" in result.stdout
    example = run("lrs", "push", "--help").stdout.split("Example:")[1].splitlines()[1].split()
    assert example == ["cpo-learn", "lrs", "push", "--endpoint", "http://127.0.0.1:8100/xAPI/", "--dry-run"]
    dry = run(*example[1:])
    assert dry.exit_code == 0 and "(dry run: nothing sent)" in dry.stdout
    status = run("lrs", "status", "--endpoint", "https://lrs.example.com/xAPI/", "--json")
    assert status.exit_code == 0 and json.loads(status.stdout)["waiting"] == 8
