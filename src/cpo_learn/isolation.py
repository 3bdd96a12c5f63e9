"""Running a plugin's code so that nothing it does takes cpo-learn down: the one place that contains it.

``run_contained`` calls plugin code (an import, a hook, an output format) and returns an ``Outcome``:

- whatever it raises is contained, ``BaseException`` included (``sys.exit(3)`` at import,
  ``KeyboardInterrupt`` raised by the plugin itself), and described in one line for the host to report with
  the plugin's name. Only a real Ctrl-C from the user (SIGINT arriving while the plugin runs) goes on up, so
  the command stops as the user asked;
- it gets ``CPO_LEARN_PLUGIN_TIMEOUT`` seconds (default ``DEFAULT_TIMEOUT``; ``0`` for no limit), after which
  it is interrupted and reported as hanging. That needs SIGALRM, so it holds on POSIX in the main thread;
  elsewhere plugins run without a limit;
- it cannot write into stdout: ``sys.stdout`` is redirected to stderr and so is file descriptor 1 itself
  (``os.write(1, ...)``, ``sys.__stdout__``, a child process), so ``--json`` and ``generate -o -`` stay clean.

Pure standard library; imported by the plugin host and by the exporters, which run formats from plugins.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from cpo_learn.terminal import one_line

DEFAULT_TIMEOUT = 60.0
"""Seconds a plugin's import or hook may take before it is reported and skipped: generous, since a network
call to an LRS may be slow, yet short of "hung"."""
TIMEOUT_VARIABLE = "CPO_LEARN_PLUGIN_TIMEOUT"


class PluginTimeout(BaseException):
    """Raised inside plugin code that ran past its time (a ``BaseException``, so ``except Exception`` in the
    plugin does not swallow it)."""


@dataclass(frozen=True)
class Outcome:
    """What running plugin code gave: ``value`` when ``ok``, else ``problem`` (one line, without the name)."""

    ok: bool
    value: Any = None
    problem: str | None = None
    error: BaseException | None = None


def timeout_from(env: Mapping[str, str]) -> float:
    """The time limit in seconds from ``CPO_LEARN_PLUGIN_TIMEOUT`` (0: none; unreadable: the default)."""
    text = env.get(TIMEOUT_VARIABLE, "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        return DEFAULT_TIMEOUT
    return value if value >= 0 and value == value and value != float("inf") else DEFAULT_TIMEOUT


def describe(exc: BaseException) -> str:
    """``Type: message`` of an exception, in one line, even when its ``str()`` fails."""
    try:
        text = str(exc)
    except Exception:  # a plugin's exception class may fail at anything
        text = "(its message cannot be shown)"
    return one_line(f"{type(exc).__name__}: {text}" if text else type(exc).__name__)


class _Depth:
    depth = 0


_active = _Depth()  # cpo-learn runs plugin code from one thread at a time, so one counter will do


def run_contained(function: Callable[..., Any], /, *args: Any, timeout: float = DEFAULT_TIMEOUT,
                  **kwargs: Any) -> Outcome:
    """Call ``function(*args, **kwargs)`` as plugin code (see the module's text)."""
    if _active.depth:  # plugin code calling back into plugin code: the outer call guards it
        return _call(function, args, kwargs)
    _active.depth = 1
    try:
        with _stdout_to_stderr(), _guarded(timeout) as interrupted:
            outcome = _call(function, args, kwargs, interrupted)
    except PluginTimeout as exc:  # the alarm rang just as the plugin returned
        outcome = Outcome(False, problem=str(exc), error=exc)
    finally:
        _active.depth = 0
    return outcome


def _call(function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
          interrupted: list[bool] | None = None) -> Outcome:
    try:
        return Outcome(True, function(*args, **kwargs))
    except PluginTimeout as exc:
        return Outcome(False, problem=str(exc), error=exc)
    except KeyboardInterrupt as exc:
        if interrupted is None or interrupted[0]:  # the user pressed Ctrl-C: stop, as asked
            raise
        return Outcome(False, problem=describe(exc), error=exc)
    except BaseException as exc:
        return Outcome(False, problem=describe(exc), error=exc)


@contextlib.contextmanager
def _guarded(timeout: float) -> Iterator[list[bool]]:
    """SIGINT marks a real Ctrl-C; SIGALRM after ``timeout`` seconds interrupts the plugin (main thread only)."""
    import signal  # on first use, not when the module is imported

    interrupted = [False]

    def on_sigint(signum: int, frame: Any) -> None:
        interrupted[0] = True
        raise KeyboardInterrupt

    def on_alarm(signum: int, frame: Any) -> None:
        raise PluginTimeout(f"did not finish within {timeout:g} s ({TIMEOUT_VARIABLE}); it was stopped")

    try:
        previous_int = signal.signal(signal.SIGINT, on_sigint)
    except ValueError:  # not the main thread: no handlers, and any KeyboardInterrupt is taken as the user's
        interrupted[0] = True
        yield interrupted
        return
    if not hasattr(signal, "SIGALRM"):  # Windows: no timer
        timeout = 0
    previous_alarm = signal.signal(signal.SIGALRM, on_alarm) if timeout else None
    if timeout:
        signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        yield interrupted
    finally:
        if timeout:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous_alarm)
        signal.signal(signal.SIGINT, previous_int)


def _flush(stream: Any) -> None:
    with contextlib.suppress(Exception):
        if stream is not None:
            stream.flush()


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Everything written to stdout while plugin code runs goes to stderr, down to file descriptor 1."""
    _flush(sys.stdout)  # what cpo-learn printed so far belongs on stdout
    _flush(sys.__stdout__)
    saved: int | None = None
    try:
        saved = os.dup(1)
        os.dup2(2, 1)
    except OSError:  # no file descriptor 1 or 2 (a closed stream): Python's redirection still holds
        if saved is not None:
            os.close(saved)
            saved = None
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        _flush(sys.__stdout__)  # the plugin's buffered writes go where fd 1 points now: stderr
        if saved is not None:
            os.dup2(saved, 1)
            os.close(saved)
