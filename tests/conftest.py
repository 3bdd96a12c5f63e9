"""Shared fixtures: every test gets its own home and a clean plugin environment."""

from __future__ import annotations

import compileall
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cache_seed import build_warm_caches, seed
from cpo_learn.cli.main import cli
from cpo_learn.content.catalog import Catalog
from cpo_learn.host.plugins import PluginHost
from helpers import BUILTIN_PLUGINS, ENV_VARS, Invoke, write

REPO = Path(__file__).resolve().parents[1]


def pytest_configure(config: pytest.Config) -> None:
    """Compile the project's modules once, before any test starts (in the controller, not in each xdist
    worker). The suite starts ``cpo-learn`` as a fresh process a few hundred times; where
    ``PYTHONDONTWRITEBYTECODE`` is set (as on the CI machine) no process writes a ``.pyc``, and every one of
    them compiled every module it imported from source again (about 40 s of the suite)."""
    if hasattr(config, "workerinput"):
        return
    for folder in ("src", "plugins"):
        compileall.compile_dir(REPO / folder, quiet=1)


@pytest.fixture(scope="session")
def warm_caches(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The caches of the built-in plugins' catalog, built once per test process (``cache_seed``)."""
    return build_warm_caches(tmp_path_factory.mktemp("warm-caches"), ENV_VARS)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, warm_caches: Path, request: pytest.FixtureRequest) -> Path:
    """A fresh, empty home for each test; no CPO_LEARN_* variable leaks in from the real environment. Its cache
    dir holds a copy of the built-in catalog's caches, unless the test is marked ``cold_cache``."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    home_dir = tmp_path / "home"
    monkeypatch.setenv("CPO_LEARN_HOME", str(home_dir))
    monkeypatch.setenv("CPO_LEARN_CACHE_DIR", str(tmp_path / "cache"))
    seed(tmp_path / "cache", warm_caches, request)
    monkeypatch.chdir(tmp_path)
    return home_dir


@pytest.fixture
def run() -> Invoke:
    """Run ``cpo-learn ARGS`` in-process; returns click's Result (stdout and stderr kept apart)."""

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        return CliRunner().invoke(cli, list(args), input=input, env=env, catch_exceptions=False)

    return invoke


@pytest.fixture
def make_pack(tmp_path: Path) -> Callable[..., Path]:
    """Create a data-only pack under ``tmp_path/plugins/<name>`` with the given module files."""

    def create(name: str = "acme", modules: dict[str, str] | None = None, toml: str | None = None,
               milestones: dict[str, str] | None = None) -> Path:
        root = tmp_path / "plugins" / name
        write(root / "pack.toml", toml if toml is not None else
              f'name = "{name}"\nversion = "1.2.0"\ndescription = "Test pack"\nnamespace = "{name}"\n')
        for slug, text in (modules or {}).items():
            write(root / "modules" / f"{slug}.md", text)
        for slug, text in (milestones or {}).items():
            write(root / "milestones" / f"{slug}.md", text)
        return root

    return create


@pytest.fixture
def runner() -> CliRunner:
    """A click test runner."""
    return CliRunner()


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The catalog of the built-in plugins (built once: it is immutable)."""
    host = PluginHost(env={"CPO_LEARN_LOAD_PLUGINS": BUILTIN_PLUGINS})
    host.load()
    return host.catalog()

