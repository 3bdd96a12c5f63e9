"""``export`` and ``import``: a learner's history out (JSON, CSV, xAPI) and back in (JSON)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cpo_learn.app.context import App
from cpo_learn.app.transfer import FORMATS
from cpo_learn.cli.options import emit, say


@click.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="json",
              show_default=True,
              help="json: the full history ('import' reads it back); csv: for a spreadsheet; "
                   "xapi: statements for a learning record store.")
@click.option("-o", "--output", metavar="FILE",
              help="Write to FILE instead of stdout ('-' = stdout); a folder (an existing one, or ending in '/') "
                   "gets <learner>.json (.csv, .xapi.json).")
@click.option("--force", is_flag=True,
              help="Replace an existing -o FILE, or write a file whose suffix is another format's.")
@click.option("--base", metavar="URL", default=None,
              help="xapi: base IRI of activity ids and of the learner's account "
                   "(default https://cpo-learn.invalid).")
@click.option("--mbox", metavar="EMAIL", help="xapi: identify the learner by e-mail instead of an account.")
@click.pass_obj
def export(app: App, fmt: str, output: str | None, force: bool, base: str | None, mbox: str | None) -> None:
    """Write the learner's whole history (profile and every event) as JSON, CSV or xAPI statements.

    \b
    Example:
        cpo-learn export -o ada.json                 # back it up, or move it to another machine
        cpo-learn export --format csv -o ada.csv     # open it in a spreadsheet
        cpo-learn export -o backups/ --force         # backups/<learner>.json, replacing the last one
        cpo-learn export --format xapi --base https://lrs.example.com/cpo > statements.json
    """
    from cpo_learn.app.transfer import export_history, export_path
    from cpo_learn.files import write_text_file

    text, history = export_history(app, fmt, base, mbox)
    if output in (None, "-"):
        emit(text)
        return
    assert output is not None
    path = export_path(output, fmt, history.learner, force)
    # Excel reads UTF-8 CSV correctly only with a byte-order mark; files get one, stdout does not.
    encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)  # 'backups/' need not exist yet
        write_text_file(path, text, encoding=encoding, newline="")
    except OSError as exc:
        raise click.FileError(str(path), exc.strerror or str(exc)) from None
    say(f"exported {len(history.events)} events of '{history.learner}' to {path} ({fmt})", err=True)


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
    from cpo_learn.app.transfer import import_history

    try:
        raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
    except OSError as exc:
        raise click.FileError(file, exc.strerror or str(exc)) from None
    result = import_history(app, raw, file)
    profile_note = ", and the profile" if result.profile_saved else ""
    say(f"imported {len(result.added)} new events into '{result.learner}'{profile_note} "
               f"({result.already} already there)")
    app.notify(result.added, result.learner)
