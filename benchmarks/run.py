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

from synthetic import fill_home, learner_document, write_catalog

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


@dataclass(frozen=True)
class Run:
    """One run of a command: wall time and CPU time (user + system) in seconds, peak resident memory in KiB."""

    wall: float
    cpu: float
    peak: int


def run_once(cmd: Sequence[str], env: dict[str, str], cwd: str | None = None) -> Run:
    """Run ``cmd`` once as a fresh process (its output thrown away) and measure it."""
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
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


def compare(pairs: list[tuple[str, Callable[[], Run]]], repeat: int) -> dict[str, list[Run]]:
    """Run each named callable ``repeat`` times, interleaved; returns the runs of each."""
    runs: dict[str, list[Run]] = {name: [] for name, _ in pairs}
    for _ in range(repeat):
        for name, action in pairs:
            runs[name].append(action())
    return runs


def wall(runs: list[Run]) -> float:
    """The median wall time of some runs."""
    return statistics.median(r.wall for r in runs)


def cpu(runs: list[Run]) -> float:
    """The median CPU time of some runs."""
    return statistics.median(r.cpu for r in runs)


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
    env["CPO_LEARN_LEARNER"] = "ada"
    init_learner(env)
    # Two learners of 100 events each. ``done`` records for Ada, whose file is put back after each run
    # (untimed), so every run is alike; the read-only commands read Grace, whose record does not change, as a
    # learner's does not between two looks. "..., its record just changed" reads Ada after a ``done``: what
    # the replay cache (cli/replay.py) cannot serve.
    learner_file = work / "home" / "learners" / "ada.json"
    learner_file.write_bytes(store_bytes(learner_document("Ada", 100, stage="starting-roles")))
    with_history = learner_file.read_bytes()
    (work / "home" / "learners" / "grace.json").write_bytes(
        store_bytes(learner_document("Grace", 100, stage="starting-roles")))
    reader = {**env, "CPO_LEARN_LEARNER": "grace"}
    curriculum = str(work / "grace.md")
    commands = {"--help": ("--help",), "next": ("next",), f"done X ({100} events)": ("done", TRACKED_MODULE),
                "stages --json": ("stages", "--json"), "generate (md)": ("generate", "-o", curriculum)}
    environments = {label: (env if label.startswith("done") else reader) for label in commands}
    time.sleep(2.1)  # a file changed in the last two seconds is not trusted to show its next change (replay)
    for label, args in commands.items():
        run_once(cpo(*args), environments[label])  # warm the caches a user's second run would find
        run_once(cpo(*args), environments[label])  # (a run right after a change is not replayed)
        learner_file.write_bytes(with_history)
    uncached = {**reader, "CPO_LEARN_NO_CACHE": "1"}

    def timed(args: tuple[str, ...], environment: dict[str, str]) -> Run:
        result = run_once(cpo(*args), environment)
        if args[0] == "done":
            learner_file.write_bytes(with_history)
        return result

    pairs: list[tuple[str, Callable[[], Run]]] = [("python -c pass", lambda: run_once([PYTHON, "-c", "pass"], env))]
    pairs += [(label, (lambda a=args, e=environments[label]: timed(a, e))) for label, args in commands.items()]

    def after_a_change(args: tuple[str, ...]) -> Run:
        learner_file.write_bytes(with_history)  # a new modification time, as a ``done`` would leave
        return run_once(cpo(*args), env)

    changed = {"next, its record just changed": ("next",),
               "generate (md), its record just changed": ("generate", "-o", str(work / "ada.md"))}
    pairs += [(label, (lambda a=args: after_a_change(a))) for label, args in changed.items()]
    # The same with the caches off: what the first run after an install or a plugin change costs.
    cold = ("--help", "next", "stages --json")
    pairs += [(f"{label}, caches off", (lambda a=commands[label]: timed(a, uncached))) for label in cold]
    times = compare(pairs, repeat)
    base = wall(times["python -c pass"])
    budgets = {"--help": 2.0, "next": 5.0, "done X (100 events)": 5.0, "stages --json": 5.0, "generate (md)": 8.0,
               "next, caches off": 10.0}
    figures = []
    for label in [*commands, *changed, *(f"{c}, caches off" for c in cold)]:
        median = wall(times[label])
        figures.append(Figure("startup", f"cpo-learn {label} / python -c pass", median / base, budgets.get(label),
                              "x", f"{median * 1000:.1f} ms vs {base * 1000:.1f} ms"))
    return figures


def store_bytes(document: dict[str, object]) -> bytes:
    from cpo_learn.tracking.store import serialise

    return serialise(json.loads(json.dumps(document)))


def clear_report_cache(cache: Path) -> None:
    """Forget the report's row cache (what a first ``report`` over a home finds), keeping the other caches."""
    for path in cache.glob("report-*"):
        path.unlink()


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

    def done(label: str) -> Run:
        timed = run_once(cpo("done", TRACKED_MODULE), envs[label])
        run_once(cpo("undo"), envs[label])  # so the next done records an event again (untimed)
        return timed

    times = compare([("empty", lambda: done("empty")), ("full", lambda: done("full"))], repeat)
    empty, full = wall(times["empty"]), wall(times["full"])
    figures = [Figure("tracking", f"done with {count:,} other learners / empty home", full / empty, 1.2, "x",
                      f"{full * 1000:.1f} ms vs {empty * 1000:.1f} ms")]
    # ``report`` over 10,000 learners against the same over 1,000, side by side: the difference over the 9,000
    # more is the cost of a learner, start-up and catalog cancelled out. A first run finds no row cache (it is
    # removed before each, untimed); a second finds every row cached and no file changed.
    small_home = work / "small-home"
    fill_home(small_home, count // 10, 200)
    caches = {"small": work / "cache-s", "full": work / "cache-f"}
    report_envs = {"small": base_env(small_home, caches["small"]), "full": base_env(full_home, caches["full"])}
    for label in report_envs:
        run_once(cpo("report"), report_envs[label])  # the other caches warm, as for any command

    def report(label: str, first: bool) -> Run:
        if first:
            clear_report_cache(caches[label])
        return run_once(cpo("report"), report_envs[label])

    reps = max(3, repeat // 7)
    first_times = compare([("small", lambda: report("small", True)), ("full", lambda: report("full", True))], reps)
    for label in report_envs:
        report(label, True)  # fill the row caches (untimed)
    warm_times = compare([("small", lambda: report("small", False)), ("full", lambda: report("full", False))], reps)
    more = count - count // 10
    for title, runs, budget in (("first run", first_times, 0.5), ("nothing changed", warm_times, 0.05)):
        small_t, full_t = wall(runs["small"]), wall(runs["full"])
        per = (full_t - small_t) / more * 1000
        per_cpu = (cpu(runs["full"]) - cpu(runs["small"])) / more * 1000
        figures.append(Figure("tracking", f"report, a learner ({title}; {count:,} vs {count // 10:,} learners)",
                              per, budget, "ms", f"{full_t:.2f} s vs {small_t:.2f} s; CPU {per_cpu:.3f} ms a learner"))
    small_t, full_t = wall(first_times["small"]), wall(first_times["full"])
    figures.append(Figure("tracking", f"report {count:,} learners / {count // 10:,} learners (first run)",
                          full_t / small_t, 12.0, "x", f"{full_t:.2f} s vs {small_t:.2f} s (linear is 10x)"))
    return figures


def bench_scale(work: Path, repeat: int) -> list[Figure]:
    profile = work / "profile.toml"
    profile.write_text('name = "Scale Test"\nstage = "education"\ntarget = "cpo"\nhours_per_week = 10\n'
                       'start = 2026-01-05\n')
    steady = work / "steady-profile.toml"  # the same profile, never touched: what the replay serves
    steady.write_bytes(profile.read_bytes())
    sizes = (500, 5000)
    envs = {}
    for size in sizes:
        root = work / f"catalog-{size}"
        write_catalog(root, size)
        env = base_env(work / f"home-{size}", work / f"cache-{size}")
        env["CPO_LEARN_PLUGINS_DIR"] = str(root)
        envs[size] = env

    def generate(size: int, cached: bool, replayed: bool = False) -> Run:
        # each size writes its own file: ``generate`` reads the file it replaces (for unsynced ticks), so one
        # shared file made the small run read the large run's page
        env = envs[size] if cached else {**envs[size], "CPO_LEARN_NO_CACHE": "1"}
        out = work / f"out-{size}{'-warm' if cached else ''}{'-replayed' if replayed else ''}.html"
        chosen = steady if replayed else profile
        if cached and not replayed:
            os.utime(profile)  # the profile "changed": the caches are warm, but the run is not replayed
        return run_once(cpo("generate", "--profile", str(chosen), "--format", "html", "-o", str(out)), env)

    for size in sizes:
        generate(size, True)  # warm the caches for the warm runs
    time.sleep(2.1)  # (a file changed in the last two seconds is not trusted to show its next change)
    for _ in range(2):  # the first writes its file, the second rewrites it as it was: that run is recorded
        generate(5000, True, replayed=True)
    pairs: list[tuple[str, Callable[[], Run]]] = []
    for size in sizes:
        pairs.append((f"{size} cold", lambda s=size: generate(s, False)))  # parsing and validating measured too
        pairs.append((f"{size} warm", lambda s=size: generate(s, True)))
    pairs.append(("5000 replayed", lambda: generate(5000, True, replayed=True)))
    runs = compare(pairs, max(3, repeat // 4))
    small, large = wall(runs["500 cold"]), wall(runs["5000 cold"])
    warm_small, warm_large = wall(runs["500 warm"]), wall(runs["5000 warm"])
    peaks = {size: max(r.peak for r in runs[f"{size} cold"] + runs[f"{size} warm"]) / 1024 for size in sizes}
    return [
        Figure("scale", "generate --format html, caches off: 5,000 modules / 500 modules (50 plugins)", large / small,
               10.5, "x", f"{large:.2f} s vs {small:.2f} s (linear is 10x)"),
        Figure("scale", "generate --format html, warm: 5,000 modules / 500 modules", warm_large / warm_small, 10.5, "x",
               f"{warm_large:.2f} s vs {warm_small:.2f} s"),
        Figure("scale", "generate --format html, warm, 5,000 modules: a module", warm_large / 5000 * 1000, 0.4, "ms",
               f"{warm_large:.2f} s / 5,000"),
        Figure("scale", "generate --format html, 5,000 modules, nothing changed (replayed)",
               wall(runs["5000 replayed"]) * 1000, None, "ms", "the replay cache serves it"),
        Figure("scale", "generate --format html, 5,000 modules: peak memory", peaks[5000], 150.0, "MiB",
               "each size to its own file"),
        Figure("scale", "generate --format html, 500 modules: peak memory", peaks[500], None, "MiB",
               "each size to its own file"),
    ]


def machine_speed(when: str) -> Figure:
    """How fast this machine runs plain Python right now: the budgets in ms (report, HTML) depend on it, and
    on this shared machine it was seen to vary twofold within an hour. No budget; read it beside them."""
    def loop() -> float:
        start = time.perf_counter()
        total = 0
        for number in range(1_000_000):
            total += number
        return time.perf_counter() - start

    median = statistics.median(loop() for _ in range(7))
    return Figure("machine", f"a pure-Python loop of 1,000,000 additions, at the {when}", median * 1000, None, "ms",
                  "median of 7; the lower, the faster the machine is running")


GROUPS = {"startup": bench_startup, "tracking": bench_tracking, "scale": bench_scale}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("groups", nargs="*", choices=[*GROUPS, []], help="groups to run (default: all)")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--repeat", type=int, default=None, help="repetitions per figure (default 21; quick 5)")
    args = parser.parse_args()
    repeat = args.repeat or (5 if args.quick else 21)
    figures: list[Figure] = [machine_speed("start")]
    with tempfile.TemporaryDirectory(prefix="cpo-learn-bench-") as tmp:
        for name in args.groups or list(GROUPS):
            work = Path(tmp) / name
            work.mkdir()
            figures += GROUPS[name](work, repeat)
    figures.append(machine_speed("end"))
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
