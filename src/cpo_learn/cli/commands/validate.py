"""``cpo-learn validate``: check packs and plugins, reporting every problem at once."""

from __future__ import annotations

import click

from cpo_learn.app.context import App


@click.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...", type=click.Path(exists=True))
@click.pass_obj
def validate(app: App, paths: tuple[str, ...]) -> None:
    """Validate content packs and plugin files; exit 1 if anything is wrong.

    With no PATH, validates everything installed. A PATH is a pack directory (with pack.toml) or a
    plugin .py file; it is checked together with the installed content, so it may build on it.

    \b
    Example:
        cpo-learn validate
        cpo-learn validate ./my-pack
    """
    from cpo_learn.app.validation import validate_everything

    report = validate_everything(app, list(paths))
    for problem in report.problems:
        click.echo(str(problem))
    if report.problems:
        click.echo(f"{len(report.problems)} problem(s) found", err=True)
        raise SystemExit(1)
    click.echo(report.summary)
