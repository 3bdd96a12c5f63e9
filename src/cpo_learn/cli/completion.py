"""Shell completion (click's own, through ``_CPO_LEARN_COMPLETE``): the values a parameter can take.

Each function is a click ``shell_complete`` callback: module and milestone ids, stages, learners and formats,
read from the installed plugins and the home given on the command line (or by the environment). Completion
runs on every Tab press with a half-typed command line, so it never fails: a home that does not exist, no
learner, or a broken plugin just completes nothing (plugin problems are not printed in the middle of a line).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterable

import click
from click.shell_completion import CompletionItem

from cpo_learn.app.context import App
from cpo_learn.errors import CpoLearnError

Completer = Callable[[click.Context, click.Parameter, str], list[CompletionItem]]


def _app(ctx: click.Context) -> App:
    root = ctx.find_root()
    app = root.obj if isinstance(root.obj, App) else App()
    home = root.params.get("home")
    if home and not app.home_option:
        app.home_option = home
    return app


def _complete(values: Callable[[App], Iterable[str]]) -> Completer:
    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                found = sorted(v for v in values(_app(ctx)) if v.startswith(incomplete))
        except (CpoLearnError, OSError, ValueError):
            return []
        return [CompletionItem(value) for value in found]

    return complete


module_ids = _complete(lambda app: app.catalog().modules)
"""Completes a module id (``start``, ``done``, ``skip``, ``waive``)."""
milestone_ids = _complete(lambda app: app.catalog().milestones)
"""Completes a milestone id (``achieve``)."""
item_ids = _complete(lambda app: [*app.catalog().modules, *app.catalog().milestones,
                                  *(s.id for s in (*app.catalog().stages, *app.catalog().tracks))])
"""Completes any id ``show`` and ``reopen`` take: modules, milestones, stages and tracks."""
stage_ids = _complete(lambda app: app.catalog().stage_ids)
"""Completes a stage id (``init --stage``, ``--target``)."""
stage_and_track_ids = _complete(lambda app: [s.id for s in (*app.catalog().stages, *app.catalog().tracks)])
"""Completes a stage or track id (``modules --stage``, ``milestones --stage``)."""
skill_ids = _complete(lambda app: app.catalog().skills)
"""Completes a skill id (``modules --skill``)."""
learners = _complete(lambda app: app.tracker.learners() if app.home.is_dir() else [])
"""Completes a learner in the home (``--learner``)."""


def _formats(app: App) -> list[str]:
    from cpo_learn.host.formats import load_exporters

    return list(load_exporters(app.host))


formats = _complete(_formats)
"""Completes an output format of ``generate`` (the built-in ones and those plugins add)."""
