"""``cpo-learn skills``: every skill with what each of its levels looks like."""

from __future__ import annotations

import click

from cpo_learn.app.context import App
from cpo_learn.cli.options import echo_json, json_option, say


@click.command()
@json_option
@click.pass_obj
def skills(app: App, as_json: bool) -> None:
    """List the skills with their level statements: what a person at levels 1-5 does.

    Level 0 means "never done it" for every skill. Rate yourself against these with 'cpo-learn assess'.
    With --json: a list of {id, title, description, plugin, levels: [{level, statement}]}.

    \b
    Example:
        cpo-learn skills
        cpo-learn skills --json
    """
    from cpo_learn.app.assessment import skills_listing, skills_text

    catalog = app.catalog()
    if as_json:
        echo_json(skills_listing(catalog))
        return
    say(skills_text(catalog))
