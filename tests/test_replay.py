"""The replay cache (``cli/replay.py``): read-only commands print their recorded output only while every input is
as it was; anything that changes, warns, or runs plugin code goes through the real command.

The tests run the console script as a process. An entry is written only when no input changed in the two
seconds before the run, so each test builds its files first and waits that long once (``settle``).
"""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from cpo_learn import cache
from cpo_learn.cli import replay
from helpers import module_text, write

pytestmark = pytest.mark.cold_cache  # tests of the caches: each starts with an empty cache dir

SENTINEL = "served from the replay cache\n"
MODULE = "starting-roles/working-with-engineering-and-design"


def cpo_learn(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = dict(os.environ)
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "cpo_learn", *args], capture_output=True, text=True, env=full,
                          stdin=subprocess.DEVNULL)


def entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "replay").glob("*.marshal"))


def poison(tmp_path: Path) -> None:
    """Replace the text of every entry: output that shows it came from the cache, not from the command."""
    for path in entries(tmp_path):
        entry = marshal.loads(path.read_bytes())
        entry["chunks"] = [(1, SENTINEL)]
        path.write_bytes(marshal.dumps(entry))


def settle(tmp_path: Path) -> None:
    (tmp_path / "cache" / "replay").mkdir(parents=True, exist_ok=True)  # the working folder changes no more
    time.sleep(replay.RACY_NS / 1e9 + 0.1)


@pytest.fixture
def learner(tmp_path: Path) -> Path:
    made = cpo_learn("init", "--name", "Ada", "--stage", "starting-roles", "--hours", "6")
    assert made.returncode == 0, made.stderr
    return tmp_path


def test_replayed_output_is_the_commands_and_a_record_invalidates_it(learner: Path) -> None:
    settle(learner)
    for args in (["next"], ["progress"], ["stages", "--json"], ["week"]):
        fresh = cpo_learn(*args, env={"CPO_LEARN_NO_CACHE": "1"})
        recorded = cpo_learn(*args)
        replayed = cpo_learn(*args)
        assert fresh.returncode == recorded.returncode == replayed.returncode == 0
        assert fresh.stdout == recorded.stdout == replayed.stdout
    assert len(entries(learner)) == 4
    poison(learner)
    assert cpo_learn("next").stdout == SENTINEL  # the entry is what was printed
    (learner / "home" / "unrelated.txt").write_text("a folder only looked at may change")
    assert cpo_learn("next").stdout == SENTINEL
    assert cpo_learn("next", "--json").stdout != SENTINEL  # other arguments, another entry
    assert cpo_learn("done", MODULE).returncode == 0
    after = cpo_learn("next")
    assert after.stdout != SENTINEL and MODULE not in after.stdout.splitlines()[2]


def test_an_edited_pack_file_and_a_new_plugin_file_invalidate(learner: Path, make_pack: Any) -> None:
    plugins = learner / "plugins"
    root = make_pack(modules={"onboarding": module_text("acme/onboarding", title="Acme onboarding",
                                                        stage="starting-roles", hours=2)})
    module = root / "modules" / "onboarding.md"
    env = {"CPO_LEARN_PLUGINS_DIR": str(plugins)}
    settle(learner)
    first = cpo_learn("modules", "--stage", "starting-roles", env=env)
    assert first.returncode == 0, first.stderr
    assert "Acme onboarding" in first.stdout
    assert not entries(learner)  # the pack's plugin was called to build the catalog: plugin code ran
    assert cpo_learn("modules", "--stage", "starting-roles", env=env).stdout == first.stdout
    assert entries(learner)  # the catalog came from its cache, keyed on the pack's files
    poison(learner)
    assert cpo_learn("modules", "--stage", "starting-roles", env=env).stdout == SENTINEL
    module.write_text(module.read_text().replace("Acme onboarding", "Acme induction"))
    edited = cpo_learn("modules", "--stage", "starting-roles", env=env)
    assert "Acme induction" in edited.stdout and "Acme onboarding" not in edited.stdout
    settle(learner)
    for _ in range(2):
        cpo_learn("modules", "--stage", "starting-roles", env=env)
    poison(learner)
    assert cpo_learn("modules", "--stage", "starting-roles", env=env).stdout == SENTINEL
    write(plugins / "noisy.py", "import sys\nprint('noisy plugin loaded', file=sys.stderr)\n")
    with_plugin = cpo_learn("modules", "--stage", "starting-roles", env=env)
    assert with_plugin.stdout != SENTINEL and "Acme induction" in with_plugin.stdout


def test_generate_is_replayed_only_over_its_own_unchanged_output(learner: Path) -> None:
    (learner / "curricula").mkdir()  # (the working folder is on sys.path under ``python -m``: keep it as it is)
    settle(learner)
    curriculum = learner / "curricula" / "ada.md"
    first = cpo_learn("generate")  # makes the folder and the file: a change, not recorded
    assert first.returncode == 0 and curriculum.is_file() and not entries(learner)
    written = curriculum.read_bytes()
    second = cpo_learn("generate")  # writes the same bytes again: recorded, with the file's stamp after it
    assert (second.stdout, second.stderr) == (first.stdout, first.stderr) and len(entries(learner)) == 1
    assert "Note:" in second.stderr  # the habits note, on stderr: kept and replayed in order with stdout
    stamp = curriculum.stat()
    poison(learner)
    replayed = cpo_learn("generate")
    assert replayed.stdout == SENTINEL and replayed.stderr == ""  # (the poisoned entry has no stderr part)
    assert curriculum.stat().st_mtime_ns == stamp.st_mtime_ns and curriculum.read_bytes() == written
    ticked = written.replace(b"- [ ] ", b"- [x] ", 1)
    curriculum.write_bytes(ticked)  # a tick not synced: generate must see it and refuse
    refused = cpo_learn("generate")
    assert refused.returncode == 1 and "ticked box" in refused.stderr and curriculum.read_bytes() == ticked
    curriculum.unlink()
    again = cpo_learn("generate")
    assert again.stdout == first.stdout and curriculum.read_bytes() == written


def test_stderr_is_replayed_in_order_with_stdout(learner: Path) -> None:
    (learner / "curricula").mkdir()
    settle(learner)
    cpo_learn("generate")
    recorded = cpo_learn("generate")
    merged = [subprocess.run([sys.executable, "-m", "cpo_learn", "generate"], stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, stdin=subprocess.DEVNULL).stdout
              for _ in range(2)]
    assert recorded.returncode == 0 and entries(learner)
    assert merged[0] == merged[1] and merged[0].index("Wrote") < merged[0].index("Note:")


def test_warnings_and_plugin_code_are_never_replayed(learner: Path) -> None:
    plugins = learner / "plugins"
    write(plugins / "broken.py", "raise ImportError('missing dependency')\n")
    settle(learner)
    for _ in range(2):
        result = cpo_learn("stages", env={"CPO_LEARN_PLUGINS_DIR": str(plugins)})
        assert result.returncode == 0 and "plugin 'broken'" in result.stderr
    assert not entries(learner)
    coded = learner / "coded"
    write(coded / "acme.py", """
        import cpo_learn

        @cpo_learn.hookimpl
        def cpo_learn_register_stages():
            return []
        """)
    for _ in range(2):
        assert cpo_learn("stages", env={"CPO_LEARN_PLUGINS_DIR": str(coded)}).returncode == 0
    assert not entries(learner)


def test_failures_switched_off_caches_and_damaged_entries(learner: Path) -> None:
    settle(learner)
    assert cpo_learn("next", "--learner", "nobody").returncode != 0
    assert cpo_learn("next", env={"CPO_LEARN_NO_CACHE": "1"}).returncode == 0
    assert not entries(learner)
    good = cpo_learn("next").stdout
    (entry,) = entries(learner)
    entry.write_bytes(b"\x00not marshal")
    assert cpo_learn("next").stdout == good
    poison(learner)
    assert cpo_learn("next", env={"CPO_LEARN_NO_CACHE": "1"}).stdout == good


def test_the_global_options_before_the_command_are_read() -> None:
    assert replay.command_of(["next"]) == "next"
    assert replay.command_of(["--learner", "next", "done", "X"]) == "done"
    assert replay.command_of(["--home=/h", "--wide", "progress"]) == "progress"
    assert replay.command_of(["--bogus", "next"]) is None
    assert not replay.wanted(["--learner", "next", "done", "X"])
    assert not replay.wanted(["next", "--help"])
    assert replay.wanted(["--plugins-dir", "p", "week"])


def test_the_key_holds_the_day_and_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    key = replay._key(["next"])
    real = time.localtime()
    monkeypatch.setattr(time, "localtime", lambda: time.struct_time((real.tm_year + 1, *real[1:])))
    assert replay._key(["next"]) != key
    monkeypatch.undo()

    class Terminal:
        encoding = sys.stdout.encoding
        errors = sys.stdout.errors

        def isatty(self) -> bool:
            return True

        def fileno(self) -> int:
            raise OSError("no terminal here")

    monkeypatch.setattr(sys, "stdout", Terminal())
    assert replay._key(["next"]) != key


def test_a_run_that_writes_a_file_or_reads_stdin_is_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(replay, "RACY_NS", -10**18)  # in-process: everything under tmp_path was just made
    monkeypatch.setattr(cache, "_UNREPEATABLE", [])

    def prints() -> None:
        print("hello")

    replay.record(["next"], prints)
    assert len(entries(tmp_path)) == 1 and capsys.readouterr().out == "hello\n"
    for entry in entries(tmp_path):
        entry.unlink()

    def writes() -> None:
        (tmp_path / "note.txt").write_text("x")
        print("wrote")

    replay.record(["next"], writes)  # made a file: not a run over its own output
    assert not entries(tmp_path)

    def rewrites() -> None:
        (tmp_path / "note.txt").write_text("y")
        print("rewrote")

    replay.record(["next"], rewrites)  # changed a file
    assert not entries(tmp_path)
    replay.record(["next"], rewrites)  # wrote it again as it was: a run over its own output
    assert len(entries(tmp_path)) == 1
    for entry in entries(tmp_path):
        entry.unlink()

    def removes() -> None:
        (tmp_path / "note.txt").unlink()

    replay.record(["next"], removes)
    assert not entries(tmp_path) and cache.unrepeatable()
    monkeypatch.setattr(cache, "_UNREPEATABLE", [])
    monkeypatch.setattr(sys, "stdin", open(os.devnull))  # noqa: SIM115 - closed by the interpreter

    def reads() -> None:
        sys.stdin.read()
        print("read")

    replay.record(["next"], reads)
    assert not entries(tmp_path) and cache.unrepeatable() == ["read stdin"]
