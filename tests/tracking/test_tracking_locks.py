"""The learner-file lock: flock where the platform has it, excluding filelock's lock on the same file."""

from __future__ import annotations

from pathlib import Path

import pytest
from filelock import FileLock, Timeout

from cpo_learn.tracking.locks import LockTimeout, acquire


def test_a_held_lock_times_out_the_next_taker_and_is_free_again_once_released(tmp_path: Path) -> None:
    path = str(tmp_path / "ada.json.lock")
    release = acquire(path, timeout=1)
    with pytest.raises(LockTimeout):
        acquire(path, timeout=0.05)
    release()
    acquire(path, timeout=0.05)()


def test_flock_and_filelock_exclude_each_other(tmp_path: Path) -> None:
    path = str(tmp_path / "ada.json.lock")
    release = acquire(path, timeout=1)
    with pytest.raises(Timeout):
        FileLock(path, timeout=0.05).acquire()
    release()
    other = FileLock(path, timeout=0.05)
    other.acquire()
    with pytest.raises(LockTimeout):
        acquire(path, timeout=0.05)
    other.release()


def test_a_lock_file_that_cannot_be_created_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        acquire(str(tmp_path / "missing" / "ada.json.lock"), timeout=0.05)
