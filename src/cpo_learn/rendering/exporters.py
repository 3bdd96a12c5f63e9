"""Output formats for ``generate``: every one, built-in or not, is registered through a plugin hook.

``cpo_learn_register_exporters(register)`` receives an ``ExporterRegistrar`` bound to the calling plugin;
``register(name, suffix, function)`` adds a format, where ``function(plan, context) -> str`` renders a plan.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING

from cpo_learn.errors import CpoLearnError, PluginError, UsageError
from cpo_learn.text import did_you_mean

if TYPE_CHECKING:
    from cpo_learn.planning.plan import Plan

ExportFunction = Callable[["Plan", "ExportContext"], str]
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_SUFFIX = re.compile(r"^\.[A-Za-z0-9][A-Za-z0-9.]*$")


WEEKDAYS: tuple[str, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class StudyBlock:
    """A weekly study time the learner keeps (``generate --study-day/--study-time``), for calendar formats.

    ``weekday`` is 0 for Monday to 6 for Sunday; ``start`` is the local time in ``time_zone`` (an IANA name).
    """

    weekday: int
    start: time
    time_zone: str


@dataclass(frozen=True)
class ExportContext:
    """What an exporter gets beside the plan: the learner's id, the day, where templates are; ``record``: the
    id of the newest event in the learner's log when the plan was made (None: nothing recorded, or a plan from
    a profile file), so a curriculum can say which record it shows; and the learner's weekly study block and
    time zone when they gave them (formats that have no use for them ignore them); ``activity``: the days with
    recorded work and how many events in force each has, oldest first (for the HTML's activity calendar)."""

    learner: str
    today: date
    template_dirs: tuple[str, ...] = ()
    record: str | None = None
    study_block: StudyBlock | None = None
    time_zone: str | None = None
    activity: tuple[tuple[date, int], ...] = ()

    def render(self, template: str, *, autoescape: bool, **values: object) -> str:
        """Render a Jinja2 template found in the plugins' template dirs first, then the built-ins."""
        from cpo_learn.rendering.templating import environment

        env = environment(self.template_dirs, autoescape=autoescape)
        return env.get_template(template).render(context=self, **values)

    def stream(self, template: str, *, autoescape: bool, **values: object) -> Iterator[str]:
        """Like ``render`` but yields the output in small strings as it is produced (for very large plans)."""
        from cpo_learn.rendering.templating import environment

        env = environment(self.template_dirs, autoescape=autoescape)
        return env.get_template(template).generate(context=self, **values)


@dataclass(frozen=True)
class Exporter:
    """An output format: name (``--format``), file suffix, render function and the plugin that added it."""

    name: str
    suffix: str
    function: ExportFunction
    plugin: str


class ExporterRegistrar:
    """The ``register`` callable handed to ``cpo_learn_register_exporters``, bound to one plugin."""

    def __init__(self, plugin: str, table: dict[str, Exporter]) -> None:
        self.plugin = plugin
        self.table = table

    def __call__(self, name: str, suffix: str, function: ExportFunction) -> None:
        """Add the format ``name`` for files ending in ``suffix`` (like ``.md``), rendered by ``function``."""
        if not isinstance(name, str) or not _NAME.match(name):
            raise ValueError(f"exporter name {name!r} must be lower-case letters, digits, '-' or '_'")
        if not isinstance(suffix, str) or not _SUFFIX.match(suffix):
            raise ValueError(f"exporter suffix {suffix!r} must look like '.md'")
        if not callable(function):
            raise ValueError(f"exporter '{name}' needs a function(plan, context) -> str")
        other = self.table.get(name)
        if other is not None:
            raise ValueError(f"exporter '{name}' is already registered by plugin '{other.plugin}'")
        self.table[name] = Exporter(name, suffix, function, self.plugin)


def choose_exporter(exporters: Mapping[str, Exporter], name: str | None, output: str | None) -> Exporter:
    """The format asked for with ``--format``, else the one the output file's suffix implies, else ``md``."""
    if name is None and output not in (None, "-"):
        suffix = Path(str(output)).suffix.lower()
        by_suffix = [e for e in exporters.values() if e.suffix.lower() == suffix]
        if not by_suffix:
            known = ", ".join(f"{e.suffix} ({e.name})" for e in exporters.values())
            raise UsageError(f"cannot tell the format from '{output}': use --format, or one of these "
                             f"suffixes: {known}")
        return by_suffix[0]
    wanted = "md" if name is None else name
    found = exporters.get(wanted)
    if found is None:
        hint = did_you_mean(wanted, exporters, n=1)
        raise UsageError(f"unknown format '{wanted}'{hint} (formats: {', '.join(sorted(exporters))})")
    return found


def render(exporter: Exporter, plan: Plan, context: ExportContext) -> str:
    """Run an exporter's function: the text it returns, or a ``PluginError`` naming the plugin and the format.

    The function runs contained (``isolation.run_contained``): whatever it prints goes to stderr, since stdout
    may be carrying the output (``-o -``), and whatever it raises or a hang is one error line.
    """
    import os

    from cpo_learn.isolation import run_contained, timeout_from

    outcome = run_contained(exporter.function, plan, context, timeout=timeout_from(os.environ))
    if isinstance(outcome.error, CpoLearnError):  # a rule of cpo-learn's, said by the format: as it is
        raise outcome.error
    if not outcome.ok:  # a broken format must not end in a traceback
        raise PluginError(f"plugin '{exporter.plugin}': format '{exporter.name}' failed: {outcome.problem}; "
                          "choose another --format, or disable the plugin with "
                          f"CPO_LEARN_DISABLE_PLUGINS={exporter.plugin}")
    text = outcome.value
    if not isinstance(text, str):
        raise PluginError(f"plugin '{exporter.plugin}': format '{exporter.name}' returned "
                          f"{type(text).__name__}, not text")
    return text
