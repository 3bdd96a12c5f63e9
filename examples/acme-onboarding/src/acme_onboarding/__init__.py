"""Acme's cpo-learn plugin: mandatory onboarding modules, a status command, progress forwarding, a banner."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING

import click

import cpo_learn

if TYPE_CHECKING:
    from cpo_learn.api import App, Catalog, LearnerEvent, Plan, Profile

HERE = Path(__file__).parent
MANDATORY_REASON = "mandatory for everyone at Acme"

cpo_learn_register_content = cpo_learn.pack_hook(HERE / "pack")


def mandatory_modules(catalog: Catalog) -> list[str]:
    """Acme's own core modules: every learner must do them."""
    return [m.id for m in catalog.modules.values() if m.plugin == "acme-onboarding" and m.kind == "core"]


@cpo_learn.hookimpl
def cpo_learn_adjust_plan(plan: Plan, profile: Profile) -> Plan:
    """Every Acme learner does Acme's core modules, whatever their stage."""
    return plan.with_required(*mandatory_modules(plan.catalog), reason=MANDATORY_REASON)


@cpo_learn.hookimpl
def cpo_learn_template_dirs() -> list[str]:
    """Acme's banner on top of the Markdown curriculum (extends the built-in template)."""
    return [str(HERE / "templates")]


def progress_log() -> Path:
    """Where events are forwarded: $ACME_PROGRESS_LOG, else acme-progress.jsonl in the cpo-learn home."""
    chosen = os.environ.get("ACME_PROGRESS_LOG")
    if chosen:
        return Path(chosen)
    home = os.environ.get("CPO_LEARN_HOME") or os.path.expanduser("~/.local/share/cpo-learn")
    return Path(home) / "acme-progress.jsonl"


@cpo_learn.hookimpl
def cpo_learn_progress_event(event: LearnerEvent) -> None:
    """Append the event to Acme's JSON-lines file for the HR system."""
    record = {
        "id": event.id, "type": event.type, "target": event.target, "timestamp": event.timestamp,
        "learner": event.learner, "note": event.note,
    }
    path = progress_log()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as log:
        log.write(json.dumps(record) + "\n")


@cpo_learn.hookimpl
def cpo_learn_register_commands(cli: click.Group) -> None:
    """``cpo-learn acme-status``: the learner's mandatory Acme modules and whether they are done."""

    @cli.command(name="acme-status")
    @click.pass_obj
    def acme_status(app: App) -> None:
        """Show which of Acme's mandatory modules you have done.

        \b
        Example:
            cpo-learn acme-status
        """
        from cpo_learn.api import Status

        catalog = app.catalog()
        state = app.tracker.existing(app.learner_option).state()
        required = mandatory_modules(catalog)
        # A state is compared with Status (DONE), never with an event type ("completed").
        done = [m for m in required if state.status(m) is Status.DONE]
        for module_id in required:
            mark = "x" if module_id in done else " "
            click.echo(f"[{mark}] {module_id}  {catalog.modules[module_id].title}")
        click.echo(f"{len(done)} of {len(required)} mandatory Acme modules done")
