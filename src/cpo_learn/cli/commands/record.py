"""Recording progress: ``start``, ``done``, ``skip``, ``waive``, ``reopen``, ``undo``, ``achieve``.

Each command parses its arguments and calls its use case in ``cpo_learn.app.recording``, which appends at most
one event to the learner's log and tells the ``cpo_learn_progress_event`` plugins about it.
"""

from __future__ import annotations

from datetime import date

import click

from cpo_learn.app import recording
from cpo_learn.app.context import App
from cpo_learn.cli import completion
from cpo_learn.cli.options import force_option, on_option, say
from cpo_learn.tracking.events import EventType

REPORT = recording.Report(say=say, warn=lambda line: say(line, err=True))


@click.command()
@click.argument("module_id", metavar="ID", shell_complete=completion.module_ids)
@click.option("--note", help="A note to keep with it.")
@on_option
@force_option
@click.pass_obj
def start(app: App, module_id: str, note: str | None, on: date | None, force: bool) -> None:
    """Record that you started a module.

    \b
    Example:
        cpo-learn start education/what-product-managers-do
    """
    recording.record_module(app, REPORT, EventType.STARTED, module_id, note=note, on=on, check_prerequisites=True,
                            force=force)


@click.command()
@click.argument("module_id", metavar="ID", shell_complete=completion.module_ids)
@click.option("--note", help="A note to keep with it (what you took away, a link).")
@on_option
@force_option
@click.pass_obj
def done(app: App, module_id: str, note: str | None, on: date | None, force: bool) -> None:
    """Record that you completed a module.

    A module whose prerequisites are not done yet (nor waived by your plan) is recorded anyway, with a warning.

    \b
    Example:
        cpo-learn done education/what-product-managers-do --note "shadowed Sam for a week"
        cpo-learn done mid-level/continuous-discovery --on 2026-03-14
    """
    recording.record_module(app, REPORT, EventType.COMPLETED, module_id, note=note, on=on,
                            check_prerequisites=True, force=force)


@click.command()
@click.argument("module_id", metavar="ID", shell_complete=completion.module_ids)
@click.option("--note", help="Why you skip it.")
@click.pass_obj
def skip(app: App, module_id: str, note: str | None) -> None:
    """Record that you decided not to do a module (it leaves your plan and the percentages).

    \b
    Example:
        cpo-learn skip mid-level/product-management-certification --note "no budget this year"
    """
    recording.record_module(app, REPORT, EventType.SKIPPED, module_id, note=note)


@click.command()
@click.argument("module_id", metavar="ID", shell_complete=completion.module_ids)
@click.option("--reason", required=True, help="Why you don't need it (what already gives you the skill).")
@click.pass_obj
def waive(app: App, module_id: str, reason: str) -> None:
    """Record that a module is waived: you already have what it teaches.

    \b
    Example:
        cpo-learn waive education/sql-for-product-questions --reason "3 years as a data analyst"
    """
    if not reason.strip():
        raise click.BadParameter("give the reason in words", param_hint="--reason")
    recording.record_module(app, REPORT, EventType.WAIVED, module_id, reason=reason)


@click.command()
@click.argument("item_id", metavar="ID", shell_complete=completion.item_ids)
@click.option("--note", help="Why you reopen it.")
@click.pass_obj
def reopen(app: App, item_id: str, note: str | None) -> None:
    """Put a module or milestone back into your plan, as if nothing had been recorded for it.

    Unlike ``undo``, which reverts the last event, this works on any module or milestone.

    \b
    Example:
        cpo-learn reopen mid-level/continuous-discovery --note "want to practise it again"
    """
    recording.reopen(app, REPORT, item_id, note)


@click.command()
@click.pass_obj
def undo(app: App) -> None:
    """Revert the last recorded event (by recording an 'undone' event; nothing is deleted).

    Run it again to revert the one before, and so on.

    \b
    Example:
        cpo-learn done mid-level/continuous-discovery   # oops, you meant another module
        cpo-learn undo                                  # continuous-discovery is no longer done
    """
    recording.undo(app, REPORT)


@click.command()
@click.argument("milestone_id", metavar="MILESTONE", shell_complete=completion.milestone_ids)
@click.option("--evidence", required=True, help="What proves it (a link, a document, who saw it).")
@on_option
@force_option
@click.pass_obj
def achieve(app: App, milestone_id: str, evidence: str, on: date | None, force: bool) -> None:
    """Record a milestone you achieved, with the evidence that proves it.

    \b
    Example:
        cpo-learn achieve education/shipped-a-side-project --evidence https://github.com/ada/habit-app
    """
    if not evidence.strip():
        raise click.BadParameter("say what proves it", param_hint="--evidence")
    recording.achieve(app, REPORT, milestone_id, evidence, on, force=force)
