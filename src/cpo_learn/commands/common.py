"""Small pieces the command modules share."""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def json_option(function: F) -> F:
    """``--json``: print only JSON on stdout."""
    decorated: F = click.option("--json", "as_json", is_flag=True, help="Print JSON only.")(function)
    return decorated


def echo_json(data: Any) -> None:
    """Print JSON on stdout."""
    from cpo_learn.output import dumps

    click.echo(dumps(data))


def write_text_file(path: Path, text: str, encoding: str = "utf-8", newline: str | None = None) -> None:
    """Write ``text`` to ``path`` whole or not at all (``OSError`` says why not).

    A regular file (new or existing) is written beside itself and renamed over, so a full disk or a killed
    process never leaves half a file (or an emptied curriculum with the learner's ticks in it); nothing is left
    behind when it fails. Anything else (``/dev/stdout``, a pipe) is written directly, and a directory fails.
    """
    try:
        mode: int | None = os.stat(path).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        with open(path, "w", encoding=encoding, newline=newline) as handle:
            handle.write(text)
        return
    target = Path(os.path.realpath(path))  # through a symlink, replace the file it points to, not the link
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(temp, "w", encoding=encoding, newline=newline) as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temp, stat.S_IMODE(mode))
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
        raise
