"""``cpo-learn generate``: plan the learner's curriculum and write it in a format an exporter provides."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cpo_learn.app import App
from cpo_learn.errors import CpoLearnError

if TYPE_CHECKING:
    from cpo_learn.state import LearnerState


@click.command()
@click.option("--format", "-f", "format_name", metavar="FORMAT",
              help="md, html, json or a format a plugin adds (default: from the -o suffix, else md).")
@click.option("-o", "--output", metavar="PATH",
              help="Where to write; '-' for stdout (default: curricula/<learner>.<suffix> here).")
@click.option("--profile", "profile_path", metavar="FILE.toml", type=click.Path(exists=True, dir_okay=False),
              help="Plan for the profile in this TOML file, without any stored learner or progress.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE",
              help="Plan as if today were DATE (for reproducible output; default: today).")
@click.option("--force", is_flag=True,
              help="Overwrite a curriculum even if it has ticked boxes that are not recorded yet.")
@click.pass_obj
def generate(app: App, format_name: str | None, output: str | None, profile_path: str | None,
             today: datetime | None, force: bool) -> None:
    """Write your personalised curriculum: what to learn, why, in which order, week by week.

    Recorded progress is respected: done, skipped and waived modules are shown as such, and the rest is
    scheduled from today. The same profile, progress and day always give the same bytes.

    \b
    Example:
        cpo-learn generate                            writes curricula/<learner>.md
        cpo-learn generate --format html              writes curricula/<learner>.html
        cpo-learn generate -o plan.json               the suffix picks the format
        cpo-learn generate --profile ada.toml -o -    a trainer's run: no stored state
    """
    from cpo_learn.commands.common import write_text_file
    from cpo_learn.exporters import ExportContext, choose_exporter, load_exporters, render, template_dirs
    from cpo_learn.learner_plan import plan_for
    from cpo_learn.profile import load_profile_toml
    from cpo_learn.state import EMPTY_STATE

    catalog = app.catalog()
    exporter = choose_exporter(load_exporters(app.host), format_name, output)
    if profile_path is not None:
        profile = load_profile_toml(profile_path, catalog.stage_ids, catalog.skills)
        learner, state = profile.slug, EMPTY_STATE
    else:
        learner, profile, state = app.profile_and_state()
    for stage in (profile.stage, profile.target):
        if stage not in catalog.stage_ids:
            raise CpoLearnError(f"stage '{stage}' is not in the catalog: is its plugin disabled?")
    day = today.date() if today is not None else date.today()
    plan = plan_for(app.host, catalog, profile, state, day)
    context = ExportContext(learner=learner, today=day, template_dirs=template_dirs(app.host))
    text = render(exporter, plan, context)
    if output == "-":
        click.echo(text, nl=False)
        return
    path = Path(output) if output else Path("curricula") / f"{learner}{exporter.suffix}"
    if not force:
        _refuse_to_drop_ticks(path, state)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_file(path, text, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise CpoLearnError(f"cannot write {path}: {exc.strerror or exc}") from None
    to_do = sum(1 for e in plan.entries if e.to_do)
    finish = f", finishing {plan.finish}" if plan.finish else ""
    click.echo(f"Wrote {path}: {to_do} modules to do, {plan.remaining_hours:g} h{finish}.")
    for warning in plan.warnings:
        click.echo(f"Note: {warning}", err=True)


def _refuse_to_drop_ticks(path: Path, state: LearnerState) -> None:
    """Ticks the learner made in the old file but never synced would be lost by overwriting it: stop first."""
    from cpo_learn.sync import task_lines

    try:
        if not path.is_file():  # a device such as /dev/stdout or a pipe: nothing to keep (and never to read)
            return
        old = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    unrecorded = [task.id for task in task_lines(old) if task.ticked
                  and state.status(task.id) not in ("done", "skipped", "waived")
                  and task.id not in state.milestones]
    if unrecorded:
        raise CpoLearnError(
            f"{path} has {len(unrecorded)} ticked box(es) not recorded yet (first: {unrecorded[0]}); "
            f"run 'cpo-learn sync {path}' first, or add --force to overwrite them"
        )
