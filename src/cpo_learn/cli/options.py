"""Options and output helpers the command modules share: ``--json``, ``--on DATE``, printing JSON."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def json_option(function: F) -> F:
    """``--json``: print only JSON on stdout."""
    decorated: F = click.option("--json", "as_json", is_flag=True, help="Print JSON only.")(function)
    return decorated


def echo_json(data: Any) -> None:
    """Print JSON on stdout."""
    from cpo_learn.rendering.json_data import dumps

    click.echo(dumps(data))


def parse_day(text: str, today: date | None = None) -> date:
    """``2026-05-01``, ``today`` or ``yesterday`` as a date; ``click.BadParameter`` otherwise or if future."""
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
    if day > today:
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
