"""Options and output helpers the command modules share: ``--json``, ``--on DATE``, printing JSON, and the
terminal's display settings (``--wide``, ``--no-color``, the width, colour) with the tables printed by them."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

import click

from cpo_learn.terminal import terminal_text

if TYPE_CHECKING:
    from cpo_learn.rendering.text_table import Styler

F = TypeVar("F", bound=Callable[..., Any])

_WIDE = "cpo_learn.wide"
_NO_COLOR = "cpo_learn.no_color"


@dataclass(frozen=True)
class Display:
    """How to print for a person: the width to fit (None: no limit) and whether to use colour."""

    width: int | None
    colour: bool


def set_display(ctx: click.Context, *, wide: bool = False, no_color: bool = False) -> None:
    """Remember ``--wide`` and ``--no-color`` for the run (given before or after the command)."""
    meta = ctx.find_root().meta
    meta[_WIDE] = meta.get(_WIDE, False) or wide
    meta[_NO_COLOR] = meta.get(_NO_COLOR, False) or no_color


def stdout_is_terminal() -> bool:
    """Whether stdout is a terminal (tests force it to check colour)."""
    return sys.stdout.isatty()


def terminal_width() -> int | None:
    """The width to fit: ``COLUMNS`` when set, else the terminal's; None into a pipe or a file (nothing cut)."""
    try:
        columns = int(os.environ.get("COLUMNS", "") or 0)
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    if not stdout_is_terminal():
        return None
    import shutil

    return shutil.get_terminal_size().columns


def display() -> Display:
    """The display settings of the running command: ``--wide`` lifts the width, colour only on a terminal."""
    from cpo_learn.terminal import colour_wanted

    ctx = click.get_current_context(silent=True)
    meta = ctx.find_root().meta if ctx is not None else {}
    width = None if meta.get(_WIDE) else terminal_width()
    colour = colour_wanted(on_terminal=stdout_is_terminal(), environ=os.environ, refused=bool(meta.get(_NO_COLOR)))
    return Display(width, colour)


def show_table(rows: Iterable[Sequence[str]], headers: Sequence[str], *, flex: Iterable[str] = (),
               style: Styler | None = None) -> None:
    """Print a table that fits the terminal (free-text columns named in ``flex`` are cut first, with "…";
    ``--wide`` shows them whole), statuses painted by ``style`` when colour is wanted."""
    from cpo_learn.rendering.text_table import columns, table

    shown = display()
    # cells are escaped by ``table`` itself: ``say`` would escape the colour codes too
    click.echo(table(rows, columns(headers, flex), width=shown.width, style=style if shown.colour else None))


def json_option(function: F) -> F:
    """``--json``: print only JSON on stdout."""
    decorated: F = click.option("--json", "as_json", is_flag=True, help="Print JSON only.")(function)
    return decorated


def echo_json(data: Any) -> None:
    """Print JSON on stdout (every character that is not printable is a ``\\u`` escape: see ``dumps``)."""
    from cpo_learn.rendering.json_data import dumps

    click.echo(dumps(data))


def say(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Print a line for a person to read: nothing from content, names or notes reaches the terminal raw
    (``terminal_text`` escapes control characters, keeping newlines)."""
    click.echo(terminal_text(message), err=err, nl=nl)


def emit(data: str) -> None:
    """Print a document on stdout (``generate -o -``, ``export``): as it is into a pipe or a file, with
    control characters escaped when stdout is a terminal."""
    click.echo(terminal_text(data) if sys.stdout.isatty() else data, nl=False)


def parse_day(text: str, today: date | None = None, *, future: bool = False) -> date:
    """``2026-05-01``, ``today`` or ``yesterday`` as a date; ``click.BadParameter`` otherwise, or if it is in
    the future and ``future`` is not set (a day something happened cannot be to come; a week to look at can)."""
    if today is None:
        from cpo_learn import clock

        today = clock.today()
    word = text.strip().lower()
    if word == "today":
        return today
    if word == "yesterday":
        return today - timedelta(days=1)
    try:
        day = date.fromisoformat(word)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a date: use YYYY-MM-DD (like {today.isoformat()}), "
                                 "'today' or 'yesterday'") from None
    if day > today and not future:
        raise click.BadParameter(f"{day.isoformat()} is in the future (today is {today.isoformat()}); "
                                 "record things once they have happened")
    return day


def _convert(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    return None if value is None else parse_day(value)


def on_option(function: F) -> F:
    """``--on DATE``: when it happened, if not today."""
    decorated: F = click.option(
        "--on", "on", metavar="DATE", callback=_convert,
        help="The day it happened (YYYY-MM-DD, 'today' or 'yesterday'; default: today).",
    )(function)
    return decorated


def force_option(function: F) -> F:
    """``--force``: record a day before the start date or more than a year ago (``--on``)."""
    decorated: F = click.option(
        "--force", is_flag=True,
        help="Accept an --on day before your start date or more than a year ago.",
    )(function)
    return decorated
