"""``export`` and ``import``: a learner's whole history as JSON, CSV or xAPI statements, and back in."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cpo_learn.app.context import App
    from cpo_learn.tracking.events import Event
    from cpo_learn.tracking.transfer import History

FORMATS = ("json", "csv", "xapi")
SUFFIXES: dict[str, str] = {"json": ".json", "csv": ".csv", "xapi": ".json"}
"""The file suffix of each export format (xAPI statements are JSON)."""


def export_path(output: str, fmt: str, learner: str, force: bool) -> Path:
    """Where ``export -o output`` writes: into the folder ``output`` names as ``<learner>.json`` (``.csv``,
    ``.xapi.json``), else ``output``. Over an existing file, or into a file named for another format (a CSV in
    ``ada.json``), only with ``force``: an export is often the backup it would replace."""
    from cpo_learn.errors import UsageError
    from cpo_learn.files import clashing_suffix, output_path

    default = f"{learner}{'.xapi' if fmt == 'xapi' else ''}{SUFFIXES[fmt]}"
    path = output_path(output, default)
    other = clashing_suffix(path, SUFFIXES[fmt], {name: s for name, s in SUFFIXES.items() if s != SUFFIXES[fmt]})
    if other is not None and not force:
        raise UsageError(f"{path} is named like a {other} file but the format is {fmt}: name it "
                         f"{path.with_suffix(SUFFIXES[fmt]).name}, or add --force to write it anyway")
    if path.exists() and not path.is_file():
        return path  # a device such as /dev/stdout: nothing there to lose
    if path.exists() and not force:
        raise UsageError(f"{path} exists (an earlier export?): add --force to replace it, or give another -o")
    return path


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


CLOCK_SKEW = timedelta(days=1)
"""How far ahead of this machine's clock an imported event may be (another machine's clock, a time zone)."""


def refuse_future(events: Sequence[Event], source: str) -> None:
    """``ImportFileError`` (nothing imported) for an event recorded, or said to have happened, in the future:
    no command records one, and a done module dated in 9999 would push the learner's schedule past the
    calendar for good."""
    from cpo_learn import clock
    from cpo_learn.tracking.transfer import ImportFileError

    latest = clock.now() + CLOCK_SKEW
    for event in events:
        if event.moment > latest or (event.on is not None and event.on > latest.date()):
            when = event.on.isoformat() if event.on is not None and event.on > latest.date() else event.timestamp
            raise ImportFileError(f"{source}: event {event.id} is in the future ({when}); events record what "
                                  "has happened: correct its time in the file; nothing was imported")


def checked_profile(app: App, data: dict[str, Any], source: str) -> dict[str, Any]:
    """The profile of an import file, kept as written (import is lossless) once it is known to be valid;
    ``ImportFileError`` (nothing imported) otherwise: a saved profile that cannot be planned from would stop
    every command, and ``init`` could not mend it."""
    from cpo_learn.planning.profile import ProfileError, profile_from_mapping
    from cpo_learn.tracking.transfer import ImportFileError

    catalog = app.catalog()
    try:
        profile_from_mapping(data, catalog.stage_ids, catalog.skills)
    except ProfileError as exc:
        raise ImportFileError(f"{source}: 'profile': {exc}; correct it in the file (or make it null to import "
                              "the events alone); nothing was imported") from None
    return dict(data)


def import_history(app: App, raw: bytes, source: str) -> Imported:
    """Add the events of a JSON export to its learner (or ``--learner``); tell the progress plugins."""
    from cpo_learn.tracking.transfer import read_history

    history = read_history(raw, source)
    refuse_future(history.events, source)
    store = app.tracker.store(history.learner if app.learner_option is None else app.learner_option)
    profile = None if history.profile is None else checked_profile(app, history.profile, source)
    added, profile_saved = store.import_history(profile, history.events, source)
    result = Imported(store.slug, added, len(history.events) - len(added), profile_saved)
    return result
