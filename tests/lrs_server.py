"""A real learning record store for the tests: Ralph (``ralph-malph`` 5.1.0) on 127.0.0.1, with basic auth.

Ralph is a test-time tool, never a dependency of cpo-learn: it lives in a virtual environment of its own,
built once (about 20 s) into a cache folder and reused by every later run:
``$CPO_LEARN_TEST_LRS_DIR``, else ``$XDG_CACHE_HOME/cpo-learn-tests``, else ``~/.cache/cpo-learn-tests``. CI
builds it before the tests (``python tests/lrs_server.py --build`` in ``.ci/run``); a test run that finds it
missing builds it itself, under a file lock so parallel workers build it once.

Ralph 5.1.0's stock ``fs`` backend accepts one write per store (every later POST answers 500, "overwrite is
not allowed"), because it writes its one JSONL file with the CREATE operation. The venv therefore also holds
``ralph-fsappend``, a ten-line entry-point plugin (``ralph.backends.lrs``) that subclasses the stock backend
and appends instead; Ralph itself is not patched. Each server gets a fresh data folder, so tests never see
each other's statements.

The venv also answers a second question: whether a statement is valid under Ralph's *strict* xAPI models
(``ralph.models.xapi.base.statements.BaseXapiStatement``, which forbid unknown fields, empty values, and
``context.platform``/``revision`` on statements whose object is not an Activity). Its API validates only
laxly, so ``strict_errors`` runs those models directly, in the venv, on the statements given.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RALPH_VERSION = "5.1.0"
# The ``lrs`` extra misses ``requests``, which the API imports at start-up.
REQUIREMENTS = (f"ralph-malph[cli,lrs]=={RALPH_VERSION}", "requests==2.34.2")
USER = "cpo"
PASSWORD = "lrs-test-secret"
XAPI_VERSION = "1.0.3"
START_TIMEOUT = 30.0

PLUGIN_PYPROJECT = f"""\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"
[project]
name = "ralph-fsappend"
version = "0.1.0"
dependencies = ["ralph-malph[lrs]=={RALPH_VERSION}"]
[project.entry-points."ralph.backends.lrs"]
fsappend = "ralph_fsappend:FSAppendLRSBackend"
[tool.setuptools]
py-modules = ["ralph_fsappend"]
"""

PLUGIN_MODULE = '''\
"""Ralph's filesystem LRS backend, appending to its JSONL file instead of refusing a second write."""
from pydantic_settings import SettingsConfigDict
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend, FSLRSBackendSettings
from ralph.conf import BASE_SETTINGS_CONFIG


class FSAppendLRSBackendSettings(FSLRSBackendSettings):
    model_config = {**BASE_SETTINGS_CONFIG,
                    **SettingsConfigDict(env_prefix="RALPH_BACKENDS__LRS__FSAPPEND__")}


class FSAppendLRSBackend(FSLRSBackend):
    default_operation_type = BaseOperationType.APPEND   # stock: CREATE


# set after the class exists (__init_subclass__ would reset it)
FSAppendLRSBackend.settings_class = FSAppendLRSBackendSettings
'''

STRICT_CHECK = '''\
import json, sys
from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement
errors = []
for index, statement in enumerate(json.load(sys.stdin)):
    try:
        BaseXapiStatement.model_validate(statement)
    except ValidationError as exc:
        errors.append({"index": index, "id": statement.get("id"),
                       "errors": [{"loc": [str(p) for p in e["loc"]], "msg": e["msg"]} for e in exc.errors()]})
json.dump(errors, sys.stdout)
'''


class LrsUnavailable(RuntimeError):
    """Ralph could not be installed or started here (the message says why)."""


def cache_root() -> Path:
    """Where the LRS venv is kept between runs."""
    chosen = os.environ.get("CPO_LEARN_TEST_LRS_DIR")
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cpo-learn-tests"


def venv_dir() -> Path:
    """The LRS venv (its name changes with what it holds, so an old one is never reused by mistake)."""
    return cache_root() / f"ralph-{RALPH_VERSION}-fsappend-py{sys.version_info[0]}{sys.version_info[1]}"


def _python(venv: Path) -> Path:
    return venv / "bin" / "python"


def ensure_venv() -> Path:
    """The LRS venv's python, building the venv first when it is not there (``LrsUnavailable`` if it can't)."""
    try:
        return _ensure_venv()
    except (OSError, subprocess.SubprocessError) as exc:  # a cache folder that can't be written, pip hanging
        raise LrsUnavailable(f"could not build the Ralph venv in {venv_dir()}: {exc}") from exc


def _ensure_venv() -> Path:
    from filelock import FileLock

    venv = venv_dir()
    marker = venv / "cpo-learn-complete"
    if marker.is_file():
        return _python(venv)
    venv.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(venv) + ".lock", timeout=600):
        if marker.is_file():
            return _python(venv)
        building = venv.with_name(venv.name + ".building")
        shutil.rmtree(building, ignore_errors=True)
        plugin = building / "src" / "ralph-fsappend"
        plugin.mkdir(parents=True)
        (plugin / "pyproject.toml").write_text(PLUGIN_PYPROJECT)
        (plugin / "ralph_fsappend.py").write_text(PLUGIN_MODULE)
        steps = [
            [sys.executable, "-m", "venv", str(building)],
            [str(_python(building)), "-m", "pip", "install", "-q", *REQUIREMENTS, str(plugin)],
        ]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, timeout=900)
            if done.returncode != 0:
                tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
                shutil.rmtree(building, ignore_errors=True)
                raise LrsUnavailable(f"could not install Ralph ({' '.join(step[:4])} ...): {' | '.join(tail)}")
        # A venv's scripts hold its absolute path: it is built under its final name's sibling and then moved,
        # so the python to use is always called through ``python -m`` (never through bin/ scripts).
        shutil.rmtree(venv, ignore_errors=True)
        building.rename(venv)
        marker.write_text(" ".join(REQUIREMENTS) + "\n")
    return _python(venv)


def ensure_credentials(python: Path) -> Path:
    """Ralph's ``auth.json`` for USER/PASSWORD, made once with ``ralph auth`` (bcrypt costs ~1 s) and reused."""
    from filelock import FileLock

    made = python.parent.parent / "auth.json"
    with FileLock(str(made) + ".lock", timeout=120):
        if made.is_file():
            return made
        folder = made.parent / "auth-app"
        folder.mkdir(exist_ok=True)
        env = {k: v for k, v in os.environ.items() if not k.startswith("RALPH_")}
        env.update(RALPH_APP_DIR=str(folder), RALPH_RUNSERVER_BACKEND="fsappend")
        auth = subprocess.run(
            [str(python), "-m", "ralph", "auth", "-u", USER, "-p", PASSWORD, "-s", "all",
             "-M", "mailto:lrs-admin@example.org", "-w"], env=env, capture_output=True, text=True, timeout=120)
        if auth.returncode != 0:
            raise LrsUnavailable(f"ralph auth failed: {auth.stderr.strip()[-300:]}")
        shutil.copyfile(folder / "auth.json", str(made) + ".tmp")
        os.replace(str(made) + ".tmp", made)
    return made


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def strict_errors(statements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every statement that Ralph's strict xAPI model rejects: ``[{index, id, errors: [{loc, msg}]}]``."""
    python = ensure_venv()
    done = subprocess.run([str(python), "-c", STRICT_CHECK], input=json.dumps(statements), capture_output=True,
                          text=True, timeout=120)
    if done.returncode != 0:
        raise RuntimeError(f"strict check failed to run: {done.stderr.strip()}")
    found: list[dict[str, Any]] = json.loads(done.stdout)
    return found


@dataclass
class RalphServer:
    """One Ralph LRS process on 127.0.0.1 with its own fresh store."""

    python: Path
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    since: int = 0  # statements() leaves out the first ``since`` stored (those of earlier tests)

    @property
    def endpoint(self) -> str:
        """The xAPI endpoint (what ``lrs push --endpoint`` takes)."""
        return f"http://127.0.0.1:{self.port}/xAPI/"

    def env(self) -> dict[str, str]:
        """Ralph's settings: the fsappend backend over this server's data folder, basic auth only."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("RALPH_", "CPO_LEARN_"))}
        env.update(
            RALPH_APP_DIR=str(self.folder / "app"),
            RALPH_RUNSERVER_BACKEND="fsappend",
            RALPH_RUNSERVER_AUTH_BACKENDS="basic",
            RALPH_BACKENDS__LRS__FSAPPEND__DEFAULT_DIRECTORY_PATH=str(self.folder / "data"),
        )
        return env

    def start(self) -> None:
        """Put the credentials in place, start uvicorn, and wait until the heartbeat answers."""
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        (self.folder / "app").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ensure_credentials(self.python), self.folder / "app" / "auth.json")
        log = (self.folder / "server.log").open("wb")
        # Plain uvicorn, not ``ralph runserver`` (which reloads: three processes and a watch on the cwd).
        self.process = subprocess.Popen(
            [str(self.python), "-m", "uvicorn", "ralph.api:app", "--host", "127.0.0.1", "--port", str(self.port),
             "--log-level", "warning"],
            env=self.env(), stdout=log, stderr=subprocess.STDOUT, cwd=self.folder)
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise LrsUnavailable(f"Ralph exited at start-up: {self.log()[-500:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1) as answer:
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        self.stop()
        raise LrsUnavailable(f"Ralph did not answer within {START_TIMEOUT:.0f} s: {self.log()[-500:]}")

    def stop(self) -> None:
        """Stop the server (TERM, then KILL after 10 s)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log(self) -> str:
        """What the server printed."""
        path = self.folder / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """One authenticated xAPI call (the test's own client, not the one under test)."""
        data = None if body is None else json.dumps(body).encode()
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        headers = {"Authorization": f"Basic {token}", "X-Experience-API-Version": XAPI_VERSION}
        if data is not None:
            headers["Content-Type"] = "application/json"
        url = f"http://127.0.0.1:{self.port}{path}"
        call = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(call, timeout=30) as answer:
                raw = answer.read()
                return answer.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            return exc.code, json.loads(raw) if raw else None

    def mark(self) -> None:
        """From now on ``statements()`` shows only what is stored after this point (one server, many tests)."""
        self.since = 0
        self.since = len(self.statements())

    def statements(self) -> list[dict[str, Any]]:
        """The statements ``GET /xAPI/statements`` returns (following ``more``, at most 100 pages) since
        ``mark()``; Ralph's fs backend lists them in the order they were stored."""
        found: list[dict[str, Any]] = []
        path: str | None = "/xAPI/statements?limit=100"
        for _ in range(100):
            if not path:
                return found[self.since:]
            status, page = self.request("GET", path)
            assert status == 200, (status, page)
            found.extend(page["statements"])
            path = page.get("more") or None
        raise AssertionError("more than 100 pages of statements")

    def statement(self, statement_id: str, *, voided: bool = False) -> tuple[int, Any]:
        """``GET /xAPI/statements?statementId=`` (or ``voidedStatementId=``)."""
        key = "voidedStatementId" if voided else "statementId"
        return self.request("GET", f"/xAPI/statements?{key}={statement_id}")


@contextlib.contextmanager
def running_server(folder: Path, port: int | None = None) -> Iterator[RalphServer]:
    """Start a Ralph server over a fresh store in ``folder`` (on ``port``, else a free one), and stop it."""
    server = RalphServer(ensure_venv(), folder, port or free_port())
    try:
        server.start()
        yield server
    finally:
        server.stop()


if __name__ == "__main__":
    # ``python tests/lrs_server.py --build``: build the venv now (CI does it before the tests).
    if sys.argv[1:] != ["--build"]:
        sys.exit("usage: python tests/lrs_server.py --build")
    started = time.monotonic()
    try:
        print(f"Ralph LRS venv ready: {ensure_venv()} ({time.monotonic() - started:.1f} s)")
    except LrsUnavailable as exc:
        print(f"Ralph LRS venv not built: {exc}")
