"""``cpo-learn validate``: check packs and plugins, reporting every problem at once."""

from __future__ import annotations

import click

from cpo_learn.app.context import App
from cpo_learn.cli.options import echo_json, json_option


@click.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...", type=click.Path(exists=True))
@json_option
@click.pass_obj
def validate(app: App, paths: tuple[str, ...], as_json: bool) -> None:
    """Validate content packs and plugin files; exit 1 if anything is wrong.

    With no PATH, validates everything installed. A PATH is a pack directory (with pack.toml), a plugin
    folder made by 'cpo-learn plugin new' (its pack is found inside), or a plugin .py file; it is checked
    together with the installed content, so it may build on it, and it stands in for an installed plugin
    of the same name. Problems caused by another problem are labelled 'knock-on' and listed last.
    With --json, prints {ok, checked, registered, problems: [{path, line, message, plugin, knock_on}],
    left_out, summary} (for CI).

    \b
    Example:
        cpo-learn validate
        cpo-learn validate ./acme-data
        cpo-learn validate ./my-pack --json
    """
    from cpo_learn.app.validation import validate_everything

    report = validate_everything(app, list(paths))
    if as_json:
        echo_json(report.to_json())
        if report.problems:
            raise SystemExit(1)
        return
    for problem in report.problems:
        click.echo(str(problem))
    if report.problems:
        knock_ons = sum(p.knock_on for p in report.problems)
        more = f" ({knock_ons} of them knock-on)" if knock_ons else ""
        click.echo(f"{len(report.problems)} problem(s) found{more}", err=True)
        raise SystemExit(1)
    click.echo(report.summary)
