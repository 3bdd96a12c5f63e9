"""``cpo-learn generate``: plan the learner's curriculum and write it in a format an exporter provides."""

from __future__ import annotations

from datetime import datetime

import click

from cpo_learn.app.context import App
from cpo_learn.cli import completion
from cpo_learn.cli.options import emit, say
from cpo_learn.quantities import hours_text
from cpo_learn.rendering.exporters import WEEKDAYS

DAY_NAMES = WEEKDAYS + tuple(day[:3] for day in WEEKDAYS)  # monday ... sunday, mon ... sun


@click.command()
@click.option("--format", "-f", "format_name", metavar="FORMAT", shell_complete=completion.formats,
              help="md, html, json, ics or a format a plugin adds (default: from the -o suffix, else md).")
@click.option("-o", "--output", metavar="PATH",
              help="Where to write: a file, a folder (an existing one, or ending in '/') for the default "
                   "file name, or '-' for stdout (default: curricula/<learner>.<suffix> here).")
@click.option("--profile", "profile_path", metavar="FILE.toml", type=click.Path(exists=True, dir_okay=False),
              help="Plan for the profile in this TOML file, without any stored learner or progress.")
@click.option("--today", type=click.DateTime(["%Y-%m-%d"]), metavar="DATE",
              help="Plan as if today were DATE (for reproducible output; default: today).")
@click.option("--study-day", type=click.Choice(DAY_NAMES, case_sensitive=False), metavar="DAY",
              help="ics: add a weekly study block on DAY (monday ... sunday, or mon ... sun), as long as your "
                   "hours a week.")
@click.option("--study-time", type=click.DateTime(["%H:%M"]), metavar="HH:MM", default="09:00",
              show_default=True, help="ics: when the study block starts, in your time zone.")
@click.option("--time-zone", metavar="ZONE",
              help="ics: your time zone, an IANA name like Europe/Paris (default: time_zone in the profile, "
                   "else UTC).")
@click.option("--force", is_flag=True,
              help="Overwrite a curriculum even if it has ticked boxes that are not recorded yet, or write a "
                   "file whose suffix is another format's.")
@click.pass_obj
def generate(app: App, format_name: str | None, output: str | None, profile_path: str | None,
             today: datetime | None, study_day: str | None, study_time: datetime, time_zone: str | None,
             force: bool) -> None:
    """Write your personalised curriculum: what to learn, why, in which order, week by week.

    Recorded progress is respected: done, skipped and waived modules are shown as such, and the rest is
    scheduled from today. The same profile, progress and day always give the same bytes.

    \b
    Example:
        cpo-learn generate                            writes curricula/<learner>.md
        cpo-learn generate --format html              writes curricula/<learner>.html
        cpo-learn generate -o plan.json               the suffix picks the format
        cpo-learn generate --format html -o out/      writes out/<learner>.html
        cpo-learn generate --profile ada.toml -o -    a trainer's run: no stored state
        cpo-learn generate -o plan.ics --study-day saturday --study-time 09:30 --time-zone Europe/Paris
    """
    from cpo_learn.app.curriculum import StudyTime, curriculum_path, render_curriculum, write_curriculum

    weekday = DAY_NAMES.index(study_day.lower()) % 7 if study_day else None
    study = StudyTime(weekday, study_time.time(), time_zone)
    curriculum = render_curriculum(app, format_name, output, profile_path, today.date() if today else None,
                                   study)
    if output == "-":
        emit(curriculum.text)
        return
    path = curriculum_path(curriculum, output, force)
    write_curriculum(curriculum, path, force)
    plan = curriculum.plan
    to_do = sum(1 for e in plan.entries if e.to_do)
    finish = f", finishing {plan.finish}" if plan.finish else ""
    say(f"Wrote {path}: {to_do} modules to do, {hours_text(plan.remaining_hours)} h{finish}.")
    if profile_path is None:
        say("Next: 'cpo-learn week' for this week's work and whether you are on track")
    else:  # a plan without a record: the week needs a learner
        say("Next: 'cpo-learn init' to keep a record of your own, then 'cpo-learn week' for this week's work")
    for warning in plan.warnings:
        say(f"Note: {warning}", err=True)
