"""The replay cache: a command whose every input is unchanged prints what it printed last time.

``next``, ``progress``, ``week``, ``stages``, ``skills``, ``modules``, ``milestones`` and ``show`` only read:
their output is a function of the arguments, the environment, the day, and the files they read. Working it
out again costs importing click, the plugins and the planner (about ten times the start of Python); reading it
back costs one small file and a ``stat`` of each input. ``generate`` writes a file: it is replayed only when
its recorded run wrote every file it wrote exactly as that file already was (a run over its own output, with
nothing changed), and only while each such file still has the stamp it had after that write; the replay
prints the run's message and leaves the file in place (it keeps its modification time).

**Recording.** A run is watched: an audit hook (``sys.addaudithook``) sees every file opened, written, renamed
or removed and every folder listed, ``os.stat``/``os.lstat`` are wrapped to see every path looked at (an
``exists()`` on a file that is not there counts, so creating it later is a change), and stdout and stderr are
tee'd. The entry keeps the text written to stdout with a stamp (modification and change times, size, inode)
of each input, of every module file loaded (cpo-learn, click, plugins), and of every ``sys.path`` folder (an
install or uninstall changes them); a folder only looked at or opened, not listed, is stamped by its inode.
The standard library and the cache folder are left out (the caches under it are keyed on their own inputs),
and so is bytecode (``__pycache__``: its source counts).

What the run wrote to stderr (a note, a warning) is kept too, in order with stdout, and replayed with it.

**Never recorded**: a run that exits non-zero, reports a plugin problem (``PluginHost.report``), reads stdin,
changes a file outside the cache folder (writes other bytes, makes, removes, moves or chmods it), starts a
process or opens a connection (a pager, the network), reads the clock's moment (``clock.now``), asks for the
binary stdout, or calls the code of any plugin but cpo-learn's own default plugins (``PluginHost.call_one``: a
plugin may read anything, the time for one); a run in which an input changed less than two seconds before it
started (a second change within the file system's time resolution could leave its stamp as it was). Each of
those calls ``cpo_learn.cache.mark_unrepeatable``.

**Replaying.** The key is the format, cpo-learn's version, the interpreter, ``sys.path``, the arguments, the
working folder, the whole environment, whether stdin, stdout and stderr are terminals (and the terminal's
size), stdout's encoding, the local time zone, and the local and UTC day. Any difference, any changed stamp, a
damaged or missing entry: the command runs and is recorded again. ``CPO_LEARN_NO_CACHE=1`` turns it off. This
module imports only builtins and ``cpo_learn.cache``.
"""
from __future__ import annotations

import marshal
import os
import sys
import time

from cpo_learn import cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

FORMAT = 3
REPLAYABLE = frozenset({"next", "progress", "week", "stages", "skills", "modules", "milestones", "show", "generate"})
"""The commands whose output may be replayed: none of them changes a file, but ``generate`` writes the same
curriculum again when nothing changed, which a replay leaves in place."""
GLOBAL_VALUE_OPTIONS = frozenset({"--home", "--learner", "--plugins-dir"})
GLOBAL_FLAGS = frozenset({"--strict", "--wide", "--no-color"})
KEEP = 200
"""Entries kept in the replay folder; the least recently written go first."""
RACY_NS = 2_000_000_000
"""An input changed this recently is not trusted to show its next change in its stamp."""
OUTSIDE_EVENTS = frozenset({"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
                            "socket.connect", "socket.getaddrinfo", "urllib.Request"})
"""Audit events of a run that reaches outside its files (a pager, the network): never replayed."""
CHANGE_EVENTS = frozenset({"os.remove", "os.rmdir", "os.chmod", "os.chown", "os.utime", "os.truncate", "os.symlink",
                           "os.link", "os.chflags", "os.setxattr", "os.removexattr", "shutil.rmtree",
                           "shutil.copyfile", "shutil.copytree", "shutil.move"})
"""Audit events that change a file (its first argument) other than by writing it: never replayed."""
BYTECODE = f"{os.sep}__pycache__{os.sep}"
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def command_of(args: list[str]) -> str | None:
    """The command ``args`` run, if the global options before it are ones this module knows, else None."""
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in GLOBAL_VALUE_OPTIONS:
            index += 2
            continue
        if arg in GLOBAL_FLAGS or (arg.startswith("--") and arg.split("=", 1)[0] in GLOBAL_VALUE_OPTIONS):
            index += 1
            continue
        return None if arg.startswith("-") else arg
    return None


def wanted(args: list[str]) -> bool:
    """Whether ``args`` may be served from (and recorded into) the replay cache."""
    if not cache.cache_enabled() or os.environ.get("CPO_LEARN_TRACE_PLUGINS", "") not in ("", "0"):
        return False
    if "--help" in args or "-h" in args or "--version" in args:
        return False  # ``--help`` has its own cache (launcher.py); the rest is cheap
    return command_of(args) in REPLAYABLE


def _tty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _key(args: list[str]) -> list[Any]:
    from cpo_learn import __version__

    ttys = [_tty(sys.stdin), _tty(sys.stdout), _tty(sys.stderr)]
    size: list[int] = []
    if any(ttys):
        try:
            size = list(os.get_terminal_size(sys.__stdout__.fileno() if ttys[1] else 2))  # type: ignore[union-attr]
        except (OSError, ValueError, AttributeError):
            size = []
    local, utc = time.localtime(), time.gmtime()
    return [FORMAT, __version__, sys.executable, sys.version, list(sys.path), list(args), os.getcwd(),
            sorted(os.environ.items()), ttys, size, list(local[:3]), list(utc[:3]),
            [time.timezone, time.altzone, time.daylight, list(time.tzname)],  # the system's time zone too
            getattr(sys.stdout, "encoding", None), getattr(sys.stdout, "errors", None)]


def _entry_file(key: list[Any]) -> str:
    return os.path.join(cache.cache_dir(), "replay", f"{cache.key_name(key)}.marshal")


def _stamp(path: str, whole: bool = True) -> tuple[str, bool, int, int, int, int]:
    """(path, whole, mtime, ctime, size, inode); -1 for each when it is missing. A folder that was only looked at
    (``stat``, not opened or listed: a part of a path being resolved, an ``is_dir()``) is stamped by its inode
    alone: files added to it change nothing the run saw, and a folder like ``/tmp`` changes all the time."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return (path, whole, -1, -1, -1, -1)
    if not whole and st.st_mode & 0o170000 == 0o040000:
        return (path, whole, 0, 0, 0, st.st_ino)
    return (path, whole, st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def replay(args: list[str]) -> bool:
    """Print the recorded output of ``args`` (stdout and stderr, in order) and return True, if every input is as
    it was; else False."""
    try:
        key = _key(args)
        with open(_entry_file(key), "rb") as handle:
            entry = marshal.load(handle)
        if entry["key"] != key:
            return False
        for recorded in entry["stamps"]:
            if _stamp(recorded[0], recorded[1]) != tuple(recorded):
                return False
        chunks = [(1 if number == 1 else 2, str(text)) for number, text in entry["chunks"]]
    except (OSError, EOFError, ValueError, TypeError, KeyError, IndexError):
        return False
    for number, text in chunks:  # in the order they were written, so a terminal shows both as before
        stream = sys.stdout if number == 1 else sys.stderr
        stream.write(text)
        stream.flush()
    return True


class _Tee:
    """A text stream that passes everything through to ``stream`` and keeps what was written, in order with
    what the other stream got (``chunks``: (1 for stdout or 2 for stderr, text))."""

    def __init__(self, stream: Any, number: int, chunks: list[tuple[int, str]]) -> None:
        self._stream = stream
        self._number = number
        self._chunks = chunks

    def write(self, text: str) -> int:
        written: int = self._stream.write(text)  # raises first on bytes, as the real stream does
        if text:
            self._chunks.append((self._number, text))
        return written

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    @property
    def buffer(self) -> Any:
        cache.mark_unrepeatable("wrote bytes")
        return self._stream.buffer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _Watched:
    """stdin: any read makes the run unrepeatable."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def __getattr__(self, name: str) -> Any:
        if name in ("read", "readline", "readlines", "buffer", "fileno"):
            cache.mark_unrepeatable("read stdin")
        return getattr(self._stream, name)

    def __iter__(self) -> Any:
        cache.mark_unrepeatable("read stdin")
        return iter(self._stream)


class _Recorder:
    def __init__(self) -> None:
        self.active = True
        self.paths: set[str] = set()
        self.looked: set[str] = set()
        self.written: set[str] = set()
        self.renamed_away: set[str] = set()
        self.before: dict[str, bytes | None] = {}
        self.cwd = os.getcwd()
        self.skip = (os.path.dirname(os.__file__) + os.sep, os.path.join(cache.cache_dir(), ""),
                     "/proc/", "/dev/", "/sys/")

    def note(self, path: Any, whole: bool = True) -> str | None:
        if isinstance(path, int) or path is None:
            return None
        try:
            text = os.fsdecode(path)
        except (TypeError, ValueError):
            return None
        text = os.path.normpath(os.path.join(self.cwd, text))
        if text.startswith(self.skip) or text + os.sep == self.skip[1] or BYTECODE in text:
            return None  # bytecode is derived from its source, whose stamp is kept
        (self.paths if whole else self.looked).add(text)
        return text

    def _snapshot(self, path: str) -> None:
        """Keep what ``path`` holds before this run first changes it."""
        if path in self.before:
            return
        self.active = False  # reading it must not count as the run's own read
        try:
            with open(path, "rb") as handle:
                self.before[path] = handle.read()
        except OSError:
            self.before[path] = None
        finally:
            self.active = True

    def audit(self, event: str, args: tuple[Any, ...]) -> None:
        if not self.active:
            return
        if event == "open":
            path, mode, flags = args
            writes = any(c in mode for c in "wax+") if isinstance(mode, str) else bool((flags or 0) & _WRITE_FLAGS)
            if not writes and isinstance(path, str | bytes) and os.path.isdir(path):
                self.note(path, whole=False)  # a folder opened to sync it, not listed
                return
            noted = self.note(path)
            if writes and noted is not None:
                self._snapshot(noted)
                self.written.add(noted)
        elif event in ("os.listdir", "os.scandir"):
            self.note(args[0] if args and args[0] is not None else ".")
        elif event == "os.rename":
            source, target = self.note(args[0]), self.note(args[1])
            if source is not None and target is not None:
                self._snapshot(target)
                self.written.add(target)
                self.renamed_away.add(source)
            elif source is not None or target is not None:
                cache.mark_unrepeatable("moved a file into or out of the cache")
        elif event == "os.mkdir":
            if not os.path.isdir(args[0]):
                cache.mark_unrepeatable(f"made the folder {args[0]}")
        elif event in CHANGE_EVENTS:
            target = self.note(args[0]) if args else None
            if target is not None and target not in self.written:
                cache.mark_unrepeatable(f"{event} {target}")
        elif event in OUTSIDE_EVENTS:
            cache.mark_unrepeatable(event)

    def wrap(self, function: Callable[..., Any]) -> Callable[..., Any]:
        def looked_at(path: Any, *args: Any, **kwargs: Any) -> Any:
            if self.active:
                self.note(path, whole=False)
            return function(path, *args, **kwargs)

        return looked_at

    def outputs(self) -> set[str] | None:
        """The files the run wrote and left in place, when it wrote each of them again as it was (a run
        repeated over its own output); None when it changed or made any."""
        left = {p for p in self.written if p not in self.renamed_away or os.path.lexists(p)}
        for path in left:
            try:
                with open(path, "rb") as handle:
                    now: bytes | None = handle.read()
            except OSError:
                now = None
            if now is None or now != self.before.get(path):
                return None
        return left

    def stamps(self, since_ns: int, outputs: set[str]) -> list[tuple[str, bool, int, int, int, int]] | None:
        paths = set(self.paths) - (self.renamed_away - outputs)
        paths.update(os.path.normpath(os.path.join(self.cwd, p)) for p in sys.path if p)
        for module in list(sys.modules.values()):
            filename = getattr(module, "__file__", None)
            if isinstance(filename, str) and not filename.startswith(self.skip) and BYTECODE not in filename:
                paths.add(filename)
        stamps = [_stamp(p) for p in sorted(paths)] + [_stamp(p, False) for p in sorted(self.looked - paths)]
        # changed too recently for its stamp to show the next change; the run's own outputs were just
        # written, and it is their stamp after the write that is checked
        if any((s[2] >= since_ns or s[3] >= since_ns) and s[0] not in outputs for s in stamps):
            return None
        return stamps


def record(args: list[str], run: Callable[[], None]) -> None:
    """Run the command (``run``) watching what it reads; keep its output when it may be replayed."""
    try:
        recorder, key = _Recorder(), _key(args)
    except OSError:  # the working folder is gone, say: just run
        run()
        return
    started = time.time_ns()
    sys.addaudithook(recorder.audit)
    real_stat, real_lstat = os.stat, os.lstat
    real_in, real_out, real_err = sys.stdin, sys.stdout, sys.stderr
    chunks: list[tuple[int, str]] = []
    out, err = _Tee(real_out, 1, chunks), _Tee(real_err, 2, chunks)
    os.stat, os.lstat = recorder.wrap(real_stat), recorder.wrap(real_lstat)
    sys.stdin, sys.stdout, sys.stderr = _Watched(real_in), out, err
    code: Any = 0
    try:
        run()
    except SystemExit as exc:
        code = exc.code
    finally:
        recorder.active = False
        os.stat, os.lstat = real_stat, real_lstat
        sys.stdin, sys.stdout, sys.stderr = real_in, real_out, real_err
    if code in (0, None) and not cache.unrepeatable() and _key(args) == key:  # the day may have turned
        outputs = recorder.outputs()
        stamps = recorder.stamps(started - RACY_NS, outputs) if outputs is not None else None
        if stamps is not None:
            _keep(key, stamps, chunks)
    if code not in (0, None):
        raise SystemExit(code)


def _keep(key: list[Any], stamps: list[tuple[str, bool, int, int, int, int]],
          chunks: list[tuple[int, str]]) -> None:
    path = _entry_file(key)
    cache.write_cache(path, marshal.dumps({"key": key, "stamps": stamps, "chunks": chunks}))
    folder = os.path.dirname(path)
    try:
        names = [n for n in os.listdir(folder) if n.endswith(".marshal")]
        if len(names) > KEEP:
            aged = sorted(names, key=lambda n: _stamp(os.path.join(folder, n))[2])
            for name in aged[:len(names) - KEEP]:
                os.remove(os.path.join(folder, name))
    except OSError:
        pass
