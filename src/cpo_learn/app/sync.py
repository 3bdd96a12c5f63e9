"""``sync``: record what a learner ticked in their curriculum's Markdown."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cpo_learn.app.context import App
    from cpo_learn.tracking.events import Event
    from cpo_learn.tracking.sync import SyncResult, TaskLine


def sync_boxes(app: App, text: str, lines: list[TaskLine], source: str, *, reopen: bool,
               dry_run: bool) -> tuple[SyncResult, list[Event]]:
    """Bring the current learner's log in line with the ticked boxes: what was decided and what was recorded.

    The decision is made under the learner's lock, so a concurrent ``done`` is seen, not duplicated. With
    ``dry_run`` nothing is written. A file generated for another learner is refused. The caller tells the
    plugins (``App.notify``) once it has said what was recorded.
    """
    from cpo_learn.errors import CpoLearnError
    from cpo_learn.tracking.events import utc_now
    from cpo_learn.tracking.sync import decide, origin

    store = app.store()
    made_from = origin(text)
    if made_from is not None and made_from.learner != store.slug:
        raise CpoLearnError(f"{source} is the curriculum of '{made_from.learner}', not of '{store.slug}': nothing "
                            f"recorded; sync it for them with 'cpo-learn --learner {made_from.learner} sync FILE'")
    catalog = app.catalog()
    results: list[SyncResult] = []

    def choose(log: list[Event]) -> list[Event]:
        result = decide(lines, catalog, log, reopen=reopen, source=source, now=utc_now(), made_from=made_from)
        results.append(result)
        return [] if dry_run else list(result.record)

    recorded = store.append([], choose)
    return results[-1], recorded
