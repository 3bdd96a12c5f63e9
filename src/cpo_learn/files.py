"""The one way cpo-learn replaces a file: write it beside itself, then rename it over, all or nothing.

A reader sees the old file or the new one, never a mix; a full disk or a killed process never leaves half a
file; a failed write leaves nothing behind. Learner files, curricula, exports and caches all go through
``write_atomically`` (caches without the fsyncs, since losing one only costs working it out again).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path


def fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":  # pragma: no cover - not reached on POSIX CI
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def backup_path(path: Path) -> Path:
    """Where ``write_atomically(..., keep_backup=True)`` keeps the copy of ``path`` from before the write."""
    return path.with_name(path.name + ".bak")


def write_atomically(path: str | Path, payload: bytes, *, temp: str | Path | None = None,
                     keep_backup: bool = False, durable: bool = True, mode: int | None = None,
                     verify: Callable[[bytes], str | None] | None = None) -> None:
    """Replace ``path`` by ``payload`` all at once.

    ``temp`` is the file written first (default ``.<name>.<pid>.tmp`` beside it; a caller holding a lock may
    use a fixed name). With ``keep_backup`` the replaced file becomes ``backup_path(path)``; with ``durable``
    the data and the rename are fsynced; ``mode`` sets the new file's permission bits. ``verify``, when
    given, reads the temporary file back before the rename and returns why it is not good (None: good): a
    file that would not read back is never put in place. A write that fails raises ``OSError`` and leaves
    ``path`` as it was, with no temporary file beside it.
    """
    target = Path(path)
    tmp = Path(temp) if temp is not None else target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o666)
        try:
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        if mode is not None:
            os.chmod(tmp, mode)
        if verify is not None:
            problem = verify(tmp.read_bytes())
            if problem is not None:
                raise OSError(errno.EIO, f"the file written does not read back ({problem})")
        if keep_backup and target.exists():
            _keep_backup(target)
        os.replace(tmp, target)
    except BaseException:
        _discard(tmp)
        raise
    if durable:
        fsync_directory(target.parent)


def write_text_file(path: Path, text: str, encoding: str = "utf-8", newline: str | None = None) -> None:
    """Write ``text`` to a file the user named, whole or not at all (``OSError`` says why not).

    A regular file (new or existing) goes through ``write_atomically`` and keeps its permissions; through a
    symlink, the file it points to is replaced, not the link. Anything else (``/dev/stdout``, a pipe) is
    written directly, and a directory fails. ``newline`` translates ``\\n`` as ``open()`` does.
    """
    if newline is None:
        newline = os.linesep
    if newline not in ("", "\n"):
        text = text.replace("\n", newline)
    payload = text.encode(encoding)
    try:
        current: int | None = os.stat(path).st_mode
    except FileNotFoundError:
        current = None
    if current is not None and not stat.S_ISREG(current):
        with open(path, "wb") as handle:
            handle.write(payload)
        return
    target = Path(os.path.realpath(path))
    write_atomically(target, payload, mode=stat.S_IMODE(current) if current is not None else None)


def copy_atomically(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` (fsynced) whole or not at all: a full disk leaves no part-copy behind."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        _copy_synced(source, tmp)
        os.replace(tmp, target)
    except BaseException:
        _discard(tmp)
        raise
    fsync_directory(target.parent)


def _copy_synced(source: Path, target: Path) -> None:
    """Copy ``source`` to ``target`` and fsync the copy (the caller renames it into place)."""
    import shutil  # lazily: it imports the compression modules

    shutil.copyfile(source, target)
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _discard(path: Path) -> None:
    """Remove a temporary file after a failed write, if it can be removed (a read-only home may refuse)."""
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


def _keep_backup(path: Path) -> None:
    """Make the backup the current (good) content of ``path`` before it is replaced."""
    backup = backup_path(path)
    staging = backup.with_name(backup.name + ".tmp")
    staging.unlink(missing_ok=True)
    try:
        try:
            # A hard link costs nothing; once ``path`` is renamed over, only the backup still names the old file.
            os.link(path, staging)
        except OSError:  # file systems without hard links
            _copy_synced(path, staging)
        os.replace(staging, backup)
    except BaseException:
        _discard(staging)
        raise


def names_folder(output: str) -> bool:
    """Whether an ``-o`` argument names a folder: one that exists, or any path ending in a separator."""
    return output.endswith(("/", os.sep)) or Path(output).is_dir()


def output_path(output: str, default_name: str) -> Path:
    """Where ``-o output`` writes: into the folder it names under ``default_name``, else the file it names."""
    return Path(output) / default_name if names_folder(output) else Path(output)


def clashing_suffix(path: Path, wanted: str, suffixes: dict[str, str]) -> str | None:
    """The format (a key of ``suffixes``: format -> file suffix) that ``path``'s suffix stands for when that is
    not the ``wanted`` suffix: ``plan.md`` written as HTML. None when they agree or the suffix is no format's."""
    suffix = path.suffix.lower()
    if not suffix or suffix == wanted.lower():
        return None
    others = sorted(name for name, other in suffixes.items() if other.lower() == suffix)
    return others[0] if others else None
