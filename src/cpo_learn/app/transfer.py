"""``export`` and ``import``: a learner's whole history as JSON, CSV or xAPI statements, and back in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cpo_learn.app.context import App
    from cpo_learn.tracking.events import Event
    from cpo_learn.tracking.tracker import LearnerStore
    from cpo_learn.tracking.transfer import History

FORMATS = ("json", "csv", "xapi")


def history_of(store: LearnerStore) -> History:
    """Everything recorded for a learner, from one read."""
    from cpo_learn.tracking.transfer import History

    snapshot = store.snapshot()
    name = snapshot.profile.name if snapshot.profile and snapshot.profile.name else store.slug
    data = snapshot.profile.to_mapping() if snapshot.profile else None
    return History(store.slug, name, data, snapshot.events)


def export_history(app: App, fmt: str, base: str | None, mbox: str | None) -> tuple[str, History]:
    """The current learner's history in ``fmt`` (one of ``FORMATS``), and the history itself."""
    from cpo_learn.rendering.json_data import dumps
    from cpo_learn.tracking.transfer import to_csv, to_json
    from cpo_learn.tracking.xapi import DEFAULT_BASE, check_base, check_mbox

    check_base(base)
    check_mbox(mbox)
    history = history_of(app.store())
    if fmt == "json":
        return dumps(to_json(history)) + "\n", history
    if fmt == "csv":
        return to_csv(history), history
    found = xapi_statements(app, history, base or DEFAULT_BASE, mbox)
    return dumps(found) + "\n", history


def xapi_statements(app: App, history: History, base: str, mbox: str | None) -> list[dict[str, Any]]:
    """The learner's history as xAPI statements, named and timed from the catalog (``export`` and ``lrs push``)."""
    from cpo_learn.tracking.xapi import statements

    catalog = app.catalog()
    titles = {**{m.id: m.title for m in catalog.modules.values()},
              **{m.id: m.title for m in catalog.milestones.values()}}
    hours = {m.id: m.hours for m in catalog.modules.values()}
    return statements(history.events, name=history.name, account=history.learner, titles=titles,
                      milestones=set(catalog.milestones), base=base, mbox=mbox, hours=hours)


@dataclass(frozen=True)
class Imported:
    """What an import added: to which learner, the new events, and whether the profile was taken."""

    learner: str
    added: list[Event]
    already: int
    profile_saved: bool


def import_history(app: App, raw: bytes, source: str) -> Imported:
    """Add the events of a JSON export to its learner (or ``--learner``); tell the progress plugins."""
    from cpo_learn.tracking.transfer import read_history

    history = read_history(raw, source)
    store = app.tracker.store(history.learner if app.learner_option is None else app.learner_option)
    added, profile_saved = store.import_history(history.profile, history.events, source)
    result = Imported(store.slug, added, len(history.events) - len(added), profile_saved)
    return result
