"""The learner store when the disk says no: a read-only home, a full disk, a home that is missing or not a folder.

Every refused write is one line on stderr and exit 1, the learner's file (and its backup) are byte-identical
afterwards, and no temporary file is left beside them. Tests run as root in CI, where chmod does not stop a
write, so a read-only home is also simulated by making the system calls fail as they would on one.
"""

from __future__ import annotations

import errno
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from helpers import Invoke

MODULE = "education/what-product-managers-do"
OTHER = "education/talking-to-users"
WRITES: dict[str, list[str]] = {
    "done": ["done", OTHER, "--note", "read it twice"],
    "start": ["start", OTHER],
    "undo": ["undo"],
    "init": ["init", "--hours", "7"],
    "import": ["import", "EXPORT"],
}


@pytest.fixture
def ada(home: Path, run: Invoke, tmp_path: Path) -> Path:
    """Ada with a profile and two events (so there is a backup too); returns the learners folder."""
    assert run("init", "--name", "Ada", "--stage", "education", "--hours", "6").exit_code == 0
    assert run("done", MODULE).exit_code == 0
    assert run("--learner", "ada", "export", "-o", str(tmp_path / "export.json")).exit_code == 0
    # an export with one event Ada does not have yet, for 'import'
    data = json.loads((tmp_path / "export.json").read_text(encoding="utf-8"))
    data["events"].append({**data["events"][0], "id": "6c0f4b43-54f4-4f5c-9a36-9d5c1bb1d1a7", "target": OTHER})
    (tmp_path / "export.json").write_text(json.dumps(data), encoding="utf-8")
    return home / "learners"


def files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def assert_one_line_error(result: Result, message: str) -> None:
    assert "Traceback" not in result.output
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: "), result.stderr
    assert message in result.stderr, result.stderr


def write_args(name: str, tmp_path: Path) -> list[str]:
    return [str(tmp_path / "export.json") if arg == "EXPORT" else arg for arg in WRITES[name]]


def failing(real: Callable[..., Any], code: int, when: Callable[..., bool]) -> Callable[..., Any]:
    """``real``, except that it fails with ``code`` (like the kernel would) whenever ``when(*args)``."""

    def fake(*args: Any, **kwargs: Any) -> Any:
        if when(*args):
            raise OSError(code, os.strerror(code))
        return real(*args, **kwargs)

    return fake


def in_folder(folder: Path) -> Callable[..., bool]:
    return lambda path, *rest: isinstance(path, str | os.PathLike) and Path(path).parent == folder


def fd_in_folder(folder: Path) -> Callable[..., bool]:
    """True for a file descriptor open on a file in ``folder`` (Linux's /proc tells)."""

    def check(fd: Any, *rest: Any) -> bool:
        try:
            return isinstance(fd, int) and Path(os.readlink(f"/proc/self/fd/{fd}")).parent == folder
        except OSError:
            return False

    return check


# -- a read-only home ---------------------------------------------------------------------------------------
READ_ONLY = ["chmod", "open", "replace"]


def make_read_only(how: str, learners: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if how == "chmod":
        if os.geteuid() == 0:
            pytest.skip("root writes through chmod; the 'open' and 'replace' cases simulate it")
        learners.chmod(0o555)
    elif how == "open":  # creating any file there (the lock, the temporary file) fails
        monkeypatch.setattr(os, "open", failing(os.open, errno.EROFS, in_folder(learners)))
    else:  # the lock and the temporary file can be made, but the rename that publishes the write fails
        monkeypatch.setattr(os, "replace", failing(os.replace, errno.EROFS, in_folder(learners)))


@pytest.mark.parametrize("how", READ_ONLY)
@pytest.mark.parametrize("command", sorted(WRITES))
def test_a_read_only_home_refuses_writes_and_changes_nothing(
    ada: Path, run: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str, command: str
) -> None:
    before = files(ada)
    make_read_only(how, ada, monkeypatch)
    try:
        result = run(*write_args(command, tmp_path))
    finally:
        ada.chmod(0o755)
    assert_one_line_error(result, "nothing was changed")
    assert "Read-only file system" in result.stderr or "Permission denied" in result.stderr
    assert files(ada) == before  # byte-identical, and no .tmp left beside them


@pytest.mark.parametrize("how", READ_ONLY)
def test_a_read_only_home_can_still_be_read(ada: Path, run: Invoke, monkeypatch: pytest.MonkeyPatch,
                                            how: str) -> None:
    make_read_only(how, ada, monkeypatch)
    try:
        for args in (["log"], ["progress", "--json"], ["next"], ["learners"], ["export"]):
            result = run(*args)
            assert result.exit_code == 0, (args, result.output)
    finally:
        ada.chmod(0o755)


# -- a full disk --------------------------------------------------------------------------------------------
def fill_disk(where: str, learners: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell which file a write goes to")
    if where == "write":
        # the first write of the temporary file goes through, the next finds the disk full
        calls: list[int] = []
        real_write = os.write

        def write(fd: int, data: Any) -> int:
            if fd_in_folder(learners)(fd):
                calls.append(fd)
                if len(calls) > 1:
                    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
                return real_write(fd, bytes(data)[: max(1, len(data) // 2)])
            return real_write(fd, data)

        monkeypatch.setattr(os, "write", write)
    else:
        monkeypatch.setattr(os, "fsync", failing(os.fsync, errno.ENOSPC, fd_in_folder(learners)))


@pytest.mark.parametrize("where", ["write", "fsync"])
@pytest.mark.parametrize("command", sorted(WRITES))
def test_a_full_disk_refuses_writes_and_changes_nothing(
    ada: Path, run: Invoke, tmp_path: Path, where: str, command: str
) -> None:
    before = files(ada)
    with pytest.MonkeyPatch.context() as patch:  # its own: undoing it must not undo the home fixture's
        fill_disk(where, ada, patch)
        result = run(*write_args(command, tmp_path))
    assert_one_line_error(result, "No space left on device; nothing was changed (free some disk space")
    assert files(ada) == before
    assert run("done", OTHER).exit_code == 0  # once there is space again, writing works as before


def test_no_progress_plugin_hears_of_an_event_that_was_not_written(
    ada: Path, run: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "listener.py").write_text(
        "import cpo_learn\n\n@cpo_learn.hookimpl\ndef cpo_learn_progress_event(event):\n"
        "    print('HEARD', event.type)\n", encoding="utf-8")
    fill_disk("fsync", ada, monkeypatch)
    result = run("--plugins-dir", str(tmp_path / "plugins"), "done", OTHER)
    assert result.exit_code == 1 and "HEARD" not in result.output


# -- a missing home, or one that is not a folder ------------------------------------------------------------
@pytest.mark.parametrize(("args", "code", "says"), [
    (["learners"], 0, "no learners in"),
    (["learners", "--json"], 0, "[]"),
    (["report"], 0, "no learners in"),
    (["report", "--json"], 0, "[]"),
    (["progress"], 1, "no learner in"),
    (["next"], 1, "no learner in"),
    (["log"], 1, "no learner in"),
    (["export"], 1, "no learner in"),
    (["done", MODULE], 1, "no learner in"),
    (["undo"], 1, "no learner in"),
    (["--learner", "ada", "progress"], 1, "no learner 'ada' in"),
    (["--learner", "ada", "recover"], 1, "no learner 'ada' in"),
])
def test_a_missing_home_has_no_learners_and_is_not_created_by_reading(
    home: Path, run: Invoke, args: list[str], code: int, says: str
) -> None:
    assert not home.exists()
    result = run(*args)
    assert "Traceback" not in result.output
    assert result.exit_code == code, result.output
    assert says in (result.stdout if code == 0 else result.stderr)
    if code:
        assert result.stderr.count("\n") == 1, result.stderr
    assert not home.exists()


def test_a_missing_home_is_created_by_the_first_write(home: Path, run: Invoke) -> None:
    result = run("init", "--name", "Ada", "--stage", "education", "--hours", "6")
    assert result.exit_code == 0, result.output
    assert (home / "learners" / "ada.json").is_file()
    assert not [p for p in (home / "learners").iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("args", [["learners"], ["report"], ["progress"], ["--learner", "ada", "log"],
                                  ["init", "--name", "Ada", "--stage", "education", "--hours", "6"]])
def test_a_home_that_is_a_file_is_one_clear_error(home: Path, run: Invoke, args: list[str]) -> None:
    home.parent.mkdir(parents=True, exist_ok=True)
    home.write_bytes(b"not a folder")
    result = run(*args)
    assert_one_line_error(result, str(home))
    assert home.read_bytes() == b"not a folder"
