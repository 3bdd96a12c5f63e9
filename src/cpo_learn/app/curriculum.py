"""``generate``: plan a learner's curriculum, render it in a format an exporter provides, and write it without
losing ticks the learner has not synced yet."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING

from cpo_learn.errors import CpoLearnError, UsageError

if TYPE_CHECKING:
    from cpo_learn.app.context import App
    from cpo_learn.planning.plan import Plan
    from cpo_learn.planning.state import LearnerState
    from cpo_learn.rendering.exporters import Exporter
    from cpo_learn.tracking.events import Event


@dataclass(frozen=True)
class StudyTime:
    """``generate --study-day/--study-time/--time-zone`` as given (weekday 0 is Monday)."""

    weekday: int | None
    start: time
    time_zone: str | None = None


@dataclass(frozen=True)
class Curriculum:
    """A rendered curriculum: the text, the plan it shows, the format, and the learner it is for."""

    text: str
    plan: Plan
    exporter: Exporter
    learner: str
    state: LearnerState
    suffixes: Mapping[str, str] = field(default_factory=dict)
    """Every format's file suffix by name (to tell a file named for another format)."""


def render_curriculum(app: App, format_name: str | None, output: str | None, profile_path: str | None,
                      today: date | None, study: StudyTime | None = None) -> Curriculum:
    """Plan for the stored learner (or the profile in a TOML file, with no progress) and render the plan.

    ``study`` is the weekly study block of calendar formats (its time zone, when not given, is the profile's
    ``time_zone``, else UTC).
    """
    from cpo_learn.app.learner import plan_for
    from cpo_learn.host.formats import load_exporters, template_dirs
    from cpo_learn.planning.profile import load_profile_toml
    from cpo_learn.planning.state import EMPTY_STATE
    from cpo_learn.rendering.exporters import ExportContext, StudyBlock, choose_exporter, render

    catalog = app.catalog()
    from cpo_learn.files import names_folder

    # a folder names no format: the format is --format's (else md) and the file name the default one
    exporters = load_exporters(app.host)
    exporter = choose_exporter(exporters, format_name,
                               None if output not in (None, "-") and names_folder(str(output)) else output)
    day = today or app.today()
    record: str | None = None
    activity: tuple[tuple[date, int], ...] = ()
    if profile_path is not None:
        profile = load_profile_toml(profile_path, catalog.stage_ids, catalog.skills)
        if profile.target_date is not None and profile.target_date < day:
            raise CpoLearnError(f"{profile_path}: target_date {profile.target_date} is in the past (today is {day}): "
                                "give a date to come, or none")
        learner, state = profile.slug, EMPTY_STATE
        plan = plan_for(app.host, catalog, profile, state, day)
    else:
        current = app.learner_plan(day)
        learner, state, plan = current.slug, current.state, current.plan
        record = current.events[-1].id if current.events else None
        activity = recorded_days(current.events)
    zone = (study.time_zone if study else None) or plan.profile.time_zone
    block = StudyBlock(study.weekday, study.start, zone or "UTC") if study and study.weekday is not None else None
    context = ExportContext(learner=learner, today=day, template_dirs=template_dirs(app.host), record=record,
                            study_block=block, time_zone=zone, activity=activity)
    return Curriculum(render(exporter, plan, context), plan, exporter, learner, state,
                      {e.name: e.suffix for e in exporters.values()})


def recorded_days(events: list[Event]) -> tuple[tuple[date, int], ...]:
    """The days with events in force (undone ones left out) and how many each has, oldest first."""
    from collections import Counter

    from cpo_learn.tracking.events import effective

    return tuple(sorted(Counter(event.day for event in effective(events)).items()))


def default_path(curriculum: Curriculum) -> Path:
    """Where ``generate`` writes without ``-o``: ``curricula/<learner><suffix>`` in the current folder."""
    return Path("curricula") / f"{curriculum.learner}{curriculum.exporter.suffix}"


def curriculum_path(curriculum: Curriculum, output: str | None, force: bool) -> Path:
    """Where ``generate`` writes: the default path, a file in the folder ``output`` names, or ``output``; a
    file whose suffix is another format's (``-o plan.md --format html``) only with ``force``."""
    from cpo_learn.files import clashing_suffix, output_path

    if output is None:
        return default_path(curriculum)
    path = output_path(output, default_path(curriculum).name)
    exporter = curriculum.exporter
    other = clashing_suffix(path, exporter.suffix, dict(curriculum.suffixes))
    if other is not None and not force:
        raise UsageError(f"{path} is named like a {other} file but the format is {exporter.name}: name it "
                         f"{path.with_suffix(exporter.suffix).name}, or add --force to write it anyway")
    return path


def write_curriculum(curriculum: Curriculum, path: Path, force: bool) -> None:
    """Write the curriculum to ``path``; refuse (unless ``force``) when the file there has ticks not recorded."""
    from cpo_learn.files import write_text_file

    if not force:
        refuse_to_drop_ticks(path, curriculum.state)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_file(path, curriculum.text, encoding="utf-8", newline="\n")
    except OSError as exc:
        raise CpoLearnError(f"cannot write {path}: {exc.strerror or exc}") from None


def refuse_to_drop_ticks(path: Path, state: LearnerState) -> None:
    """Ticks the learner made in the old file but never synced would be lost by overwriting it: stop first."""
    from cpo_learn.tracking.sync import has_ticks, task_lines

    try:
        if not path.is_file():  # a device such as /dev/stdout or a pipe: nothing to keep (and never to read)
            return
        old = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    if not has_ticks(old):  # no ticked box at all (an HTML page has none): nothing to lose
        return
    unrecorded = [task.id for task in task_lines(old) if task.ticked
                  and not ((status := state.status(task.id)) is not None and status.dealt_with)
                  and task.id not in state.milestones]
    if unrecorded:
        raise CpoLearnError(
            f"{path} has {len(unrecorded)} ticked box(es) not recorded yet (first: {unrecorded[0]}); "
            f"run 'cpo-learn sync {path}' first, or add --force to overwrite them"
        )
