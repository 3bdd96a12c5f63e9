"""Benchmarks for the budgets of DESIGN section 11: every figure a ratio measured side by side in one run.

    python benchmarks/run.py                # all groups, prints a table, writes benchmarks/results/latest.json
    python benchmarks/run.py --quick        # fewer repetitions (a smoke run, not for the docs)
    python benchmarks/run.py startup scale  # only some groups

Each ratio is the median of repeated runs, interleaved with its baseline so that noise on this shared machine
hits both sides alike. Commands run as fresh processes (``python -m cpo_learn`` via the console script when
it is installed), each with its own home and cache.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import fill_home, write_catalog

PYTHON = sys.executable
SCRIPT = shutil.which("cpo-learn", path=str(Path(sys.executable).parent)) or ""
RESULTS = Path(__file__).resolve().parent / "results"
TRACKED_MODULE = "starting-roles/defining-an-mvp"


@dataclass
class Figure:
    group: str
    name: str
    value: float
    budget: float | None
    unit: str
    detail: str

    @property
    def ok(self) -> bool | None:
        return None if self.budget is None else self.value <= self.budget


def cpo(*args: str) -> list[str]:
    """The command line for ``cpo-learn ARGS`` (the installed console script, as a user runs it)."""
    return [SCRIPT, *args] if SCRIPT else [PYTHON, "-m", "cpo_learn", *args]


def run_once(cmd: Sequence[str], env: dict[str, str], cwd: str | None = None) -> tuple[float, int]:
    """Wall time in seconds and peak resident memory in KiB of one run of ``cmd``."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    if proc.stderr:
        proc.stderr.close()
    return elapsed, usage.ru_maxrss


def compare(pairs: list[tuple[str, Callable[[], tuple[float, int]]]], repeat: int) -> dict[str, list[float]]:
    """Run each named callable ``repeat`` times, interleaved; returns the wall times of each."""
    times: dict[str, list[float]] = {name: [] for name, _ in pairs}
    for _ in range(repeat):
        for name, action in pairs:
            times[name].append(action()[0])
    return times


def base_env(home: Path, cache: Path) -> dict[str, str]:
    # Bytecode caching stays on, as for a user: a regular install compiles .pyc files, and the warm-up run of
    # each group writes them for an editable one.
    env = {k: v for k, v in os.environ.items() if not k.startswith("CPO_LEARN_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update({"CPO_LEARN_HOME": str(home), "CPO_LEARN_CACHE_DIR": str(cache), "COLUMNS": "100"})
    return env


def init_learner(env: dict[str, str], name: str = "Ada", stage: str = "starting-roles") -> None:
    subprocess.run(cpo("init", "--name", name, "--stage", stage, "--hours", "6", "--start", "2026-01-05"),
                   env=env, check=True, capture_output=True, stdin=subprocess.DEVNULL)


def bench_startup(work: Path, repeat: int) -> list[Figure]:
    env = base_env(work / "home", work / "cache")
    init_learner(env)
    for args in (("--help",), ("stages", "--json"), ("next",)):
        run_once(cpo(*args), env)  # warm the caches a user's second run would find
    commands = {"--help": ("--help",), "next": ("next",), "stages --json": ("stages", "--json")}
    uncached = {**env, "CPO_LEARN_NO_CACHE": "1"}
    pairs: list[tuple[str, Callable[[], tuple[float, int]]]] = [
        ("python -c pass", lambda: run_once([PYTHON, "-c", "pass"], env))]
    pairs += [(label, (lambda a=args: run_once(cpo(*a), env))) for label, args in commands.items()]
    # The same with the caches off: what the first run after an install or a plugin change costs.
    pairs += [(f"{label} (no cache)", (lambda a=args: run_once(cpo(*a), uncached)))
              for label, args in commands.items() if label != "next"]
    times = compare(pairs, repeat)
    base = statistics.median(times["python -c pass"])
    budgets = {"--help": 5.0}
    figures = []
    for label in [*commands, *(f"{c} (no cache)" for c in commands if c != "next")]:
        median = statistics.median(times[label])
        figures.append(Figure("startup", f"cpo-learn {label} / python -c pass", median / base, budgets.get(label),
                              "x", f"{median * 1000:.1f} ms vs {base * 1000:.1f} ms"))
    return figures


def bench_tracking(work: Path, repeat: int, count: int = 10_000) -> list[Figure]:
    empty_home, full_home = work / "empty-home", work / "full-home"
    fill_home(full_home, count, 200)
    envs = {}
    for label, home in (("empty", empty_home), ("full", full_home)):
        envs[label] = base_env(home, work / f"cache-{label}")
        envs[label]["CPO_LEARN_LEARNER"] = "ada"
        init_learner(envs[label])
        run_once(cpo("done", TRACKED_MODULE), envs[label])  # warm the caches
        run_once(cpo("undo"), envs[label])

    def done(label: str) -> tuple[float, int]:
        timed = run_once(cpo("done", TRACKED_MODULE), envs[label])
        run_once(cpo("undo"), envs[label])  # so the next done records an event again (untimed)
        return timed

    times = compare([("empty", lambda: done("empty")), ("full", lambda: done("full"))], repeat)
    empty, full = statistics.median(times["empty"]), statistics.median(times["full"])
    figures = [Figure("tracking", f"done with {count:,} other learners / empty home", full / empty, 1.2, "x",
                      f"{full * 1000:.1f} ms vs {empty * 1000:.1f} ms")]
    small_home = work / "small-home"
    fill_home(small_home, count // 10, 200)
    small_env, full_env = base_env(small_home, work / "cache-s"), base_env(full_home, work / "cache-f")
    report_times = compare([("small", lambda: run_once(cpo("report"), small_env)),
                            ("full", lambda: run_once(cpo("report"), full_env))], max(3, repeat // 7))
    small_t, full_t = statistics.median(report_times["small"]), statistics.median(report_times["full"])
    figures.append(Figure("tracking", f"report {count:,} learners / {count // 10:,} learners", full_t / small_t,
                          12.0, "x", f"{full_t:.2f} s vs {small_t:.2f} s (linear is 10x)"))
    return figures


def bench_scale(work: Path, repeat: int) -> list[Figure]:
    profile = work / "profile.toml"
    profile.write_text('name = "Scale Test"\nstage = "education"\ntarget = "cpo"\nhours_per_week = 10\n'
                       'start = 2026-01-05\n')
    results: dict[int, tuple[list[float], int]] = {}
    envs = {}
    for size in (500, 5000):
        root = work / f"catalog-{size}"
        write_catalog(root, size)
        env = base_env(work / f"home-{size}", work / f"cache-{size}")
        env["CPO_LEARN_PLUGINS_DIR"] = str(root)
        env["CPO_LEARN_NO_CACHE"] = "1"  # measure parsing and planning, not the pack cache
        envs[size] = env
    out = work / "out.html"
    runs = {size: (lambda s=size: run_once(cpo("generate", "--profile", str(profile), "--format", "html", "-o",
                                                str(out)), envs[s])) for size in envs}
    peaks = {size: 0 for size in envs}
    walls: dict[int, list[float]] = {size: [] for size in envs}
    for _ in range(max(3, repeat // 4)):
        for size, action in runs.items():
            wall, peak = action()
            walls[size].append(wall)
            peaks[size] = max(peaks[size], peak)
    for size in envs:
        results[size] = (walls[size], peaks[size])
    small, large = statistics.median(walls[500]), statistics.median(walls[5000])
    return [
        Figure("scale", "generate --format html: 5,000 modules / 500 modules (50 plugins)", large / small, 12.0, "x",
               f"{large:.2f} s vs {small:.2f} s"),
        Figure("scale", "generate --format html, 5,000 modules: peak memory", peaks[5000] / 1024, 150.0, "MiB",
               f"500 modules: {peaks[500] / 1024:.0f} MiB"),
    ]


GROUPS = {"startup": bench_startup, "tracking": bench_tracking, "scale": bench_scale}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("groups", nargs="*", choices=[*GROUPS, []], help="groups to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--repeat", type=int, default=None, help="repetitions per figure (default 21; quick 5)")
    args = parser.parse_args()
    repeat = args.repeat or (5 if args.quick else 21)
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="cpo-learn-bench-") as tmp:
        for name in args.groups or list(GROUPS):
            work = Path(tmp) / name
            work.mkdir()
            figures += GROUPS[name](work, repeat)
    width = max(len(f.name) for f in figures)
    print(f"{'figure'.ljust(width)}  {'value':>9}  {'budget':>8}  ok   detail")
    for f in figures:
        budget = f"{f.budget:g}{f.unit}" if f.budget is not None else "-"
        ok = {True: "yes", False: "NO", None: "-"}[f.ok]
        print(f"{f.name.ljust(width)}  {f.value:>8.2f}{f.unit:<1}  {budget:>8}  {ok:<3}  {f.detail}")
    RESULTS.mkdir(exist_ok=True)
    payload = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "repeat": repeat, "taken": time.strftime("%Y-%m-%d %H:%M:%S"),
        "figures": [{**asdict(f), "ok": f.ok} for f in figures],
    }
    (RESULTS / "latest.json").write_text(json.dumps(payload, indent=2) + "\n")
    print(f"\nwritten {RESULTS / 'latest.json'}")
    if any(f.ok is False for f in figures):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
