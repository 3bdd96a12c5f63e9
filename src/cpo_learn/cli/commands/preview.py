"""``cpo-learn preview``: a pack's modules and milestones as a learner would see them, without a learner."""

from __future__ import annotations

import click

from cpo_learn.app.context import App


@click.command()
@click.argument("target", metavar="PATH_OR_ID")
@click.option("--format", "fmt", type=click.Choice(("md", "html")), default="md", show_default=True,
              help="Markdown, or a standalone HTML page.")
@click.option("-o", "--output", metavar="FILE", default="-", show_default=True,
              help="Where to write it ('-' for stdout).")
@click.pass_obj
def preview(app: App, target: str, fmt: str, output: str) -> None:
    """Render modules and milestones the way a learner's curriculum shows them.

    PATH_OR_ID is a pack folder (or a folder made by 'cpo-learn plugin new', or a plugin .py file),
    loaded on top of the installed content, or the id of a module, milestone, stage, track or plugin.
    Items with problems are left out (one warning line; 'cpo-learn validate PATH' lists them).

    \b
    Example:
        cpo-learn preview ./acme-data
        cpo-learn preview mid-level/continuous-discovery
        cpo-learn preview mentorship --format html -o mentorship.html
    """
    from cpo_learn.app.preview import preview as build
    from cpo_learn.files import write_text_file

    result = build(app, target, fmt)
    if result.problems:
        more = f" (+{result.problems - 1} more)" if result.problems > 1 else ""
        click.echo(f"cpo-learn: warning: left out of the preview: {result.first_problem}{more}; run "
                   f"'cpo-learn validate {target}' to see every problem", err=True)
    if output == "-":
        click.echo(result.text, nl=False)
    else:
        from pathlib import Path

        write_text_file(Path(output), result.text)
        click.echo(f"wrote {output}", err=True)
