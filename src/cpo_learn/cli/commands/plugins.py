"""``cpo-learn plugins``: what is installed and what each plugin added."""

from __future__ import annotations

from typing import Any

import click

from cpo_learn.app.context import App
from cpo_learn.cli.options import echo_json, json_option, say, show_table


@click.command()
@click.option("--all", "show_all", is_flag=True, help="Include the core's own default plugins.")
@json_option
@click.pass_obj
def plugins(app: App, show_all: bool, as_json: bool) -> None:
    """List installed plugins: source, version, hooks, what each registered, load errors.

    \b
    Example:
        cpo-learn plugins
        cpo-learn --plugins-dir ./my-plugins plugins --json
        CPO_LEARN_DISABLE_PLUGINS=cpo cpo-learn plugins
    """
    from cpo_learn.host.plugins import DEFAULT_PLUGINS
    from cpo_learn.rendering.text_table import status_style

    host = app.host
    load_commands = getattr(click.get_current_context().find_root().command, "load_plugin_commands", None)
    if load_commands is not None:
        load_commands()  # so a command clash shows as the plugin's error
    host.catalog()  # counts of what each plugin registered
    defaults = {name.rsplit(".", 1)[1] for name in DEFAULT_PLUGINS}
    records = [r for r in host.records.values() if show_all or r.name not in defaults]
    records.sort(key=lambda r: (r.name not in defaults, r.source != "builtin", r.name))
    if as_json:
        data: list[dict[str, Any]] = [
            {
                "name": r.name, "version": r.version, "source": r.source, "path": r.path, "hooks": r.hooks,
                "registered": r.registered, "replaces": r.replaces, "error": r.error, "errors": r.errors,
                "stands_in_for": r.stands_in_for,
            }
            for r in records
        ]
        echo_json(data)
        return
    rows = []
    for r in records:
        counts = ", ".join(f"{n} {k}" for k, n in r.registered.items()) or "-"
        rows.append([r.name, r.version or "-", r.source, counts, "ERROR" if r.errors else "ok"])
    show_table(rows, ["name", "version", "source", "registered", "status"], flex=["registered"],
               style=status_style(4))
    for r in records:
        if r.stands_in_for:
            click.echo(f"{r.name}: the folder copy {r.path} stands in for {r.stands_in_for}")
        for line in r.replaces:
            say(f"{r.name}: {line}")
        for error in r.errors:
            say(f"{r.name}: {error}")
    if host.skipped:
        left_out = len(host.catalog().left_out)
        more = f" ({left_out} items of other plugins that need them are left out)" if left_out else ""
        say("disabled: " + ", ".join(sorted(host.skipped)) + more)
