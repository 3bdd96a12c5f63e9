"""``learners`` and ``report``: everyone in the home, for trainers and organisations."""

from __future__ import annotations

import sys

import click

from cpo_learn.app.context import App
from cpo_learn.cli.options import display, echo_json, emit, json_option, say, show_table

PROGRESS_BAR_FROM = 50  # learners; fewer are read before anyone notices


@click.command()
@json_option
@click.pass_obj
def learners(app: App, as_json: bool) -> None:
    """List the learners in the home: name, stage, events recorded, last activity.

    \b
    Example:
        cpo-learn learners
        cpo-learn --home /srv/academy learners --json
    """
    from cpo_learn.app.report import list_learners

    rows = list_learners(app.tracker)
    for row in rows:
        if row.message:
            say(f"error: {row.message}", err=True)
    if as_json:
        echo_json([row.to_dict() for row in rows])
    elif rows:
        show_table([[r.learner, r.name or "", r.stage or "", "" if r.events is None else str(r.events),
                     (r.last_activity or "")[:10] if not r.error else "damaged: see above"]
                    for r in rows], ["learner", "name", "stage", "events", "last activity"], flex=["name"])
    else:
        say(f"no learners in {app.home} yet (create one with 'cpo-learn init')")
    if any(row.error for row in rows):
        sys.exit(1)


@click.command()
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV (for a spreadsheet) instead of a table.")
@json_option
@click.pass_obj
def report(app: App, as_csv: bool, as_json: bool) -> None:
    """Every learner in the home side by side: stage, percent done, hours, pace, last activity.

    Reading many learners shows a progress bar on stderr.

    \b
    Example:
        cpo-learn --home /srv/academy report
        cpo-learn --home /srv/academy report --csv > cohort.csv
    """
    from cpo_learn.app.report import RowReader, report_csv, report_table

    slugs = app.tracker.learners()
    reader = RowReader(app.tracker, app.host, app.catalog(), app.today())
    with click.progressbar(slugs, label="reading learners", file=sys.stderr,
                           hidden=len(slugs) <= PROGRESS_BAR_FROM) as bar:
        rows = [reader.row(slug) for slug in bar]
    reader.save()
    for row in rows:
        if row.error:
            say(f"error: {row.error}", err=True)
    if as_json:
        echo_json([row.to_dict() for row in rows])
    elif as_csv:
        emit(report_csv(rows))
    elif rows:
        click.echo(report_table(rows, width=display().width))
    else:
        say(f"no learners in {app.home} yet (create one with 'cpo-learn init')")
    if any(row.error for row in rows):
        sys.exit(1)
