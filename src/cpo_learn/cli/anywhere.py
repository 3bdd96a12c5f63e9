"""The group's options that also work after the command: ``cpo-learn progress --learner finn`` means
``cpo-learn --learner finn progress``.

Each command (built-in, a plugin's, and the commands of a sub-group) gets copies of ``--home``, ``--learner``,
``--wide`` and ``--no-color`` whose callbacks set what the group's options set. Given in both places with
different values, ``--home`` or ``--learner`` is a one-line usage error: neither silently wins. A command that
declares an option of the same name keeps its own.
"""

from __future__ import annotations

from typing import Any

import click
from click.core import ParameterSource

_MARK = "_cpo_learn_anywhere"


def _same_as_before(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    if value is None or value is False:  # not given after the command
        return
    root = ctx.find_root()
    name = param.name or ""
    if name in ("home", "learner"):
        before = root.params.get(name)
        given_before = root.get_parameter_source(name) is ParameterSource.COMMANDLINE
        if given_before and before != value:
            raise click.UsageError(f"--{name} is given twice, '{before}' before the command and '{value}' "
                                   "after it; give it once")
        setattr(root.obj, f"{name}_option", value)
    else:
        from cpo_learn.cli.options import set_display

        set_display(root, **{name: True})


def _options() -> list[click.Option]:
    from cpo_learn.cli import completion

    return [
        click.Option(["--home"], metavar="DIR", expose_value=False, callback=_same_as_before,
                     help="Where learners' data lives (as before the command)."),
        click.Option(["--learner"], metavar="NAME", expose_value=False, callback=_same_as_before,
                     shell_complete=completion.learners,
                     help="Which learner (as before the command)."),
        click.Option(["--wide"], is_flag=True, default=None, expose_value=False, callback=_same_as_before,
                     help="Show tables whole, not cut to the terminal's width."),
        click.Option(["--no-color", "no_color"], is_flag=True, default=None, expose_value=False,
                     callback=_same_as_before, help="No colour (env NO_COLOR)."),
    ]


def accept_anywhere(command: click.Command) -> None:
    """Give ``command`` (and, for a group, its sub-commands) the group options it does not declare itself."""
    if getattr(command, _MARK, False):
        return
    setattr(command, _MARK, True)
    taken = {opt for param in command.params for opt in param.opts}
    command.params.extend(option for option in _options() if not taken.intersection(option.opts))
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            accept_anywhere(sub)
