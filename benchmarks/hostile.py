"""A hostile run against a regular install: random hostile inputs, 8 concurrent writers, SIGKILLs per command.

    python benchmarks/hostile.py [--seed N] [--inputs N] [--kills N]

Prints the figures issue 19 asks for: inputs tried and handled cleanly (exit 0, 1 or 2, no traceback, an
error in one line, the home byte-identical after a refused write), events written vs present under 8
concurrent writers, and for each write command the SIGKILLs sent at random moments, with every acknowledged
effect present and every learner file readable afterwards. Not a test (it takes minutes): a tool to run
before a release, or after touching the store, the plugin host or the readers.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

MODULES = ["education/what-product-managers-do", "education/talking-to-users", "education/how-software-is-built",
           "education/business-and-market-basics", "education/data-and-metrics-basics",
           "education/writing-for-product-work", "education/ux-and-design-fundamentals",
           "education/product-teardowns"]
CONTROLS = ["\x1b]0;PWNED\x07", "\x1b[2J", "\x9b2J", "\x00", "\u202e", "\r", "\x07", "\udcff"]
ARG_CONTROLS = [c for c in CONTROLS if c != "\x00"]  # argv cannot carry a NUL
WRITES = ("import", "done", "start", "undo", "sync", "init")


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CPO_LEARN_")}
    env.update({"CPO_LEARN_HOME": str(home), "CPO_LEARN_LOAD_PLUGINS": "education", "CPO_LEARN_LEARNER": "ada",
                "CPO_LEARN_PLUGIN_TIMEOUT": "2"})
    env.update(extra)
    return env


def cli(*args: str, env: dict[str, str], input: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cpo_learn", *args], env=env, capture_output=True, text=True,
                          input=input, timeout=120, errors="replace")


def snapshot(home: Path) -> dict[str, bytes]:
    return {str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*"))
            if p.is_file() and p.suffix != ".lock"}


class Tally:
    """Inputs tried, handled cleanly, and what went wrong with the others."""

    def __init__(self) -> None:
        self.tried = 0
        self.clean = 0
        self.failures: list[str] = []

    def check(self, label: str, result: subprocess.CompletedProcess[str], *, home: Path | None = None,
              before: dict[str, bytes] | None = None) -> None:
        self.tried += 1
        problems = []
        if result.returncode not in (0, 1, 2):
            problems.append(f"exit {result.returncode}")
        if "Traceback" in result.stderr or "Traceback" in result.stdout:
            problems.append("traceback")
        if result.returncode != 0 and sum(1 for line in result.stderr.splitlines() if line.startswith("Error")) > 1:
            problems.append("more than one error line")
        if any(ch in result.stdout + result.stderr for ch in ("\x1b", "\x9b", "\x07", "\u202e")):
            problems.append("a control character reached the terminal")
        if before is not None and home is not None and result.returncode != 0 and snapshot(home) != before:
            problems.append("a refused write changed the home")
        if problems:
            self.failures.append(f"{label}: {', '.join(problems)}: {result.stderr[-300:]!r}")
        else:
            self.clean += 1


def an_event(rng: random.Random, **fields: Any) -> dict[str, Any]:
    data = {"id": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "type": "completed",
            "target": rng.choice(MODULES), "timestamp": "2026-01-05T10:00:00.000000Z", "note": None,
            "plugin": "education", "on": None, "reason": None, "evidence": None, "reverses": None}
    data.update(fields)
    return data


def hostile_imports(rng: random.Random) -> list[tuple[str, bytes]]:
    """(label, bytes of an import file) for the learner 'ada'."""
    def doc(events: list[Any], profile: Any = None) -> bytes:
        return json.dumps({"format": "cpo-learn-history", "version": 1, "learner": "ada", "name": "Ada",
                           "profile": profile, "events": events}).encode()

    cases: list[tuple[str, bytes]] = []
    for _ in range(30):
        year = rng.choice([1, 2, 999, 1000, 2026, 9998, 9999])
        offset = rng.randint(-(24 * 60 - 1), 24 * 60 - 1)
        sign = "+" if offset >= 0 else "-"
        stamp = (f"{year:04d}-{rng.choice(['01-01', '12-31', '06-15'])}T{rng.randint(0, 23):02d}:59:59"
                 f"{sign}{abs(offset) // 60:02d}:{abs(offset) % 60:02d}")
        cases.append((f"timestamp {stamp}", doc([an_event(rng, timestamp=stamp)])))
    for _ in range(10):
        depth = rng.choice([33, 1000, 100_000, 300_000])
        cases.append((f"nested {depth}", rng.choice([b"[" * depth, b'{"a":' * depth, doc([[[]]] * 2)])))
    for value in ("str", 5, [1], {"x": {"y": []}}, None, True):
        cases.append((f"profile background {value!r}", doc([], {"name": "Bob", "stage": "education",
                                                                 "target": value, "background": value,
                                                                 "hours_per_week": 5})))
    for _ in range(10):
        ident = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        spelt = "".join(c.upper() if rng.random() < 0.5 else c for c in ident)
        cases.append(("id spelling", doc([an_event(rng, id=ident)])))
        cases.append(("id spelling again", doc([an_event(rng, id=spelt.replace("-", "") if rng.random() < 0.5
                                                         else spelt)])))
    for control in CONTROLS:
        cases.append((f"note {control!r}", doc([an_event(rng, note=f"x{control}y")])))
    cases += [("empty", b""), ("not utf-8", b"\xff\xfe\x00"), ("a number", b"5"), ("null", b"null"),
              ("too many events", doc([an_event(rng) for _ in range(50_001)]))]
    return cases


def hostile_pack(root: Path, rng: random.Random, index: int) -> tuple[str, Path]:
    """A pack with one hostile file; returns a label and the pack."""
    pack = root / f"pack{index}"
    (pack / "modules").mkdir(parents=True)
    (pack / "pack.toml").write_text(f'name = "pack{index}"\nversion = "1.0"\nnamespace = "pack{index}"\n')
    front = f"id: pack{index}/m\ntitle: T\nstage: education\nkind: core\nhours: 3\nskills: {{analytics: 2}}\n"
    target = pack / "modules" / "m.md"
    kind = rng.choice(["fifo", "dev-zero", "outside", "keys", "control", "brackets", "big", "random"])
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "dev-zero":
        target.symlink_to("/dev/zero")
    elif kind == "outside":
        target.symlink_to("/etc/hostname")
    elif kind == "keys":
        keys = "".join(f"k{n}: 1\n" for n in range(rng.choice([100, 50_000])))
        target.write_text(f"---\n{front}{keys}---\nBody\n")
    elif kind == "control":
        control = rng.choice(CONTROLS[:-1])
        target.write_text(f"---\n{front.replace('title: T', 'title: ' + json.dumps('T' + control))}---\nB\n")
    elif kind == "brackets":
        target.write_text(f"---\n{front}---\n" + rng.choice(["[", "[a", "![", "[]("]) * 20_000)
    elif kind == "big":
        target.write_text(f"---\n{front}outcomes: [" + ", ".join(["x" * 50] * 30_000) + "]\n---\nB\n")
    else:
        target.write_bytes(b"---\n" + bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 400))))
    return kind, pack


PLUGINS = {
    "exit-at-import": "import sys\nsys.exit(3)\n",
    "base-exception": "import cpo_learn\n@cpo_learn.hookimpl\ndef cpo_learn_register_content(registry):\n"
                      "    raise BaseException('boom')\n",
    "keyboard-interrupt": "import cpo_learn\n@cpo_learn.hookimpl\ndef cpo_learn_template_dirs():\n"
                          "    raise KeyboardInterrupt\n",
    "hang": "import time, cpo_learn\n@cpo_learn.hookimpl\ndef cpo_learn_register_content(registry):\n"
            "    time.sleep(600)\n",
    "fd-1": "import os, cpo_learn\nos.write(1, b'garbage')\n@cpo_learn.hookimpl\n"
            "def cpo_learn_register_content(registry):\n    os.write(1, b'more garbage')\n",
    "wrong-type": "import cpo_learn\n@cpo_learn.hookimpl\ndef cpo_learn_adjust_plan(plan, profile):\n"
                  "    return 42\n",
    "progress-raises": "import cpo_learn\n@cpo_learn.hookimpl\ndef cpo_learn_progress_event(event):\n"
                       "    raise SystemExit(9)\n",
}


def inputs_run(work: Path, rng: random.Random, limit: int) -> Tally:
    tally = Tally()
    home = work / "home"
    env = env_for(home)
    cli("init", "--name", "Ada", "--stage", "education", "--target", "education", "--hours", "5", env=env)
    cli("done", MODULES[0], env=env)
    cases = hostile_imports(rng)
    rng.shuffle(cases)
    for label, raw in cases[:limit]:
        file = work / "import.json"
        file.write_bytes(raw)
        before = snapshot(home)
        tally.check(f"import {label}", cli("import", str(file), env=env), home=home, before=before)
        for args in (["log"], ["progress"], ["next"], ["report"], ["learners"]):
            tally.check(f"{' '.join(args)} after import {label}", cli(*args, env=env))
    for index in range(min(limit // 4, 40)):
        kind, pack = hostile_pack(work / "packs", rng, index)
        for args in (["validate", str(pack)], ["--plugins-dir", str(pack.parent / f"none{index}"), "stages"]):
            tally.check(f"pack {kind}: {args[0]}", cli(*args, env=env))
        tally.check(f"pack {kind}: show", cli("--plugins-dir", str(pack.parent), "show", f"pack{index}/m",
                                              env=env_for(home, CPO_LEARN_LOAD_PLUGINS=f"education,pack{index}")))
        shutil.rmtree(pack.parent)
    for name, source in PLUGINS.items():
        folder = work / f"plugin-{name}"
        folder.mkdir()
        (folder / f"{name.replace('-', '_')}.py").write_text(source)
        plugin_env = env_for(home, CPO_LEARN_LOAD_PLUGINS=f"education,{name}")
        for args in (["--help"], ["stages", "--json"], ["next"], ["done", MODULES[1]], ["undo"]):
            result = cli("--plugins-dir", str(folder), *args, env=plugin_env)
            tally.check(f"plugin {name}: {args[0]}", result)
            if "--json" in args and result.returncode == 0:
                try:
                    json.loads(result.stdout)
                except ValueError:
                    tally.failures.append(f"plugin {name}: --json output is not JSON")
                    tally.clean -= 1
    for _ in range(limit // 4):
        name = "".join(rng.choice(["..", "-", "/", "a", "é", "\U00020000" * 70, *ARG_CONTROLS, " "])
                       for _ in range(rng.randint(1, 6)))
        before = snapshot(home)
        result = cli("init", "--new", "--name", name, "--stage", "education", "--target", "education",
                     "--hours", "3", env=env)
        tally.check(f"name {name!r}", result, home=home, before=before)
        note = "".join(rng.choice(["x", *ARG_CONTROLS]) for _ in range(8))
        tally.check("note with controls", cli("start", rng.choice(MODULES), "--note", note, env=env))
        tally.check("log after note", cli("log", env=env))
    for _ in range(limit // 8):  # sync of curricula whose titles hold odd backticks
        text = "- [x] **" + "\\`" * rng.randint(1, 5) + f"** · 2 h · `{rng.choice(MODULES)}` · core\n"
        file = work / "plan.md"
        file.write_text(text)
        tally.check("sync odd backticks", cli("sync", str(file), env=env))
    return tally


def concurrent_writers(work: Path, writers: int = 8, each: int = 25) -> tuple[int, int]:
    """``writers`` processes, each recording ``each`` events at once: (acknowledged, present)."""
    home = work / "concurrent"
    env = env_for(home)
    cli("init", "--name", "Ada", "--stage", "education", "--target", "education", "--hours", "5", env=env)
    script = ("import subprocess, sys\n"
              "ok = 0\n"
              "for i in range(int(sys.argv[2])):\n"
              "    r = subprocess.run([sys.executable, '-m', 'cpo_learn', ['start','done','reopen'][i % 3], "
              "sys.argv[1]], capture_output=True)\n"
              "    ok += r.returncode == 0\n"
              "    if r.returncode: sys.stderr.write(r.stderr.decode(errors='replace'))\n"
              "print(ok)\n")
    processes = [subprocess.Popen([sys.executable, "-c", script, MODULES[n % len(MODULES)], str(each)], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for n in range(writers)]
    acknowledged = 0
    for process in processes:
        out, err = process.communicate(timeout=900)
        acknowledged += int(out.strip() or 0)
        if err.strip():
            print("  a writer's command failed:", err.strip()[-300:])
    log = json.loads(cli("log", "--json", env=env).stdout)
    return acknowledged, len(log)


def same_module_writers(work: Path, writers: int = 8) -> int:
    """``writers`` processes running the same ``done`` at once: how many events it recorded."""
    home = work / "same"
    env = env_for(home)
    cli("init", "--name", "Ada", "--stage", "education", "--target", "education", "--hours", "5", env=env)
    processes = [subprocess.Popen([sys.executable, "-m", "cpo_learn", "done", MODULES[2]], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(writers)]
    for process in processes:
        process.wait(timeout=120)
    return len(json.loads(cli("log", "--json", env=env).stdout))


def kill_runs(work: Path, rng: random.Random, kills: int,
              commands: tuple[str, ...] = WRITES) -> dict[str, tuple[int, int, int, bool]]:
    """For each write command, ``kills`` runs killed at random moments.

    Returns command -> (killed mid-run, acknowledged runs, acknowledged effects missing, every file readable).
    """
    results: dict[str, tuple[int, int, int, bool]] = {}
    for command in commands:
        home = work / f"kill-{command}"
        env = env_for(home)
        cli("init", "--name", "Ada", "--stage", "education", "--target", "education", "--hours", "5", env=env)
        killed = acknowledged = 0
        readable = True
        expected_ids: set[str] = set()
        expected_notes: set[str] = set()
        expected_done: set[str] = set()
        undos = 0
        hours: str | None = None
        durations: list[float] = []
        missing = 0
        for run in range(kills):
            ids: set[str] = set()
            module = MODULES[run % len(MODULES)]
            if command == "import":
                events = [an_event(rng, target=f"education/m-{run}-{n}", type="started") for n in range(200)]
                ids = {e["id"] for e in events}
                file = work / "chunk.json"
                file.write_text(json.dumps({"format": "cpo-learn-history", "version": 1, "learner": "ada",
                                            "events": events}))
                args = ["import", str(file)]
            elif command in ("done", "start"):
                args = [command, module, "--note", f"run {run}"]
                cli("reopen", module, env=env)  # recording a status the module has records nothing
            elif command == "undo":
                cli("start", module, "--note", f"to undo {run}", env=env)
                args = ["undo"]
            elif command == "sync":
                file = work / "plan.md"
                file.write_text(f"- [x] **T** · 2 h · `{module}` · core\n")
                args = ["sync", str(file)]
            else:
                args = ["init", "--hours", str(3 + run % 7)]
            start = time.perf_counter()
            process = subprocess.Popen([sys.executable, "-m", "cpo_learn", *args], env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            typical = sorted(durations)[len(durations) // 2] if durations else 0.4
            time.sleep(rng.uniform(0.3, 1.1) * typical)
            process.kill()  # SIGKILL; a no-op when it has already finished
            process.communicate(timeout=120)
            if process.returncode == 0:
                acknowledged += 1
                durations.append(time.perf_counter() - start)
                expected_ids |= ids
                if command in ("done", "start"):
                    expected_notes.add(f"run {run}")
                elif command == "undo":
                    undos += 1
                elif command == "sync":
                    expected_done.add(module)
                elif command == "init":
                    hours = args[-1]
            else:
                killed += 1
            for path in (home / "learners").glob("*.json"):
                try:
                    json.loads(path.read_bytes())
                except ValueError:
                    readable = False
            log = cli("log", "--json", env=env)
            if log.returncode != 0:
                readable = False
                continue
            events = json.loads(log.stdout)
            present = {e["id"] for e in events}
            if command == "import" and ids and 0 < len(ids & present) < len(ids):
                readable = False  # half an import
            if command == "sync" and process.returncode == 0:
                # sync is idempotent: a module it acknowledged must be completed (and not reopened since)
                cli("reopen", module, env=env)
            notes = {e["note"] for e in events}
            missing = (len(expected_ids - present) + len(expected_notes - notes)
                       + max(0, undos - sum(e["type"] == "undone" for e in events)))
            if command == "sync":
                completed = {e["target"] for e in events if e["type"] == "completed"}
                missing += len(expected_done - completed)
            if command == "init" and hours is not None and process.returncode == 0:
                shown = json.loads(cli("learners", "--json", env=env).stdout)
                missing += 0 if shown else 1
        results[command] = (killed, acknowledged, missing, readable)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--inputs", type=int, default=120, help="hostile import files to try (and more)")
    parser.add_argument("--kills", type=int, default=30, help="SIGKILLs per write command")
    parser.add_argument("--commands", default=",".join(WRITES), help="write commands to kill (comma-separated)")
    parser.add_argument("--skip-inputs", action="store_true", help="only the writers and the kills")
    options = parser.parse_args()
    rng = random.Random(options.seed)
    with tempfile.TemporaryDirectory(prefix="cpo-learn-hostile-") as folder:
        work = Path(folder)
        if not options.skip_inputs:
            tally = inputs_run(work, rng, options.inputs)
            print(f"hostile inputs: {tally.tried} tried, {tally.clean} handled cleanly")
            for failure in tally.failures[:20]:
                print("  NOT CLEAN:", failure)
            acknowledged, present = concurrent_writers(work)
            print(f"8 concurrent writers: {acknowledged} events acknowledged, {present} present")
            print(f"8 concurrent 'done' of one module: {same_module_writers(work)} event(s) recorded")
        commands = tuple(c for c in options.commands.split(",") if c in WRITES)
        for command, (killed, ok, missing, readable) in kill_runs(work, rng, options.kills, commands).items():
            print(f"SIGKILL {command}: {options.kills} runs, {killed} killed mid-run, {ok} acknowledged, "
                  f"{missing} acknowledged effects missing, files readable: {readable}")


if __name__ == "__main__":
    main()
