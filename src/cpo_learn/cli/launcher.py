"""The console script's entry point, with a start-up cache for ``cpo-learn --help``.

``--help`` has to list plugin commands, so it must load every plugin: that costs importing click, pluggy and
``importlib.metadata`` and scanning every installed distribution, several times the cost of starting Python.
The rendered text is therefore cached together with a fingerprint of everything it depends on: the
interpreter, ``sys.path``, the plugin environment variables, the terminal width, the modification times of
every ``sys.path`` folder (an install or uninstall changes them) and of every non-stdlib module file that was
loaded to render it (plugins, commands). Any change re-renders it. This module imports only builtins.
``CPO_LEARN_NO_CACHE=1`` turns the cache off; ``CPO_LEARN_CACHE_DIR`` moves it. Read-only commands (``next``,
``progress``, ...) go through the replay cache (``cli/replay.py``), which works the same way for their output.
"""

from __future__ import annotations

import marshal
import os
import sys

from cpo_learn.cache import cache_dir, cache_enabled, key_name, stamp, write_cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

HELP_ARGS = (["--help"], ["-h"])
ENV_KEYS = ("CPO_LEARN_PLUGINS_DIR", "CPO_LEARN_LOAD_PLUGINS", "CPO_LEARN_DISABLE_PLUGINS",
            "CPO_LEARN_STRICT_PLUGINS", "COLUMNS")
FORMAT = 1


def _width() -> int:
    # click wraps help at min(terminal width, 80) - 2; anything wider renders the same
    try:
        columns = int(os.environ.get("COLUMNS", "") or 0) or os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
    except (ValueError, OSError, AttributeError):
        columns = 80
    return min(columns, 82)


def _key() -> list[Any]:
    from cpo_learn import __version__

    return [FORMAT, __version__, sys.executable, list(sys.path), [os.environ.get(k) for k in ENV_KEYS], _width()]


def _watched_paths() -> list[str]:
    import sysconfig

    stdlib = (sysconfig.get_paths()["stdlib"], sysconfig.get_paths()["platstdlib"])
    paths = {p for p in sys.path if p and os.path.isdir(p)}
    for directory in os.environ.get("CPO_LEARN_PLUGINS_DIR", "").split(os.pathsep):
        if directory:
            paths.add(directory)
            if os.path.isdir(directory):
                paths.update(os.path.join(directory, name) for name in os.listdir(directory))
    for module in list(sys.modules.values()):
        filename = getattr(module, "__file__", None)
        if filename and not filename.startswith(stdlib):
            paths.add(filename)
    return sorted(paths)


def _cache_file() -> str:
    # one file per key, so two interpreters or environments sharing a cache dir don't evict each other
    return os.path.join(cache_dir(), f"help-{key_name(_key())}.marshal")


def read_help() -> str | None:
    """The cached help text if everything it depends on is unchanged, else None."""
    try:
        with open(_cache_file(), "rb") as handle:
            entry = marshal.load(handle)
        if entry["key"] != _key():
            return None
        for path, mtime, size in entry["files"]:
            if stamp(path) != [path, mtime, size]:
                return None
        text: str = entry["text"]
        return text
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        return None


def write_help(text: str) -> None:
    """Store the help text with the fingerprint of everything it depends on."""
    entry = {"key": _key(), "files": [stamp(p) for p in _watched_paths()], "text": text}
    write_cache(_cache_file(), marshal.dumps(entry))


def main() -> None:
    """Run ``cpo-learn``: serve ``--help`` from the cache when it is fresh, otherwise run the CLI."""
    args = sys.argv[1:]
    use_cache = args in HELP_ARGS and cache_enabled() \
        and os.environ.get("CPO_LEARN_TRACE_PLUGINS", "") in ("", "0")
    if use_cache:
        cached = read_help()
        if cached is not None:
            sys.stdout.write(cached)
            sys.stdout.flush()
            return
        from cpo_learn.cli.main import render_help

        text, clean = render_help()
        sys.stdout.write(text)
        sys.stdout.flush()
        if clean:  # never cache a run in which a plugin reported a problem: the warning must show every time
            write_help(text)
        return
    from cpo_learn.cli import replay

    replayable = replay.wanted(args)
    if replayable and replay.replay(args):
        return
    from cpo_learn.cli.main import main as cli_main

    if replayable:
        replay.record(args, cli_main)
    else:
        cli_main()
