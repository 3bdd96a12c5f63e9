"""Small pieces the command modules share."""

from __future__ import annotations

from collections.abc import Callable
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
