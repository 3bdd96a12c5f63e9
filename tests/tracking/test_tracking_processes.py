"""Real processes against one learner file: writers at once, and writers killed at random moments.

Slow (real ``python -m cpo_learn`` processes), so marked ``slow``; they run by default and in CI.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from cpo_learn.tracking.store import parse_document
from cpo_learn.tracking.tracker import Tracker

# Only the education plugin: the same code path, less start-up per process.
MODULES = [
    "education/what-product-managers-do", "education/talking-to-users", "education/how-software-is-built",
    "education/business-and-market-basics", "education/data-and-metrics-basics",
    "education/writing-for-product-work", "education/ux-and-design-fundamentals",
    "education/product-teardowns",
    "education/agile-ways-of-working", "education/ai-product-basics", "education/hands-on-team-experience",
    "education/planning-your-route-into-product", "education/preparing-for-pm-interviews",
    "education/shipping-a-side-project", "education/sql-for-product-questions",
]


def cli_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CPO_LEARN_")}
    env.update(CPO_LEARN_HOME=str(home), CPO_LEARN_LEARNER="ada-lovelace", CPO_LEARN_LOAD_PLUGINS="education")
    return env


def cpo_learn(*args: str) -> list[str]:
    return [sys.executable, "-m", "cpo_learn", *args]


@pytest.mark.slow
def test_four_cli_processes_recording_fifty_events_each_at_once_lose_nothing(ada: str, home: Path,
                                                                           tracker: Tracker) -> None:
    """Four streams of ``python -m cpo_learn`` processes, 50 events each, on one learner at the same time."""
    cycle = [("start", "started"), ("done", "completed"), ("reopen", "reopened")]
    env = cli_env(home)
    failures: list[str] = []

    def stream(module: str) -> None:
        for index in range(50):
            command = cycle[index % 3][0]
            done = subprocess.run(cpo_learn(command, module), env=env, capture_output=True, text=True)
            if done.returncode != 0:
                failures.append(f"{command} {module}: exit {done.returncode}: {done.stderr}")

    threads = [threading.Thread(target=stream, args=(module,)) for module in MODULES[:4]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures[:3]
    events = tracker.store(ada).events()
    assert len(events) == 200
    for module in MODULES[:4]:
        recorded = [e.type for e in events if e.target == module]
        assert recorded == [cycle[i % 3][1] for i in range(50)]  # every event, in each process's order


STRESS = """
import sys
from pathlib import Path
from cpo_learn.tracking.tracker import Tracker
store = Tracker(Path(sys.argv[1])).store("ada-lovelace")
for index in range(int(sys.argv[3])):
    store.record("started", f"{sys.argv[2]}/{index}")
"""


@pytest.mark.slow
def test_four_writers_hammering_the_store_at_once_lose_nothing(ada: str, home: Path,
                                                              tracker: Tracker) -> None:
    """Four processes appending 150 events each as fast as they can: the lock makes every one count."""
    writers = [subprocess.Popen([sys.executable, "-c", STRESS, str(home), f"writer-{n}", "150"])
               for n in range(4)]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0, 0, 0]
    targets = {e.target for e in tracker.store(ada).events()}
    assert targets == {f"writer-{n}/{i}" for n in range(4) for i in range(150)}


def history_file(path: Path, count: int) -> set[str]:
    """An export file with ``count`` new events; returns their ids."""
    events = [{"id": str(uuid.uuid4()), "type": "started", "target": f"imported/m-{n}",
               "timestamp": f"2026-01-01T00:00:{n % 60:02d}.{n:06d}Z", "note": "x" * 200}
              for n in range(count)]
    path.write_text(json.dumps({"format": "cpo-learn-history", "version": 1, "learner": "ada-lovelace",
                                "events": events}), encoding="utf-8")
    return {e["id"] for e in events}


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


@pytest.mark.slow
def test_processes_killed_at_random_moments_never_corrupt_the_file_or_lose_acknowledged_events(
    ada: str, home: Path, tracker: Tracker, tmp_path: Path
) -> None:
    seed = int(os.environ.get("CPO_LEARN_KILL_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    env = cli_env(home)
    store = tracker.store(ada)
    # Calibrate: the write comes last, so aim the kills at the second half of a typical run.
    warm = tmp_path / "warm.json"
    history_file(warm, 300)
    durations = {"done": timed(cpo_learn("done", MODULES[-1]), env),
                 "import": timed(cpo_learn("import", str(warm)), env)}
    acknowledged_done: list[str] = []
    chunks: list[tuple[set[str], bool]] = []
    killed_mid_write = 0
    for iteration in range(30):
        if iteration % 2 == 0:
            kind, module = "done", MODULES[(iteration // 2) % (len(MODULES) - 1)]
            args = cpo_learn("done", module)
        else:
            kind, chunk = "import", tmp_path / f"chunk-{iteration}.json"
            ids = history_file(chunk, 300)
            args = cpo_learn("import", str(chunk))
        process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.5, 1.1) * durations[kind])
        process.kill()  # SIGKILL on POSIX; a no-op if it has already exited
        _, stderr = process.communicate(timeout=60)
        assert process.returncode in (0, -9), f"seed {seed}: {stderr.decode()}"
        acknowledged = process.returncode == 0
        killed_mid_write += Path(f"{store.path}.tmp").exists()

        tables, reason, _ = parse_document(store.path.read_bytes())
        assert tables is not None, f"seed {seed}, iteration {iteration}: {reason}"
        events = store.events()
        recorded = {e.id for e in events}
        if kind == "done":
            if acknowledged:
                acknowledged_done.append(module)
        else:
            chunks.append((ids, acknowledged))
        completed = {e.target for e in events if e.type == "completed"}
        assert set(acknowledged_done) <= completed, f"seed {seed}: an acknowledged 'done' is missing"
        for ids, was_acknowledged in chunks:
            present = len(ids & recorded)
            assert present in (0, len(ids)), f"seed {seed}: half an import"  # all or nothing
            assert present == len(ids) or not was_acknowledged, (
                f"seed {seed}: an acknowledged import is missing")
    assert subprocess.run(cpo_learn("undo"), env=env, capture_output=True).returncode == 0
    print(f"seed {seed}: {killed_mid_write} kills left a half-written temporary file behind")


CRASH = """
import os, signal, sys
from pathlib import Path
import cpo_learn.files as files
from cpo_learn.tracking.tracker import Tracker

point = sys.argv[2]
real = {"write": os.write, "fsync": os.fsync, "link": os.link, "replace": os.replace}

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
Tracker(Path(sys.argv[1])).store("ada-lovelace").record("completed", "education/talking-to-users")
print("acknowledged")
"""


@pytest.mark.parametrize("point", ["half-written", "before-backup", "before-rename", "after-rename"])
def test_a_writer_killed_at_each_step_of_a_write_leaves_the_old_or_the_new_file(
    point: str, ada: str, home: Path, tracker: Tracker
) -> None:
    store = tracker.store(ada)
    first = store.record("started", "education/talking-to-users")
    before = store.path.read_bytes()
    crashed = subprocess.run([sys.executable, "-c", CRASH, str(home), point], capture_output=True, text=True)
    assert crashed.returncode == -9 and "acknowledged" not in crashed.stdout, crashed.stderr
    after = store.path.read_bytes()
    assert parse_document(after)[0] is not None
    events = store.events()
    if point == "after-rename":
        assert [e.type for e in events] == ["started", "completed"]
    else:
        assert after == before and [e.id for e in events] == [first.id]
    store.record("skipped", "education/talking-to-users")  # the next write works as usual
    assert store.events()[-1].type == "skipped"
