"""Every command with hostile arguments: one error line, exit 1 or 2, and nothing written anywhere.

Unknown ids, dates that do not exist or have not happened, negative and huge numbers, empty strings, learner
names that try to leave the home, output paths that cannot be written and profiles that are not profiles. Each
case runs against a home with a learner in it and checks that every file under the test's folder (the home,
the working directory, the output paths) is byte-identical afterwards.
"""

from __future__ import annotations

import builtins
import errno
import os
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from helpers import Invoke

MODULE = "education/what-product-managers-do"
MILESTONE = "education/shipped-a-side-project"
OTHER = "education/talking-to-users"
TOMORROW = (date.today() + timedelta(days=1)).isoformat()

# Placeholders in the cases below, replaced by paths in the test's folder.
FILES: dict[str, bytes | None] = {
    "DIR": None,
    "FILE": b"just a file\n",
    "OLD.md": b"# my edited curriculum\n- [x] ticked by hand\n",
    "BINARY.toml": b"\x00\xff\xfe\x89PNG\r\n\x1a\n",
    "MALFORMED.toml": b'name = "Ada\nstage = \n',
    "TYPES.toml": b'name = "Ada"\nstage = ["mid-level"]\nhours_per_week = 6\n',
    "HOURS.toml": b'name = "Ada"\nstage = "education"\nhours_per_week = "lots"\n',
    "HUGE.toml": b'name = "Ada"\nstage = "education"\nhours_per_week = 1e309\n',
    "NAN.toml": b'name = "Ada"\nstage = "education"\nhours_per_week = nan\n',
    "SKILLS.toml": b'name = "Ada"\nstage = "education"\nhours_per_week = 6\nskills = ["analytics"]\n',
    "RATING.toml": 'name = "Ada"\nstage = "education"\nhours_per_week = 6\n[skills]\nanalytics = "²"\n'.encode(),
    "SECTION.toml": b'name = "Ada"\nstage = "education"\nhours_per_week = 6\nbackground = 3\n',
    "TIME.toml": b'name = "Ada"\nstage = "education"\nhours_per_week = 6\nstart = 12:00:00\n',
    "NESTED.toml": b'name = "Ada"\nstage = "education"\nhours_per_week = 6\n[experience]\nfunctions = [{a = 1}]\n',
    "UNKNOWN.toml": b'name = "Ada"\nstage = "education"\nhours_per_week = 6\nhours = 6\n',
}

CASES: list[tuple[str, list[str], int, str]] = [
    # unknown ids
    ("show unknown", ["show", "nope/nope"], 1, "unknown id 'nope/nope'"),
    ("show empty", ["show", ""], 1, "unknown id ''"),
    ("show newline", ["show", "a\nb"], 1, "unknown id 'a\\nb'"),
    ("start unknown", ["start", "nope/x"], 1, "unknown module 'nope/x'"),
    ("done empty", ["done", ""], 1, "unknown module ''"),
    ("skip huge id", ["skip", "x" * 5000], 1, "unknown module 'xxxx"),
    ("waive unknown", ["waive", "nope/x", "--reason", "r"], 1, "unknown module 'nope/x'"),
    ("reopen unknown", ["reopen", "nope/x"], 1, "unknown module 'nope/x'"),
    ("achieve unknown", ["achieve", "nope/x", "--evidence", "e"], 1, "unknown milestone 'nope/x'"),
    ("achieve a module", ["achieve", MODULE, "--evidence", "e"], 1, "is a module"),
    ("done a milestone", ["done", MILESTONE], 1, "is a milestone"),
    ("modules unknown stage", ["modules", "--stage", ""], 1, "unknown stage ''"),
    ("modules unknown skill", ["modules", "--skill", "analytix"], 1, "unknown skill 'analytix'"),
    ("milestones unknown stage", ["milestones", "--stage", "ceo"], 1, "unknown stage 'ceo'"),
    # dates
    ("done on a day that does not exist", ["done", MODULE, "--on", "2026-02-30"], 2, "is not a date"),
    ("done on 'tomorrow'", ["done", MODULE, "--on", "tomorrow"], 2, "is not a date"),
    ("done in the future", ["done", MODULE, "--on", TOMORROW], 2, "is in the future"),
    ("start in the future", ["start", MODULE, "--on", TOMORROW], 2, "is in the future"),
    ("achieve in the future", ["achieve", MILESTONE, "--evidence", "e", "--on", TOMORROW], 2, "in the future"),
    ("done in year 0", ["done", MODULE, "--on", "0000-01-01"], 2, "is not a date"),
    ("done in year 99999", ["done", MODULE, "--on", "99999-01-01"], 2, "is not a date"),
    ("done on an empty date", ["done", MODULE, "--on", ""], 2, "is not a date"),
    ("init start does not exist", ["init", "--start", "2026-02-30"], 2, "--start"),
    ("init start year 0", ["init", "--start", "0000-01-01"], 2, "--start"),
    ("init target date year 99999", ["init", "--target-date", "99999-12-31"], 2, "--target-date"),
    ("init target before start", ["init", "--start", "2026-01-01", "--target-date", "2025-01-01"], 2,
     "before the start date"),
    ("generate today does not exist", ["generate", "--today", "2026-02-30"], 2, "--today"),
    ("generate past year 9999", ["generate", "--today", "9999-12-31"], 2, "past the year 9999"),
    # numbers
    ("init negative hours", ["init", "--hours", "-1"], 2, "from 0.5 to 80 (got -1)"),
    ("init 1e309 hours", ["init", "--hours", "1e309"], 2, "(got inf)"),
    ("init nan hours", ["init", "--hours", "nan"], 2, "(got nan)"),
    ("init zero hours", ["init", "--hours", "0"], 2, "(got 0)"),
    ("init too many hours", ["init", "--hours", "81"], 2, "(got 81)"),
    ("init hours not a number", ["init", "--hours", "lots"], 2, "--hours"),
    ("init rating too high", ["init", "--skill", "analytics=99"], 2, "from 0 to 5 (got 99)"),
    ("init negative rating", ["init", "--skill", "analytics=-1"], 2, "from 0 to 5 (got -1)"),
    ("init superscript rating", ["init", "--skill", "analytics=²"], 2, "from 0 to 5 (got '²')"),
    ("init 5000-digit rating", ["init", "--skill", "analytics=" + "9" * 5000], 2, "from 0 to 5"),
    ("next negative", ["next", "-n", "-5"], 2, "-5 is not in the range"),
    ("next zero", ["next", "-n", "0"], 2, "0 is not in the range"),
    ("log negative", ["log", "-n", "-1"], 2, "-1 is not in the range"),
    ("note too long", ["done", OTHER, "--note", "x" * 20_000], 2, "'note' is longer than 10000"),
    ("reason too long", ["waive", MODULE, "--reason", "x" * 20_000], 2, "'reason' is longer than 10000"),
    ("evidence too long", ["achieve", MILESTONE, "--evidence", "x" * 20_000], 2, "'evidence' is longer"),
    # empty strings
    ("init empty name", ["init", "--name", ""], 2, "missing --name"),
    ("init empty stage", ["init", "--stage", ""], 2, "missing --stage"),
    ("init empty degree", ["init", "--degree", ""], 2, "unknown degree ''"),
    ("init empty company size", ["init", "--company-size", ""], 2, "unknown company_sizes value ''"),
    ("init empty skill", ["init", "--skill", ""], 2, "--skill takes SKILL=RATING"),
    ("init bare equals", ["init", "--skill", "="], 2, "--skill takes SKILL=RATING"),
    ("waive empty reason", ["waive", MODULE, "--reason", " "], 2, "give the reason in words"),
    ("achieve empty evidence", ["achieve", MILESTONE, "--evidence", ""], 2, "say what proves it"),
    ("generate empty format", ["generate", "--format", ""], 2, "unknown format ''"),
    ("generate empty output", ["generate", "-o", ""], 2, "cannot tell the format from ''"),
    ("export empty format", ["export", "--format", ""], 2, "--format"),
    ("export empty base", ["export", "--format", "xapi", "--base", ""], 2, "--base must be an http(s) address"),
    ("export base not a URL", ["export", "--format", "xapi", "--base", "javascript:x"], 2, "--base must be"),
    ("export empty mbox", ["export", "--format", "xapi", "--mbox", ""], 2, "--mbox must be an e-mail address"),
    ("import empty path", ["import", ""], 1, "Is a directory"),
    ("sync empty path", ["sync", ""], 1, "Is a directory"),
    ("validate empty path", ["validate", ""], 2, "does not exist"),
    ("plugin new empty name", ["plugin", "new", ""], 2, "invalid plugin name ''"),
    ("plugin new path name", ["plugin", "new", "../x"], 2, "invalid plugin name '../x'"),
    # learner names
    ("learner ../x", ["--learner", "../x", "done", MODULE], 1, "no learner 'x'"),
    ("learner /etc/passwd", ["--learner", "/etc/passwd", "progress"], 1, "no learner 'etc-passwd'"),
    ("learner empty", ["--learner", "", "done", MODULE], 2, "has no letter or digit"),
    ("learner ..", ["--learner", "..", "log"], 2, "has no letter or digit"),
    ("learner a/b", ["--learner", "a/b", "next"], 1, "no learner 'a-b'"),
    ("learner with NUL", ["--learner", "a\x00b", "done", MODULE], 1, "no learner 'a-b'"),
    ("learner empty for init", ["--learner", "", "init", "--name", "Bob", "--stage", "education", "--hours", "3"],
     2, "has no letter or digit"),
    ("learner .. for init", ["--learner", "..", "init", "--name", "Bob", "--stage", "education", "--hours", "3"],
     2, "has no letter or digit"),
    ("learner empty for import", ["--learner", "", "import", "ada.json"], 2, "has no letter or digit"),
    ("learner empty for export", ["--learner", "", "export"], 2, "has no letter or digit"),
    # input paths
    ("sync a file that is not a curriculum", ["sync", "FILE"], 1, "has no task lines"),
    ("sync a binary file", ["sync", "BINARY.toml"], 1, "not UTF-8 text"),
    ("sync a directory", ["sync", "DIR"], 2, "is a directory"),
    ("import a file that is not an export", ["import", "FILE"], 1, "FILE"),
    ("import a binary file", ["import", "BINARY.toml"], 1, "not UTF-8 text"),
    ("import a directory", ["import", "DIR"], 1, "Is a directory"),
    ("import a missing file", ["import", "DIR/missing.json"], 1, "No such file or directory"),
    ("plugins dir is a file", ["--plugins-dir", "FILE", "stages"], 2, "is a file"),
    ("plugins dir is missing", ["--plugins-dir", "DIR/missing", "stages"], 2, "does not exist"),
    # output paths (-o naming a folder writes the default file name into it: see test_friendly.py)
    ("generate under a file", ["generate", "-o", "FILE/sub/plan.md"], 1, "Not a directory"),
    ("export under a file", ["export", "-o", "FILE/x.json"], 1, "Not a directory"),
    ("plugin new under a file", ["plugin", "new", "acme-data", "--dir", "FILE"], 2, "is a file"),
    # --profile
    ("profile is a directory", ["generate", "--profile", "DIR"], 2, "is a directory"),
    ("profile is missing", ["generate", "--profile", "DIR/missing.toml"], 2, "does not exist"),
    ("profile is binary", ["generate", "--profile", "BINARY.toml", "-o", "-"], 1, "not UTF-8 text"),
    ("profile is malformed", ["generate", "--profile", "MALFORMED.toml", "-o", "-"], 1, "not valid TOML"),
    ("profile stage is a list", ["generate", "--profile", "TYPES.toml", "-o", "-"], 1, "unknown stage"),
    ("profile hours are words", ["generate", "--profile", "HOURS.toml"], 1, "hours_per_week must be a number"),
    ("profile hours 1e309", ["generate", "--profile", "HUGE.toml"], 1, "(got inf)"),
    ("profile hours nan", ["generate", "--profile", "NAN.toml"], 1, "(got nan)"),
    ("profile skills a list", ["generate", "--profile", "SKILLS.toml"], 1, "skills must map skill ids"),
    ("profile rating superscript", ["generate", "--profile", "RATING.toml"], 1, "from 0 to 5 (got '²')"),
    ("profile section a number", ["generate", "--profile", "SECTION.toml"], 1, "background must be a table"),
    ("profile start a time", ["generate", "--profile", "TIME.toml"], 1, "start must be a date"),
    ("profile nested tables", ["generate", "--profile", "NESTED.toml"], 1, "functions value"),
    ("profile unknown key", ["generate", "--profile", "UNKNOWN.toml"], 1, "unknown profile key 'hours'"),
]
if Path("/dev/full").exists():
    CASES += [
        ("generate to /dev/full", ["generate", "--format", "md", "-o", "/dev/full"], 1, "No space left on device"),
        ("export to /dev/full", ["export", "-o", "/dev/full"], 1, "No space left on device"),
        ("plugin new in /dev/full", ["plugin", "new", "acme-data", "--dir", "/dev/full"], 1, "Not a directory"),
    ]


@pytest.fixture
def folder(tmp_path: Path, run: Invoke) -> Path:
    """A learner, Ada (with a profile, a recorded event and a generated curriculum), and the files above."""
    result = run("init", "--name", "Ada", "--stage", "education", "--hours", "6", "--start", "2026-01-05")
    assert result.exit_code == 0, result.output
    assert run("done", MODULE).exit_code == 0
    assert run("generate", "--today", "2026-01-05").exit_code == 0
    assert run("export", "-o", str(tmp_path / "ada.json")).exit_code == 0
    for name, content in FILES.items():
        if content is None:
            (tmp_path / name).mkdir()
        else:
            (tmp_path / name).write_bytes(content)
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (None) under ``root``, but the cache cpo-learn may refresh."""
    found: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if relative.parts[0] == "cache":
            continue
        found[str(relative)] = None if path.is_dir() else path.read_bytes()
    return found


def assert_refused(result: Result, code: int, message: str) -> None:
    """Exit ``code``, exactly one line on stderr (``Error: ...``), nothing on stdout."""
    assert "Traceback" not in result.output
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    assert message in lines[0], lines[0]
    assert result.stdout == ""


def with_paths(args: list[str], root: Path) -> list[str]:
    out = []
    for arg in args:
        head, sep, rest = arg.partition("/")
        out.append(str(root / head) + sep + rest if head in FILES or head == "ada.json" else arg)
    return out


@pytest.mark.parametrize(("args", "code", "message"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_hostile_arguments_are_refused_in_one_line_and_write_nothing(
    folder: Path, run: Invoke, args: list[str], code: int, message: str
) -> None:
    args = with_paths(args, folder)
    before = snapshot(folder)
    result = run(*args)
    assert_refused(result, code, message)
    assert snapshot(folder) == before


@pytest.fixture
def no_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder nobody may write in: chmod where it bites; as root (CI), os.mkdir and open refuse in it."""
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    if os.geteuid() == 0:
        real_mkdir, real_open, real_os_open = os.mkdir, builtins.open, os.open

        def inside(path: Any) -> bool:
            if not isinstance(path, str | bytes | os.PathLike):
                return False
            where = Path(os.fsdecode(path)).absolute()
            return where != locked and where.is_relative_to(locked)

        def mkdir(path: Any, *args: Any, **kwargs: Any) -> None:
            if inside(path):
                raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
            real_mkdir(path, *args, **kwargs)

        def open_(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            if inside(file) and set(mode) & set("wax+"):
                raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(file))
            return real_open(file, mode, *args, **kwargs)

        def os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if inside(path) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))
            return real_os_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(os, "mkdir", mkdir)
        monkeypatch.setattr(os, "open", os_open)
        monkeypatch.setattr(builtins, "open", open_)
    yield locked
    locked.chmod(0o755)


@pytest.mark.parametrize("args", [
    ["generate", "-o", "locked/missing/plan.md"],
    ["generate", "--format", "html", "-o", "locked/plan.html"],
    ["export", "-o", "locked/ada.json"],
    ["plugin", "new", "acme-data", "--dir", "locked"],
])
def test_output_into_a_folder_without_permission_is_refused(
    folder: Path, no_permission: Path, run: Invoke, args: list[str]
) -> None:
    args = [str(folder / arg) if arg.startswith("locked") else arg for arg in args]
    before = snapshot(folder)
    result = run(*args)
    assert_refused(result, 1, "Permission denied")
    assert snapshot(folder) == before


def test_a_full_disk_while_writing_leaves_the_old_curriculum(folder: Path, run: Invoke,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    real_fsync = os.fsync

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    target = folder / "OLD.md"
    before = snapshot(folder)
    result = run("generate", "-o", str(target))
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert_refused(result, 1, "No space left on device")
    assert snapshot(folder) == before  # the edited file is intact and no temporary file is left


def test_huge_but_harmless_numbers_just_work(folder: Path, run: Invoke) -> None:
    result = run("next", "-n", "9" * 30, "--json")
    assert result.exit_code == 0, result.output
    result = run("log", "-n", "9" * 30)
    assert result.exit_code == 0 and "completed" in result.stdout
