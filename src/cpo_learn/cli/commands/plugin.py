"""``cpo-learn plugin new``: scaffold a plugin package."""

from __future__ import annotations

from pathlib import Path

import click

from cpo_learn.content.model import STAGE_IDS


@click.group()
def plugin() -> None:
    """Tools for plugin authors.

    \b
    Example:
        cpo-learn plugin new acme-data --stage mid-level
    """


@plugin.command("new")
@click.argument("name")
@click.option("--stage", type=click.Choice(STAGE_IDS), default="mid-level", show_default=True,
              help="The stage the sample module and milestone belong to.")
@click.option("--dir", "directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              help="Folder to create the package in (default: the current one).")
def new(name: str, stage: str, directory: Path) -> None:
    """Create an installable plugin package NAME with a content pack and a passing test.

    \b
    Example:
        cpo-learn plugin new acme-data --stage mid-level
        pip install -e acme-data
        cpo-learn modules --stage mid-level
    """
    from cpo_learn.app.scaffold import create_plugin

    target = create_plugin(name, stage, directory)
    click.echo(f"created {target}")
    click.echo(f"next: pip install -e '{target}[test]' && cpo-learn plugins && pytest {target}")
