"""Benchmark: the cost of ``done`` does not depend on how many learners share the home; ``report`` is linear.

Not a test (timings depend on the machine); run it by hand and read the ratios:

    python benchmarks/bench_tracking.py                       # 10,000 learners x 200 events (about 700 MB)
    python benchmarks/bench_tracking.py --learners 2000 --runs 15 --report 250,500,1000

``done`` is timed as a real ``python -m cpo_learn`` process, alternately in an empty home and in the crowded
one (side by side in one run, so machine noise hits both), with ``undo`` between runs so each ``done``
records an event. The budget (DESIGN section 11) is a crowded/empty ratio of at most 1.2.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from cpo_learn.store import serialise

MODULE = "education/talking-to-users"


def learner_file(slug: str, events: int) -> bytes:
    """A learner file like the tracker writes, with ``events`` completed events."""
    docs = {
        str(n + 1): {"id": str(uuid.uuid4()), "type": "completed", "target": f"education/module-{n}",
                     "timestamp": f"2026-01-01T00:00:00.{n:06d}Z", "note": None, "plugin": "education",
                     "on": None, "reason": None, "evidence": None, "reverses": None}
        for n in range(events)
    }
    profile = {"1": {"name": slug, "stage": "education", "target": "starting-roles", "hours_per_week": 5}}
    return serialise({"profile": profile, "events": docs})


def fill(home: Path, learners: int, events: int) -> None:
    """Write ``learners`` learner files straight to disk (the tracker's layout, without its locks)."""
    folder = home / "learners"
    folder.mkdir(parents=True, exist_ok=True)
    template = learner_file("someone", events)
    for n in range(learners):
        # Same shape, fresh ids: the bytes differ per learner as they would in a real home.
        data = json.loads(template)
        for doc in data["events"].values():
            doc["id"] = str(uuid.uuid4())
        data["profile"]["1"]["name"] = f"learner {n:05d}"
        (folder / f"learner-{n:05d}.json").write_text(json.dumps(data), encoding="utf-8")


def run(home: Path, *args: str) -> float:
    env = {**os.environ, "CPO_LEARN_HOME": str(home)}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cpo_learn", *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--report", default="", help="comma-separated learner counts to time 'report' at")
    parser.add_argument("--dir", help="where to build the homes (default: a temporary directory)")
    args = parser.parse_args()

    root = Path(args.dir) if args.dir else Path(tempfile.mkdtemp(prefix="cpo-learn-bench-"))
    empty, crowded = root / "empty", root / "crowded"
    started = time.perf_counter()
    fill(crowded, args.learners, args.events)
    print(f"built {args.learners} learners x {args.events} events in {time.perf_counter() - started:.1f} s")
    for home in (empty, crowded):
        (home / "learners").mkdir(parents=True, exist_ok=True)
        (home / "learners" / "ada.json").write_bytes(learner_file("ada", args.events))
        run(home, "--learner", "ada", "done", MODULE)  # warm the caches
        run(home, "--learner", "ada", "undo")
    times: dict[Path, list[float]] = {empty: [], crowded: []}
    for _ in range(args.runs):
        for home in (empty, crowded):
            times[home].append(run(home, "--learner", "ada", "done", MODULE))
            run(home, "--learner", "ada", "undo")
    quiet, busy = statistics.median(times[empty]), statistics.median(times[crowded])
    print(f"done, median of {args.runs}: empty home {quiet * 1000:.0f} ms, "
          f"{args.learners} other learners {busy * 1000:.0f} ms, ratio {busy / quiet:.2f} (budget 1.20)")

    sizes = [int(size) for size in args.report.split(",") if size]
    for size in sizes:
        home = root / f"report-{size}"
        fill(home, size, args.events)
        took = run(home, "report", "--csv")
        print(f"report over {size} learners: {took:.2f} s ({took / size * 1000:.1f} ms a learner)")
    print(f"homes left in {root} (delete it when done)")


if __name__ == "__main__":
    main()
