"""``cpo-learn vocabulary``: every id and value a pack's front matter may name."""

from __future__ import annotations

import click

from cpo_learn.app.context import App
from cpo_learn.cli.options import echo_json, json_option


@click.command()
@json_option
@click.pass_obj
def vocabulary(app: App, as_json: bool) -> None:
    """List what front matter may name: stages, tracks, skills, practices, kinds.

    Stages say which skill levels their modules usually bring learners to; skills show every description
    and level statement the catalog carries; practices say what they mean. A pack's own skills and
    practices are listed once it is loaded (--plugins-dir). With --json: {stages, tracks, skills,
    practices, module_kinds, resource_kinds, costs}.

    \b
    Example:
        cpo-learn vocabulary
        cpo-learn vocabulary --json
        cpo-learn --plugins-dir ./my-plugins vocabulary
    """
    from cpo_learn.app.vocabulary import vocabulary as build
    from cpo_learn.app.vocabulary import vocabulary_text

    data = build(app.catalog())
    if as_json:
        echo_json(data)
        return
    click.echo(vocabulary_text(data))
