"""``cpo-learn schema``: the JSON Schema of the pack format, for editors and CI."""

from __future__ import annotations

import click

from cpo_learn.app.context import App


@click.command()
@click.argument("kind", required=False, type=click.Choice(
    ("module", "milestone", "stage", "track", "skill", "practice", "pack")))
@click.option("--installed", is_flag=True,
              help="Allow only the installed stages, tracks, skills and practices as values.")
@click.pass_obj
def schema(app: App, kind: str | None, installed: bool) -> None:
    """Print the JSON Schema of pack files (or of one KIND: module, milestone, ..., pack for pack.toml).

    Generated from the rules 'cpo-learn validate' uses. Save it and point your editor's YAML support at it,
    e.g. with a first front-matter line '# yaml-language-server: $schema=../../schemas/module.json'. It
    checks what one file says on its own; 'validate' also checks that the ids it names exist.

    \b
    Example:
        cpo-learn schema > pack.schema.json
        cpo-learn schema module > schemas/module.json
        cpo-learn schema --installed module
    """
    import json

    from cpo_learn.content.schema import dumps, schema_document, schema_for, shipped_text

    if installed:
        catalog = app.catalog()
        document = schema_document({
            "stage": [s.id for s in catalog.stages], "track": [t.id for t in catalog.tracks],
            "skill": list(catalog.skills), "practice": list(catalog.practices),
        })
    elif kind is None:
        click.echo(shipped_text(), nl=False)
        return
    else:
        document = json.loads(shipped_text())
    click.echo(dumps(schema_for(document, kind)), nl=False)
