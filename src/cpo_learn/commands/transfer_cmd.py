"""``export`` and ``import``: a learner's history out (JSON, CSV, xAPI) and back in (JSON)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from cpo_learn.app import App

if TYPE_CHECKING:
    from cpo_learn.tracker import LearnerStore
    from cpo_learn.transfer import History


def display_name(profile: dict[str, Any] | None, slug: str) -> str:
    """The learner's name from their profile, else their slug."""
    name = (profile or {}).get("name")
    return name if isinstance(name, str) and name.strip() else slug


def history_of(store: LearnerStore) -> History:
    """Everything recorded for a learner, from one read."""
    from cpo_learn.transfer import History

    snapshot = store.snapshot()
    return History(store.slug, display_name(snapshot.profile, store.slug), snapshot.profile, snapshot.events)


@click.command()
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xapi"]), default="json",
              show_default=True,
              help="json: the full history ('import' reads it back); csv: for a spreadsheet; "
                   "xapi: statements for a learning record store.")
@click.option("-o", "--output", metavar="FILE", help="Write to FILE instead of stdout ('-' = stdout).")
@click.option("--base", metavar="URL", default=None,
              help="xapi: base IRI of activity ids and of the learner's account "
                   "(default https://cpo-learn.invalid).")
@click.option("--mbox", metavar="EMAIL", help="xapi: identify the learner by e-mail instead of an account.")
@click.pass_obj
def export(app: App, fmt: str, output: str | None, base: str | None, mbox: str | None) -> None:
    """Write the learner's whole history (profile and every event) as JSON, CSV or xAPI statements.

    \b
    Example:
        cpo-learn export -o ada.json                 # back it up, or move it to another machine
        cpo-learn export --format csv -o ada.csv     # open it in a spreadsheet
        cpo-learn export --format xapi --base https://lrs.example.com/cpo > statements.json
    """
    import re

    from cpo_learn.commands.common import write_text_file
    from cpo_learn.errors import UsageError
    from cpo_learn.output import dumps
    from cpo_learn.transfer import to_csv, to_json

    if base is not None and not re.match(r"https?://[^/\s]+", base):
        raise UsageError(f"--base must be an http(s) address like https://lrs.example.com/cpo (got {base!r})")
    if mbox is not None and not re.fullmatch(r"(mailto:)?[^@\s]+@[^@\s]+", mbox):
        raise UsageError(f"--mbox must be an e-mail address like ada@example.com (got {mbox!r})")
    history = history_of(app.store())
    if fmt == "json":
        text = dumps(to_json(history)) + "\n"
    elif fmt == "csv":
        text = to_csv(history)
    else:
        from cpo_learn.xapi import DEFAULT_BASE, statements

        catalog = app.catalog()
        titles = {**{m.id: m.title for m in catalog.modules.values()},
                  **{m.id: m.title for m in catalog.milestones.values()}}
        found = statements(history.events, name=history.name, account=history.learner, titles=titles,
                           milestones=set(catalog.milestones), base=base or DEFAULT_BASE, mbox=mbox)
        text = dumps(found) + "\n"
    if output in (None, "-"):
        click.echo(text, nl=False)
        return
    assert output is not None
    # Excel reads UTF-8 CSV correctly only with a byte-order mark; files get one, stdout does not.
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    try:
        write_text_file(Path(output), text, encoding=encoding, newline="")
    except OSError as exc:
        raise click.FileError(output, exc.strerror or str(exc)) from None
    click.echo(f"exported {len(history.events)} events of '{history.learner}' to {output} ({fmt})", err=True)


@click.command("import")
@click.argument("file", metavar="FILE")
@click.pass_obj
def import_(app: App, file: str) -> None:
    """Add the events of a JSON export to a learner (the one named in the file, or --learner).

    Events already recorded (same id) are left alone, so importing twice changes nothing. The profile is
    taken only when the learner has none. Nothing is written unless the whole file is valid.

    \b
    Example:
        cpo-learn export -o ada.json                 # on the old machine
        cpo-learn import ada.json                    # on the new one
    """
    from cpo_learn.transfer import read_history

    try:
        raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        raise click.FileError(file, exc.strerror or str(exc)) from None
    history = read_history(raw, file)
    store = app.tracker.store(history.learner if app.learner_option is None else app.learner_option)
    added, profile_saved = store.import_history(history.profile, history.events, file)
    already = len(history.events) - len(added)
    profile_note = ", and the profile" if profile_saved else ""
    click.echo(f"imported {len(added)} new events into '{store.slug}'{profile_note} "
               f"({already} already there)")
    app.notify(added, store.slug)
