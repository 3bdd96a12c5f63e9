"""Options and output helpers the command modules share: ``--json``, ``--on DATE``, printing JSON."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar

import click

from cpo_learn.terminal import terminal_text

F = TypeVar("F", bound=Callable[..., Any])


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
