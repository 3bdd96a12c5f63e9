"""The write lock of one learner file: ``flock`` through ``fcntl`` where the platform has it, else ``filelock``.

``filelock`` imports ``logging``, ``secrets`` and ``hashlib`` (18-28 ms, more than the rest of ``done``), so on
POSIX the lock is taken directly with ``fcntl.flock``, which is what ``filelock``'s Unix lock does too: the two
exclude each other on the same file, and a killed holder releases its lock at once.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


class LockTimeout(Exception):
    """The lock was not had within the timeout."""


def acquire(path: str, timeout: float, poll_interval: float = 0.002) -> Callable[[], None]:
    """Take an exclusive lock on the file ``path`` (created if missing) and return the function releasing it.

    ``LockTimeout`` when another process holds it for ``timeout`` seconds; ``OSError`` when the lock file
    cannot be opened.
    """
    if fcntl is None:  # pragma: no cover - Windows
        from filelock import FileLock, Timeout

        lock = FileLock(path, timeout=timeout, poll_interval=poll_interval)
        try:
            lock.acquire()
        except Timeout:
            raise LockTimeout(path) from None
        return lambda: lock.release()
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(fd)
                raise LockTimeout(path) from None
            time.sleep(poll_interval)
        except BaseException:
            os.close(fd)
            raise

    def release() -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    return release
