"""The package's layers (pyproject.toml's import-linter contracts) hold, and a wrong arrow breaks the build.

Each bad import below is added to a copy of the package; ``lint-imports`` must then fail and name the contract.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="import-linter is not installed")


def lint(cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", str(ROOT / "pyproject.toml")],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_every_contract_is_kept(tmp_path: Path) -> None:
    result = lint(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("content/model.py", "from cpo_learn.cli import main", "Subpackages follow the data flow"),
    ("planning/plan.py", "from cpo_learn.tracking import store", "Subpackages follow the data flow"),
    ("rendering/curriculum.py", "from cpo_learn.tracking import events",
     "Subpackages follow the data flow"),
    ("planning/profile.py", "from cpo_learn.planning import plan",
     "No import circle between the modules of any package"),
    ("text.py", "from cpo_learn.content import catalog", "Base modules import no subpackage"),
    ("app/report.py", "import click", "Only the CLI layer imports click"),
    ("planning/planner.py", "import tinydb", "The planning layer imports no storage, click, jinja2 or tinydb"),
    ("host/plugins.py", "from cpo_learn.default_plugins import vocabulary",
     "No subpackage imports default_plugins"),
    ("tracking/tracker.py", "from cpo_learn import api", "The core does not import the public plugin API"),
    ("app/context.py", "from cpo_learn import testing", "The core does not import the public plugin API"),
])
def test_a_wrong_arrow_breaks_a_contract(tmp_path: Path, module: str, line: str, contract: str) -> None:
    copy = tmp_path / "src" / "cpo_learn"
    shutil.copytree(ROOT / "src" / "cpo_learn", copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # a deliberate wrong arrow\n",
                      encoding="utf-8")
    result = lint(tmp_path, pythonpath=tmp_path / "src")
    assert result.returncode == 1, result.stdout + result.stderr
    broken = [row for row in result.stdout.splitlines() if " BROKEN" in row]
    assert any(row.startswith(contract) for row in broken), result.stdout


def import_circles(package: str) -> list[list[str]]:
    """Every set of modules of ``package`` that import each other in a circle (run-time and TYPE_CHECKING
    imports alike), found as the strongly connected components of grimp's import graph."""
    import grimp

    graph = grimp.build_graph(package, cache_dir=None)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    circles: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        circles.append(sorted(component))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return circles


def test_no_import_circle_anywhere_in_the_package() -> None:
    assert import_circles("cpo_learn") == []
