"""``export`` and ``import``: a learner's whole history as JSON, CSV or xAPI statements, and back in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cpo_learn.app.context import App
    from cpo_learn.tracking.events import Event
    from cpo_learn.tracking.transfer import History

FORMATS = ("json", "csv", "xapi")


def export_history(app: App, fmt: str, base: str | None, mbox: str | None) -> tuple[str, History]:
    """The current learner's history in ``fmt`` (one of ``FORMATS``), and the history itself."""
    from cpo_learn.rendering.json_data import dumps
    from cpo_learn.tracking.transfer import to_csv, to_json
    from cpo_learn.tracking.xapi import DEFAULT_BASE, catalog_statements, check_base, check_mbox

    check_base(base)
    check_mbox(mbox)
    history = app.store().history()
    if fmt == "json":
        return dumps(to_json(history)) + "\n", history
    if fmt == "csv":
        return to_csv(history), history
    found = catalog_statements(history.events, app.catalog(), name=history.name, account=history.learner,
                               base=base or DEFAULT_BASE, mbox=mbox)
    return dumps(found) + "\n", history


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
