"""The ``cpo-learn`` command line: a thin click layer over the app, one module per command.

Built-in commands live in ``cpo_learn.cli.commands`` and are imported only when they are run or listed; plugin
commands come from ``cpo_learn_register_commands``. Errors a user can cause become one line and exit 1 or 2.
"""

from __future__ import annotations

import contextlib
import errno
import importlib
import os
import sys
from typing import Any

import click

from cpo_learn import __version__
from cpo_learn.app.context import App
from cpo_learn.errors import CpoLearnError, one_line

INTERRUPTED = 130
"""The exit code of a run stopped by Ctrl-C (128 + SIGINT), as shells report it."""

# name -> "module:attribute" under cpo_learn.cli.commands
BUILTIN_COMMANDS: dict[str, str] = {
    "stages": "browse:stages",
    "modules": "browse:modules",
    "milestones": "browse:milestones",
    "show": "browse:show",
    "plugins": "plugins:plugins",
    "validate": "validate:validate",
    "plugin": "plugin:plugin",
    "init": "init:init",
    "generate": "generate:generate",
    "start": "record:start",
    "done": "record:done",
    "skip": "record:skip",
    "waive": "record:waive",
    "reopen": "record:reopen",
    "undo": "record:undo",
    "achieve": "record:achieve",
    "log": "log:log",
    "learners": "learners:learners",
    "report": "learners:report",
    "export": "transfer:export",
    "import": "transfer:import_",
    "recover": "recover:recover",
    "progress": "progress:progress",
    "next": "progress:next_",
    "week": "week:week",
    "sync": "sync:sync",
    "vocabulary": "vocabulary:vocabulary",
    "skills": "skills:skills",
    "assess": "assess:assess",
    "schema": "schema:schema",
    "preview": "preview:preview",
    "lrs": "lrs:lrs",
}


class CliError(click.ClickException):
    """A ``CpoLearnError`` shown the click way: ``Error: message`` on stderr, exit 1."""

    exit_code = 1


class CliUsageError(CliError):
    """A usage ``CpoLearnError``: exit 2 like click's own usage errors."""

    exit_code = 2


def as_click_error(error: CpoLearnError) -> CliError:
    """The click exception that prints ``error`` on one line with its exit code (ids or paths the user typed
    may hold newlines: they are shown escaped)."""
    return (CliUsageError if error.exit_code == 2 else CliError)(one_line(str(error)))


def _scan_options(args: list[str]) -> tuple[list[str], bool]:
    """Read ``--plugins-dir`` and ``--strict`` before click parses, so plugin commands exist for parsing."""
    dirs: list[str] = []
    strict = False
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            break
        if arg == "--plugins-dir" and index + 1 < len(args):
            dirs.append(args[index + 1])
            index += 1
        elif arg.startswith("--plugins-dir="):
            dirs.append(arg.split("=", 1)[1])
        elif arg == "--strict":
            strict = True
        elif not arg.startswith("-"):
            break  # the sub-command: options after it are its own
        index += 1
    return dirs, strict


def _complete_learners(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    from cpo_learn.cli.completion import learners  # only when completing: keeps start-up light

    return learners(ctx, param, incomplete)


def _interrupted() -> None:
    # every write is atomic (temp file, fsync, rename): a run stopped at any point leaves nothing half-saved
    click.echo("\nInterrupted (Ctrl-C): stopped; nothing was half-saved", err=True)
    sys.exit(INTERRUPTED)


class CpoLearnGroup(click.Group):
    """A group that imports built-in commands lazily and adds plugin commands once plugins are loaded."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        """Run the command line; a usage error is one line (``Error: ...; see 'cpo-learn X --help'``), exit 2.

        click's own format puts the usage line and a hint around the error; one line is easier to read.
        """
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            exc.show()  # ``cpo-learn`` alone: the help text, as click prints it
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            hint = f"; see '{exc.ctx.command_path} --help'" if exc.ctx is not None else ""
            message = one_line(exc.format_message()).rstrip(".")
            click.echo(f"Error: {message}{hint}", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            _interrupted()
        except (click.Abort, EOFError) as exc:
            # click turns Ctrl-C and the end of input at a prompt into Abort; what caused it tells them apart
            cause = (exc.__cause__ or exc.__context__) if isinstance(exc, click.Abort) else exc
            if isinstance(cause, KeyboardInterrupt):
                _interrupted()
            if isinstance(cause, EOFError):
                click.echo("Error: the input ended before every question was answered; nothing was saved",
                           err=True)
                sys.exit(1)
            click.echo("Aborted!", err=True)
            sys.exit(1)
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                raise
            # the reader went away (``cpo-learn log | head``): stop quietly; what is left to flush goes nowhere
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._plugin_commands_loaded = False
        self.app: App | None = None

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None,
                     **extra: Any) -> click.Context:
        dirs, strict = _scan_options(list(args))
        self.app = App(plugins_dirs=dirs, strict=strict)
        self._plugin_commands_loaded = False
        for name in [n for n, c in self.commands.items() if getattr(c, "_cpo_learn_plugin", False)]:
            del self.commands[name]
        extra.setdefault("obj", self.app)
        return super().make_context(info_name, args, parent=parent, **extra)

    def load_plugin_commands(self) -> None:
        """Let plugins add their commands (once per invocation); a clash is reported against the plugin."""
        self._load_plugin_commands()

    def _load_plugin_commands(self) -> None:
        if self._plugin_commands_loaded or self.app is None:
            return
        self._plugin_commands_loaded = True
        host = self.app.host
        hook = "cpo_learn_register_commands"
        try:
            for plugin, function in host.implementations(hook):
                before = dict(self.commands)
                host.call_one(hook, plugin, function, cli=self)
                for name in [n for n, command in self.commands.items() if before.get(n) is not command]:
                    problem = self._clash(plugin, name, before.get(name))
                    if problem is not None:
                        host.report(plugin, f"command '{name}' {problem} and was not added; rename it "
                                    f"(e.g. '{plugin}-{name}')")
        except CpoLearnError as exc:
            raise as_click_error(exc) from None

    def _clash(self, plugin: str, name: str, earlier: click.Command | None) -> str | None:
        """Keep a plugin's new command unless it takes a built-in's name or one another plugin took first."""
        if name in BUILTIN_COMMANDS:
            del self.commands[name]
            return "has the name of a built-in command"
        if earlier is not None:
            self.commands[name] = earlier
            return f"is already added by plugin '{getattr(earlier, '_cpo_learn_plugin', '?')}'"
        self.commands[name]._cpo_learn_plugin = plugin  # type: ignore[attr-defined]
        return None

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_plugin_commands()
        return sorted({*BUILTIN_COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = BUILTIN_COMMANDS.get(cmd_name)
        if target is not None:
            module_name, attribute = target.split(":")
            module = importlib.import_module(f"cpo_learn.cli.commands.{module_name}")
            command: click.Command = getattr(module, attribute)
        else:
            self._load_plugin_commands()
            found = self.commands.get(cmd_name)
            if found is None:
                return None
            command = found
        from cpo_learn.cli.anywhere import accept_anywhere

        accept_anywhere(command)  # --home, --learner, --wide, --no-color after the command too
        return command

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None,
                                                                         list[str]]:
        """The command ``args`` name; an unknown one is a usage error suggesting the closest command."""
        name = args[0] if args else ""
        if name and not name.startswith("-") and not ctx.resilient_parsing and self.get_command(ctx, name) is None:
            from cpo_learn.text import did_you_mean

            hint = did_you_mean(name, self.list_commands(ctx), n=1) or "; see 'cpo-learn --help' for the commands"
            raise click.UsageError(f"no such command '{name}'{hint}")
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            if self.app is not None and self.app.strict:
                self._load_plugin_commands()  # strict mode (CI): a command clash fails whatever the command
            return super().invoke(ctx)
        except CpoLearnError as exc:
            raise as_click_error(exc) from None


@click.group(cls=CpoLearnGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", metavar="DIR", envvar="CPO_LEARN_HOME",
              help="Where learners' data lives (env CPO_LEARN_HOME; default: the platform's user data dir).")
@click.option("--learner", metavar="NAME", envvar="CPO_LEARN_LEARNER", shell_complete=_complete_learners,
              help="Which learner (env CPO_LEARN_LEARNER; default: the only one).")
@click.option("--plugins-dir", "plugins_dirs", metavar="DIR", multiple=True,
              type=click.Path(exists=True, file_okay=False),
              help="Also load *.py plugins and content packs from DIR "
                   "(repeatable; env CPO_LEARN_PLUGINS_DIR).")
@click.option("--strict", is_flag=True, help="Exit 1 when any plugin fails (env CPO_LEARN_STRICT_PLUGINS=1).")
@click.option("--wide", is_flag=True, help="Show tables whole instead of cutting long cells to the terminal's width.")
@click.option("--no-color", "no_color", is_flag=True, help="No colour (env NO_COLOR; never in --json or a pipe).")
@click.version_option(__version__, "--version", prog_name="cpo-learn")
@click.pass_context
def cli(ctx: click.Context, home: str | None, learner: str | None, plugins_dirs: tuple[str, ...], strict: bool,
        wide: bool, no_color: bool) -> None:
    """A personalised learning curriculum for the product career path up to Chief Product Officer.

    \b
    Examples:
        cpo-learn stages                      the path, stage by stage
        cpo-learn init --name Ada --stage starting-roles --hours 6
        cpo-learn week                        this week's work, and whether you are on track
        cpo-learn generate                    write curricula/ada.md
        cpo-learn done mid-level/continuous-discovery
        cpo-learn progress
        cpo-learn next --learner ada --wide   these options work after the command too
    """
    from cpo_learn.cli.options import set_display

    app: App = ctx.obj
    app.home_option = home
    app.learner_option = learner
    app.strict = app.strict or strict
    set_display(ctx, wide=wide, no_color=no_color)


def main() -> None:
    """Run the command line (the console script goes through ``cpo_learn.cli.launcher.main``)."""
    cli.main(prog_name="cpo-learn")


def render_help() -> tuple[str, bool]:
    """The top-level ``--help`` text as click prints it, and whether every plugin loaded without a problem."""
    group = cli
    assert isinstance(group, CpoLearnGroup)
    context = group.make_context("cpo-learn", [], resilient_parsing=True)
    with context:
        text = context.get_help() + "\n"
    app = group.app
    clean = app is not None and app._host is not None and not any(r.errors for r in app._host.records.values())
    return text, clean


if __name__ == "__main__":  # pragma: no cover
    main()
