"""``sync FILE.md``: record the boxes ticked in an edited curriculum."""

from __future__ import annotations

from pathlib import Path

import click

from cpo_learn.app.context import App
from cpo_learn.cli.options import say


@click.command()
@click.argument("file", metavar="FILE.md", type=click.Path(dir_okay=False))
@click.option("--reopen", is_flag=True,
              help="Also reopen done modules and achieved milestones whose boxes are unticked in the file.")
@click.option("--dry-run", is_flag=True, help="Show what would be recorded; record nothing.")
@click.pass_obj
def sync(app: App, file: str, reopen: bool, dry_run: bool) -> None:
    """Record the modules (and milestones) you ticked in your curriculum's Markdown as completed.

    Edit the curriculum 'generate' wrote, tick boxes ('- [x]'), then sync it. Boxes you unticked for modules
    already done are listed, and reopened only with --reopen. Running it twice records nothing new.

    \b
    Example:
        cpo-learn generate -o curricula/ada.md
        # tick '- [x]' the modules you finished, then:
        cpo-learn sync curricula/ada.md
    """
    from cpo_learn.app.sync import sync_boxes
    from cpo_learn.tracking.sync import task_lines

    path = Path(file)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise click.FileError(file, exc.strerror or str(exc)) from None
    except UnicodeDecodeError:
        raise click.FileError(file, "not UTF-8 text") from None
    lines = task_lines(text)
    if not lines:
        raise click.ClickException(
            f"{file} has no task lines with ids ('- [x] ... `namespace/slug`'): is it a curriculum "
            "written by 'cpo-learn generate'?")
    result, recorded = sync_boxes(app, text, lines, path.name, reopen=reopen, dry_run=dry_run)
    verb = "would record" if dry_run else "recorded"
    for event in result.record:
        what = "achieved" if event.type == "milestone_achieved" else event.type
        say(f"{verb}: {what} {event.target}")
    if not result.record:
        say(f"nothing new to record from {file} ({result.unchanged} boxes already match)")
    if result.newer:
        say(f"{file} is older than your record ({', '.join(result.newer)} recorded since it was "
            "generated): regenerate it with 'cpo-learn generate' rather than reopening them")
    left = [item for item in result.untick_done if not reopen]
    if left:
        say(f"unticked in {file} but recorded as done (reopen them with --reopen): {', '.join(left)}")
    for task in result.unknown:
        say(f"warning: {file}:{task.line}: unknown id '{task.id}'; left alone", err=True)
    app.notify(recorded, app.learner())
