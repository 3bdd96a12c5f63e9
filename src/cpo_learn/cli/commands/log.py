"""``log``: the learner's event log, oldest first."""

from __future__ import annotations

import click

from cpo_learn.app.context import App
from cpo_learn.cli.options import echo_json, json_option, say, show_table


@click.command()
@click.option("-n", "--last", "last", type=click.IntRange(min=1), metavar="N", help="Only the last N events.")
@json_option
@click.pass_obj
def log(app: App, last: int | None, as_json: bool) -> None:
    """Show every recorded event, oldest first (undone ones are marked, nothing is ever deleted).

    \b
    Example:
        cpo-learn log
        cpo-learn log -n 5 --json
    """
    from cpo_learn.rendering.text_table import status_style
    from cpo_learn.tracking.events import reversed_ids

    events = app.store().events()
    gone = reversed_ids(events)
    shown = events[-last:] if last else events
    if as_json:
        echo_json([event.to_dict() for event in shown])
        return
    if not shown:
        say("nothing recorded yet (record progress with 'cpo-learn start ID' or 'cpo-learn done ID')")
        return
    rows = []
    for event in shown:
        when = event.moment.astimezone().strftime("%Y-%m-%d %H:%M")
        detail = event.text or ""
        if event.on is not None:
            detail = f"on {event.on.isoformat()}" + (f"; {detail}" if detail else "")
        if event.type == "undone" and event.reverses:
            detail = f"reverses {event.reverses[:8]}"
        if event.level is not None:
            detail = f"level {event.level}" + (f"; {detail}" if detail else "")
        kind = event.type + (" (undone)" if event.id in gone else "")
        rows.append([when, event.id[:8], kind, event.target, detail.replace("\n", " ")])
    show_table(rows, ["recorded", "id", "event", "target", "detail"], flex=["target", "detail"],
               style=status_style(2))
