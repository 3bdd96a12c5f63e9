"""Recording progress: the rules behind ``start``, ``done``, ``skip``, ``waive``, ``reopen``, ``undo`` and
``achieve``. Each use case appends at most one event to the learner's log, says what happened through the
command's ``Report`` (once the event is durable, before the plugins hear of it), then tells the progress-event
plugins."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from cpo_learn.errors import CpoLearnError
from cpo_learn.planning.state import Status
from cpo_learn.quantities import hours_text
from cpo_learn.tracking.events import MODULE_STATUS_OF, EventType

if TYPE_CHECKING:
    from cpo_learn.app.context import App
    from cpo_learn.app.learner import LearnerPlan
    from cpo_learn.content.catalog import Catalog
    from cpo_learn.content.model import Module
    from cpo_learn.planning.state import ItemState, LearnerState
    from cpo_learn.tracking.events import Event


@dataclass(frozen=True)
class Report:
    """Where a use case says what it did: ``say`` for the result (stdout), ``warn`` for warnings (stderr)."""

    say: Callable[[str], None]
    warn: Callable[[str], None]


def module_for(catalog: Catalog, item_id: str) -> Module:
    """The module to record (following ``replaces``); a milestone id gets a pointer to ``achieve``."""
    if catalog.resolve(item_id) not in catalog.modules and item_id in catalog.milestones:
        raise CpoLearnError(f"'{item_id}' is a milestone: record it with "
                            f"'cpo-learn achieve {item_id} --evidence WHAT-PROVES-IT'")
    return catalog.module(item_id)


def module_states(catalog: Catalog, state: LearnerState) -> dict[str, ItemState]:
    """The state of each module under its current id (older ids follow ``replaces``)."""
    return {catalog.resolve(module_id): item for module_id, item in state.modules.items()}


def unmet(catalog: Catalog, states: dict[str, ItemState], module_ids: tuple[str, ...],
          current: LearnerPlan | None = None) -> list[str]:
    """The modules of ``module_ids`` the learner has not dealt with yet (done, skipped or waived), leaving out
    those the plan ``current`` waives (the ratings, assumed or given, or a credit cover them: no doing needed)."""
    def waived(module_id: str) -> bool:
        entry = current.plan.entry(module_id) if current is not None else None
        return entry is not None and entry.status is Status.WAIVED

    return [m for m in module_ids
            if ((found := states.get(resolved := catalog.resolve(m))) is None or not found.status.dealt_with)
            and not waived(resolved)]


OLDEST_DAY = timedelta(days=365)
"""How far back ``--on`` may go without ``--force`` (and never before the learner's start date)."""


def current_plan(app: App) -> LearnerPlan | None:
    """The learner's plan, or None when their profile is missing or invalid (recording still works then)."""
    try:
        return app.learner_plan()
    except CpoLearnError:
        return None


def check_day(app: App, current: LearnerPlan | None, on: date | None, force: bool) -> None:
    """``--on`` before the learner's start date, or more than a year ago, is most likely a typo: ask for
    ``--force``."""
    if on is None or force:
        return
    today = app.today()
    start = current.profile.start if current is not None else None
    if start is not None and on < start:
        raise CpoLearnError(f"{on.isoformat()} is before your start date {start.isoformat()}; if that is right, "
                            "add --force (or move your start date with 'cpo-learn init --start DATE')")
    if on < today - OLDEST_DAY:
        raise CpoLearnError(f"{on.isoformat()} is more than a year ago (today is {today.isoformat()}); if that is "
                            "right, add --force")


def outside_note(current: LearnerPlan | None, module: Module) -> str | None:
    """What it means to record work on a module the plan does not hold (None when the plan holds it)."""
    if current is None or current.plan.entry(module.id) is not None:
        return None
    plan = current.plan
    if any(item.module.id == module.id for item in plan.not_fitted):
        why = "it did not fit before your target date"
    elif any(item.module.id == module.id for item in plan.removed):
        why = "your organisation left it out"
    else:
        why = (f"it is outside your stages ({plan.profile.stage} to {plan.profile.target}) and nothing in them "
               "builds on it")
    return (f"note: {module.id} is not in your plan ({why}): it is recorded, and its hours show as work outside "
            "your plan, not in your plan's progress or pace")


def describe(module: Module) -> str:
    """``id: title (N h)`` for messages."""
    return f"{module.id}: {module.title} ({hours_text(module.hours)} h)"


def record_module(app: App, report: Report, event_type: EventType, item_id: str, *, note: str | None = None,
                  on: date | None = None, reason: str | None = None, check_prerequisites: bool = False,
                  force: bool = False) -> Event | None:
    """Record ``event_type`` for a module unless it already has the status that event leads to.

    A module that is done stays done until it is reopened: starting, skipping or waiving it is refused. Both
    checks are made again under the learner's lock, against the log as it is at the moment of writing
    (``record_unless``): running the same ``done`` in eight terminals at once records it once.
    """
    store = app.store()
    catalog = app.catalog()
    module = module_for(catalog, item_id)
    event = store.new_event(event_type, module.id, note=note, on=on, plugin=module.plugin, reason=reason)
    states = module_states(catalog, store.state())
    status = MODULE_STATUS_OF[event_type]
    recorded = states.get(module.id)
    if recorded is not None and recorded.status is status:
        when = f" on {recorded.on.isoformat()}" if recorded.on else ""
        report.say(f"{module.id} is already {status}{when}; nothing recorded")
        return None
    if recorded is not None and recorded.status is Status.DONE:
        when = f" on {recorded.on.isoformat()}" if recorded.on else ""
        raise CpoLearnError(f"{module.id} is done{when}; nothing recorded: to mark it {status} instead, reopen "
                            f"it first with 'cpo-learn reopen {module.id}'")
    current = current_plan(app) if event_type in (EventType.STARTED, EventType.COMPLETED) or on else None
    check_day(app, current, on, force)

    def already(state: LearnerState) -> bool:
        now = module_states(catalog, state).get(module.id)
        if now is not None and now.status is not status and now.status is Status.DONE:
            raise CpoLearnError(f"{module.id} was just recorded as done; nothing recorded: to mark it {status} "
                                f"instead, reopen it first with 'cpo-learn reopen {module.id}'")
        return now is not None and now.status is status

    if not store.record_unless(event, already):  # another process recorded it since the check above
        report.say(f"{module.id} is already {status}; nothing recorded")
        return None
    day = f" on {event.day.isoformat()}" if on else ""
    report.say(f"{status.capitalize()}{day}: {describe(module)}")
    missing = unmet(catalog, states, module.prerequisites, current) if check_prerequisites else []
    if missing:  # a warning, not a refusal; said once it is recorded
        report.warn(f"warning: {module.id} builds on {', '.join(missing)}, not done yet; recorded anyway")
    outside = outside_note(current, module) if event_type in (EventType.STARTED, EventType.COMPLETED) else None
    if outside:
        report.warn(outside)
    app.notify([event], store.slug)
    return event


def reopen(app: App, report: Report, item_id: str, note: str | None) -> Event | None:
    """Put a module or milestone back into the plan, as if nothing had been recorded for it."""
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
            # nothing recorded, but the plan may waive it (the ratings cover it, or the learner's experience or
            # background credits it): reopening brings it in
            current = current_plan(app)
            entry = current.plan.entry(module.id) if current is not None else None
            if entry is not None and entry.status is Status.WAIVED:
                event = store.record(EventType.REOPENED, target, note=note, plugin=plugin)
                was = f"was {entry.reason}" if entry.credited else "was waived by your ratings"
                report.say(f"Reopened: {target}: {title} ({was}; it is in your plan now)")
                app.notify([event], store.slug)
                return event
        elif recorded.status is Status.PLANNED:
            report.say(f"{target} is already reopened{f' on {recorded.on}' if recorded.on else ''}; "
                       "nothing recorded")
            return None
    if recorded is None:
        report.say(f"{target} has nothing recorded; nothing to reopen")
        return None
    event = store.new_event(EventType.REOPENED, target, note=note, plugin=plugin)
    is_milestone = target in catalog.milestones and catalog.resolve(target) not in catalog.modules

    def nothing_to_reopen(state: LearnerState) -> bool:  # again under the lock, like record_module
        now = state.milestones.get(target) if is_milestone else module_states(catalog, state).get(target)
        return now is None or now.status is Status.PLANNED

    if not store.record_unless(event, nothing_to_reopen):  # another process reopened it since
        report.say(f"{target} is already reopened; nothing recorded")
        return None
    report.say(f"Reopened: {target}: {title} (was {recorded.status})")
    app.notify([event], store.slug)
    return event


def undo(app: App, report: Report) -> Event:
    """Revert the newest event in force (by recording an ``undone`` event)."""
    store = app.store()
    undone, reverted = store.undo()
    when = reverted.moment.astimezone().strftime("%Y-%m-%d %H:%M")
    report.say(f"Undone: {reverted.type} {reverted.target} (recorded {when})")
    app.notify([undone], store.slug)
    return undone


def achieve(app: App, report: Report, milestone_id: str, evidence: str, on: date | None,
            force: bool = False) -> Event | None:
    """Record a milestone with its evidence, unless it is already achieved (checked again under the lock)."""
    store = app.store()
    catalog = app.catalog()
    if milestone_id in catalog.modules and milestone_id not in catalog.milestones:
        raise CpoLearnError(f"'{milestone_id}' is a module: record it with 'cpo-learn done {milestone_id}'")
    milestone = catalog.milestone(milestone_id)
    state = store.state()
    current = state.milestones.get(milestone.id)
    if current is not None:
        when = f" on {current.on.isoformat()}" if current.on else ""
        report.say(f"{milestone.id} is already {Status.ACHIEVED}{when}; nothing recorded")
        return None
    states = module_states(catalog, state)
    # the plan only when it is needed: for --on, or to see whether what is not recorded is waived by it
    plan = current_plan(app) if on or unmet(catalog, states, milestone.requires) else None
    missing = unmet(catalog, states, milestone.requires, plan)
    check_day(app, plan, on, force)
    event = store.new_event(EventType.MILESTONE_ACHIEVED, milestone.id, on=on, plugin=milestone.plugin,
                            evidence=evidence)
    if not store.record_unless(event, lambda state: milestone.id in state.milestones):
        report.say(f"{milestone.id} is already {Status.ACHIEVED}; nothing recorded")
        return None
    report.say(f"Achieved: {milestone.id}: {milestone.title}")
    if missing:
        report.warn(f"warning: {milestone.id} rests on {', '.join(missing)}, not done yet; recorded anyway")
    app.notify([event], store.slug)
    return event
