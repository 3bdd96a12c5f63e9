"""``sync``: record what a learner ticked in their curriculum's Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cpo_learn.app.context import App
    from cpo_learn.tracking.events import Event
    from cpo_learn.tracking.sync import SyncResult, TaskLine


def sync_boxes(app: App, lines: list[TaskLine], source: str, *, reopen: bool,
               dry_run: bool) -> tuple[SyncResult, list[Event]]:
    """Bring the current learner's log in line with the ticked boxes: what was decided and what was recorded.

    The decision is made under the learner's lock, so a concurrent ``done`` is seen, not duplicated. With
    ``dry_run`` nothing is written. The caller tells the plugins (``App.notify``) once it has said what was
    recorded.
    """
    from cpo_learn.tracking.events import utc_now
    from cpo_learn.tracking.sync import decide

    store = app.store()
    catalog = app.catalog()
    results: list[SyncResult] = []

    def choose(log: list[Event]) -> list[Event]:
        result = decide(lines, catalog, log, reopen=reopen, source=source, now=utc_now())
        results.append(result)
        return [] if dry_run else list(result.record)

    recorded = store.append([], choose)
    return results[-1], recorded
