"""``recover``: put the last good copy of a damaged learner file back."""

from __future__ import annotations

import click

from cpo_learn.app.context import App


@click.command()
@click.pass_obj
def recover(app: App) -> None:
    """Restore a learner file that cannot be read from its last good copy (<learner>.json.bak).

    The damaged file is kept beside it as <learner>.json.damaged-<time>, so nothing is thrown away. A file
    that reads fine is left alone. The copy is the file as it was before its last write: the one most recent
    change may need recording again (see 'cpo-learn log').

    \b
    Example:
        cpo-learn --learner ada recover
    """
    from cpo_learn.errors import StoreError
    from cpo_learn.tracking.store import DamagedStoreError

    store = app.store(existing=False)
    if not store.exists() and not store.backup.is_file():
        raise StoreError(f"no learner '{store.slug}' in {app.home} (see 'cpo-learn learners')")
    if store.exists():
        try:
            events = store.events()
        except DamagedStoreError as exc:
            if exc.newer:
                raise StoreError(f"{exc.path} was written by a newer cpo-learn ({exc.reason}); it is not "
                                 "damaged: upgrade with 'pip install -U cpo-learn'") from None
        else:
            click.echo(f"{store.path} reads fine ({len(events)} events); nothing to recover")
            return
    kept = store.replace_file_with_backup()
    events = store.events()
    last = events[-1].moment.astimezone().strftime("%Y-%m-%d %H:%M") if events else "never"
    moved = f"; the damaged file is kept as {kept}" if kept.exists() else ""
    click.echo(f"restored {store.path} from {store.backup} ({len(events)} events, last recorded {last})"
               f"{moved}")
    click.echo("check the newest events with 'cpo-learn log -n 5' and record again what is missing")
