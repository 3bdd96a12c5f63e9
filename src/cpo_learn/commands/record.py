"""Recording progress: ``start``, ``done``, ``skip``, ``waive``, ``reopen``, ``undo``, ``achieve``.

Each command appends one event to the learner's log (or says why nothing needed recording), then tells the
``cpo_learn_progress_event`` plugins about it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import click

from cpo_learn.app import App
from cpo_learn.commands.dates import on_option
from cpo_learn.errors import CpoLearnError

if TYPE_CHECKING:
    from cpo_learn.catalog import Catalog
    from cpo_learn.events import Event
    from cpo_learn.model import Module
    from cpo_learn.state import ItemState, LearnerState
    from cpo_learn.tracker import LearnerStore

MET = ("done", "waived", "skipped")
"""Module statuses that count as a met prerequisite (the learner has dealt with it)."""

VERB = {"started": "started", "completed": "done", "skipped": "skipped", "waived": "waived"}


def module_for(catalog: Catalog, item_id: str) -> Module:
    """The module to record (following ``replaces``); a milestone id gets a pointer to ``achieve``."""
    if catalog.resolve(item_id) not in catalog.modules and item_id in catalog.milestones:
        raise CpoLearnError(f"'{item_id}' is a milestone: record it with "
                            f"'cpo-learn achieve {item_id} --evidence WHAT-PROVES-IT'")
    return catalog.module(item_id)


def module_states(catalog: Catalog, state: LearnerState) -> dict[str, ItemState]:
    """The state of each module under its current id (older ids follow ``replaces``)."""
    return {catalog.resolve(module_id): item for module_id, item in state.modules.items()}


def warn_unmet(catalog: Catalog, states: dict[str, ItemState], module: Module) -> None:
    """A warning (not a refusal) when the module builds on modules not dealt with yet."""
    unmet = [pre for pre in module.prerequisites
             if (found := states.get(catalog.resolve(pre))) is None or found.status not in MET]
    if unmet:
        click.echo(f"warning: {module.id} builds on {', '.join(unmet)}, not done yet; recorded anyway",
                   err=True)


def describe(module: Module) -> str:
    """``id: title (N h)`` for messages."""
    return f"{module.id}: {module.title} ({module.hours:g} h)"


def record_module(app: App, event_type: str, item_id: str, *, note: str | None = None, on: date | None = None,
                  reason: str | None = None, check_prerequisites: bool = False) -> Event | None:
    """Record ``event_type`` for a module unless it already has that status; tell plugins; return it."""
    store = app.store()
    catalog = app.catalog()
    module = module_for(catalog, item_id)
    states = module_states(catalog, store.state())
    status = VERB[event_type]
    current = states.get(module.id)
    if current is not None and current.status == status:
        when = f" on {current.on.isoformat()}" if current.on else ""
        click.echo(f"{module.id} is already {status}{when}; nothing recorded")
        return None
    event = store.record(event_type, module.id, note=note, on=on, plugin=module.plugin, reason=reason)
    day = f" on {event.day.isoformat()}" if on else ""
    click.echo(f"{status.capitalize()}{day}: {describe(module)}")
    if check_prerequisites:  # once it is recorded: the warning says "recorded anyway"
        warn_unmet(catalog, states, module)
    app.notify([event], store.slug)
    return event


@click.command()
@click.argument("module_id", metavar="ID")
@click.option("--note", help="A note to keep with it.")
@on_option
@click.pass_obj
def start(app: App, module_id: str, note: str | None, on: date | None) -> None:
    """Record that you started a module.

    \b
    Example:
        cpo-learn start education/what-product-managers-do
    """
    record_module(app, "started", module_id, note=note, on=on, check_prerequisites=True)


@click.command()
@click.argument("module_id", metavar="ID")
@click.option("--note", help="A note to keep with it (what you took away, a link).")
@on_option
@click.pass_obj
def done(app: App, module_id: str, note: str | None, on: date | None) -> None:
    """Record that you completed a module.

    A module whose prerequisites are not done yet is recorded anyway, with a warning.

    \b
    Example:
        cpo-learn done education/what-product-managers-do --note "shadowed Sam for a week"
        cpo-learn done mid-level/continuous-discovery --on 2026-03-14
    """
    record_module(app, "completed", module_id, note=note, on=on, check_prerequisites=True)


@click.command()
@click.argument("module_id", metavar="ID")
@click.option("--note", help="Why you skip it.")
@click.pass_obj
def skip(app: App, module_id: str, note: str | None) -> None:
    """Record that you decided not to do a module (it leaves your plan and the percentages).

    \b
    Example:
        cpo-learn skip mid-level/product-management-certification --note "no budget this year"
    """
    record_module(app, "skipped", module_id, note=note)


@click.command()
@click.argument("module_id", metavar="ID")
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
    record_module(app, "waived", module_id, reason=reason)


@click.command()
@click.argument("item_id", metavar="ID")
@click.option("--note", help="Why you reopen it.")
@click.pass_obj
def reopen(app: App, item_id: str, note: str | None) -> None:
    """Put a module or milestone back into your plan, as if nothing had been recorded for it.

    Unlike ``undo``, which reverts the last event, this works on any module or milestone.

    \b
    Example:
        cpo-learn reopen mid-level/continuous-discovery --note "want to practise it again"
    """
    store = app.store()
    catalog = app.catalog()
    state = store.state()
    if catalog.resolve(item_id) not in catalog.modules and item_id in catalog.milestones:
        milestone = catalog.milestone(item_id)
        target, plugin, recorded = milestone.id, milestone.plugin, state.milestones.get(milestone.id)
        title = milestone.title
    else:
        module = catalog.module(item_id)
        target, plugin, title = module.id, module.plugin, module.title
        recorded = module_states(catalog, state).get(module.id)
    if recorded is None:
        click.echo(f"{target} has nothing recorded; nothing to reopen")
        return
    event = store.record("reopened", target, note=note, plugin=plugin)
    click.echo(f"Reopened: {target}: {title} (was {recorded.status})")
    app.notify([event], store.slug)


@click.command()
@click.pass_obj
def undo(app: App) -> None:
    """Revert the last recorded event (by recording an 'undone' event; nothing is deleted).

    Run it again to revert the one before, and so on.

    \b
    Example:
        cpo-learn done mid-level/continous-discovery    # oops, wrong module
        cpo-learn undo
    """
    store: LearnerStore = app.store()
    undone, reverted = store.undo()
    when = reverted.moment.astimezone().strftime("%Y-%m-%d %H:%M")
    click.echo(f"Undone: {reverted.type} {reverted.target} (recorded {when})")
    app.notify([undone], store.slug)


@click.command()
@click.argument("milestone_id", metavar="MILESTONE")
@click.option("--evidence", required=True, help="What proves it (a link, a document, who saw it).")
@on_option
@click.pass_obj
def achieve(app: App, milestone_id: str, evidence: str, on: date | None) -> None:
    """Record a milestone you achieved, with the evidence that proves it.

    \b
    Example:
        cpo-learn achieve education/shipped-a-side-project --evidence https://github.com/ada/habit-app
    """
    if not evidence.strip():
        raise click.BadParameter("say what proves it", param_hint="--evidence")
    store = app.store()
    catalog = app.catalog()
    if milestone_id in catalog.modules and milestone_id not in catalog.milestones:
        raise CpoLearnError(f"'{milestone_id}' is a module: record it with 'cpo-learn done {milestone_id}'")
    milestone = catalog.milestone(milestone_id)
    state = store.state()
    current = state.milestones.get(milestone.id)
    if current is not None:
        when = f" on {current.on.isoformat()}" if current.on else ""
        click.echo(f"{milestone.id} is already achieved{when}; nothing recorded")
        return
    states = module_states(catalog, state)
    missing = [m for m in milestone.requires
               if (found := states.get(catalog.resolve(m))) is None or found.status not in MET]
    event = store.record("milestone_achieved", milestone.id, on=on, plugin=milestone.plugin,
                         evidence=evidence)
    click.echo(f"Achieved: {milestone.id}: {milestone.title}")
    if missing:
        click.echo(f"warning: {milestone.id} rests on {', '.join(missing)}, not done yet; recorded anyway",
                   err=True)
    app.notify([event], store.slug)
