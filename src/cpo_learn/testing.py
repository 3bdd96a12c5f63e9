"""Helpers for testing cpo-learn plugins: an isolated home, in-process plugins, a sample learner, JSON output.

Public like ``cpo_learn.api`` (a plugin's tests may import it; the core never does)::

    import pytest
    from cpo_learn.testing import isolated, run_json

    @pytest.fixture(autouse=True)
    def _home(tmp_path):
        with isolated(tmp_path):
            yield

    def test_module_is_listed():
        ids = [m["id"] for m in run_json("modules", "--stage", "mid-level", "--json")]
        assert "acme-data/how-we-build-products-here" in ids

Nothing here touches the real user's data: ``isolated`` points the home and the cache at a temporary folder and
clears every other ``CPO_LEARN_*`` variable for the duration of a test.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from click.testing import Result

__all__ = [
    "SAMPLE_PROFILE",
    "CommandFailed",
    "isolated",
    "registered",
    "run",
    "run_json",
    "sample_learner",
    "sample_profile",
]

SAMPLE_PROFILE: Mapping[str, Any] = {
    "name": "Sam Sample",
    "stage": "mid-level",
    "target": "cpo",
    "hours_per_week": 6,
    "start": "2026-01-05",
    "skills": {"analytics": 3, "communication": 3, "customer-centricity": 3, "empathy": 3, "leadership": 2,
               "resilience": 3, "strategic-thinking": 2, "technical-expertise": 3},
}
"""A mid-level product manager aiming at CPO, six hours a week (``sample_profile`` writes it as TOML)."""


class CommandFailed(AssertionError):
    """A command run by ``run`` exited with an error: the message holds the command, exit code and output."""


@contextlib.contextmanager
def isolated(folder: str | os.PathLike[str]) -> Iterator[Path]:
    """Run the block with the cpo-learn home and cache in ``folder`` (``home/`` and ``cache/`` under it) and
    no other ``CPO_LEARN_*`` variable set; everything is as it was afterwards. Yields the home."""
    root = Path(folder)
    saved = {k: v for k, v in os.environ.items() if k.startswith("CPO_LEARN_")}
    for name in saved:
        del os.environ[name]
    os.environ["CPO_LEARN_HOME"] = str(root / "home")
    os.environ["CPO_LEARN_CACHE_DIR"] = str(root / "cache")
    try:
        yield root / "home"
    finally:
        for name in [k for k in os.environ if k.startswith("CPO_LEARN_")]:
            del os.environ[name]
        os.environ.update(saved)


@contextlib.contextmanager
def registered(plugin: object, name: str) -> Iterator[None]:
    """Load ``plugin`` (a module or any object with hook implementations) as plugin ``name`` in every command
    run inside the block, without installing it; it stands in for an installed plugin of that name."""
    from cpo_learn.host.plugins import IN_PROCESS

    earlier = IN_PROCESS.get(name)
    IN_PROCESS[name] = plugin
    try:
        yield
    finally:
        if earlier is None:
            IN_PROCESS.pop(name, None)
        else:
            IN_PROCESS[name] = earlier


def run(*args: str, input: str | None = None, env: Mapping[str, str] | None = None,
        expect: int = 0) -> Result:
    """Run ``cpo-learn ARGS`` in-process and return click's result (``stdout`` and ``stderr`` apart).

    Raises ``CommandFailed`` with the output when the exit code is not ``expect`` (0 unless told).
    """
    from click.testing import CliRunner

    from cpo_learn.cli.main import cli

    result = CliRunner().invoke(cli, list(args), input=input, env=dict(env or {}))
    if result.exit_code != expect:
        raise CommandFailed(f"cpo-learn {shlex.join(args)} exited {result.exit_code} (expected {expect})\n"
                            f"stdout: {result.stdout}\nstderr: {result.stderr}")
    return result


def run_json(*args: str, env: Mapping[str, str] | None = None) -> Any:
    """Run ``cpo-learn ARGS`` (a command that prints JSON: ``--json``, ``--format json -o -``) and return the
    parsed JSON; ``CommandFailed`` if it fails or prints anything else."""
    result = run(*args, env=env)
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError as exc:
        raise CommandFailed(f"cpo-learn {shlex.join(args)} did not print JSON ({exc}): "
                            f"{result.stdout[:500]}") from None


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value))


def sample_profile(path: str | os.PathLike[str], **changes: Any) -> Path:
    """Write ``SAMPLE_PROFILE`` (with ``changes``, e.g. ``stage="leadership"``) as a TOML file for
    ``cpo-learn generate --profile FILE``; returns its path."""
    data = {**SAMPLE_PROFILE, **changes}
    lines = [f"{key} = {_toml_value(value)}" for key, value in data.items() if not isinstance(value, Mapping)]
    for key, value in data.items():
        if isinstance(value, Mapping):
            lines += ["", f"[{key}]", *(f"{k} = {_toml_value(v)}" for k, v in value.items())]
    target = Path(path)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def sample_learner(name: str = "Sam Sample", stage: str = "mid-level", hours: float = 6,
                   *extra: str) -> str:
    """Create a learner in the current home with ``cpo-learn init`` (run inside ``isolated``); returns the
    learner's id. ``extra`` are more ``init`` options, e.g. ``"--target", "leadership"``."""
    run("init", "--name", name, "--stage", stage, "--hours", str(hours), *extra)
    from cpo_learn.text import slugify

    return slugify(name)
