"""The plugin contract: every hook a cpo-learn plugin may implement.

Each hook is called once per plugin that implements it (the core calls implementations one at a time so that
everything a plugin adds, and every problem it causes, is attributed to that plugin).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pluggy

from cpo_learn import PROJECT_NAME

if TYPE_CHECKING:  # imported for typing only, to keep start-up fast
    import click

    from cpo_learn.content.registry import Registry
    from cpo_learn.planning.plan import Plan
    from cpo_learn.planning.profile import Profile
    from cpo_learn.rendering.exporters import ExporterRegistrar
    from cpo_learn.tracking.events import LearnerEvent

hookspec = pluggy.HookspecMarker(PROJECT_NAME)


@hookspec
def cpo_learn_register_content(registry: Registry) -> None:
    """Add career content to the catalog.

    Called once per command that needs the catalog (browsing, planning, tracking), never for ``--help``.
    Call ``registry.add_stage``, ``add_track``, ``add_skill``, ``add_practice``, ``add_module`` and
    ``add_milestone`` with keyword arguments named like the front-matter keys of a content pack, or
    ``registry.load_pack(path)`` to load a data-only pack. Everything added is validated with the rest of the
    catalog; invalid items are reported against this plugin and left out.
    """


@hookspec
def cpo_learn_register_exporters(register: ExporterRegistrar) -> None:
    """Add output formats for ``generate``.

    Called when a command needs the list of formats. Call ``register(name, suffix, function)``
    where ``function(plan, context) -> str`` renders a plan; ``suffix`` (like ``.md``) lets
    ``generate -o FILE`` pick the format from the file name.
    """


@hookspec
def cpo_learn_register_commands(cli: click.Group) -> None:
    """Add click commands to the ``cpo-learn`` command line.

    Called at start-up, before the command line is parsed (so ``cpo-learn --help`` lists them). Keep the
    module that implements this hook cheap to import: import heavy libraries inside the command functions.
    Use ``cli.command()`` as a decorator or ``cli.add_command(command)``.
    """


@hookspec
def cpo_learn_template_dirs() -> list[str] | None:
    """Return Jinja2 template directories searched before the built-in templates.

    Called when an exporter renders a template. A template in one of these directories that has the name of
    a built-in one replaces it; it can extend the original with ``{% extends "default:curriculum.md.j2" %}``.
    """


@hookspec
def cpo_learn_adjust_plan(plan: Plan, profile: Profile) -> Plan | None:
    """Change a learner's plan after the planner made it (organisation policy).

    Called once per plan, for every plugin that implements it, in plugin-name order; each receives the
    plan returned by the previous one. Return a new plan (``plan.with_required(...)``,
    ``plan.without(...)``, ``plan.reordered(...)``) or ``None`` to keep it. The result is re-validated:
    no prerequisite may come after its dependent.
    """


@hookspec
def cpo_learn_progress_event(event: LearnerEvent) -> None:
    """React to a progress event after the tracker has durably recorded it.

    Called once per recorded event (``started``, ``completed``, ``skipped``, ``waived``, ``reopened``,
    ``milestone_achieved``, ``undone``, ``assessed`` with the skill as target and ``event.level``), with the
    event's fields plus ``event.learner`` (the learner's id).
    Use it to forward progress to a learning record store, a chat or an HR system. An exception here is
    reported on stderr; the event stays recorded.
    """


HOOK_NAMES: tuple[str, ...] = (
    "cpo_learn_register_content",
    "cpo_learn_register_exporters",
    "cpo_learn_register_commands",
    "cpo_learn_template_dirs",
    "cpo_learn_adjust_plan",
    "cpo_learn_progress_event",
)

