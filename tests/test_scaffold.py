"""``cpo-learn plugin new``: the scaffold installs, is listed, shows its module and passes its own test."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from helpers import Invoke
from installing import make_venv, pip_install, run_in


@pytest.mark.slow
def test_scaffold_installs_and_passes_its_own_test(run: Invoke, tmp_path: Path) -> None:
    result = run("plugin", "new", "acme-data", "--stage", "mid-level", "--dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    package = tmp_path / "acme-data"
    python = make_venv(tmp_path / "venv")
    pip_install(python, str(package))
    home = tmp_path / "home"
    plugins = json.loads(run_in(python, "plugins", "--json", home=home).stdout)
    acme = next(p for p in plugins if p["name"] == "acme-data")
    assert acme["source"] == "entrypoint" and acme["registered"] == {"milestones": 1, "modules": 1}
    modules = json.loads(run_in(python, "modules", "--stage", "mid-level", "--json", home=home).stdout)
    assert "acme-data/how-we-build-products-here" in [m["id"] for m in modules]
    tests = subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", str(package / "tests")],
                           capture_output=True, text=True, cwd=package)
    assert tests.returncode == 0, tests.stdout + tests.stderr
    assert "4 passed" in tests.stdout


def test_scaffold_content_is_valid(run: Invoke, tmp_path: Path) -> None:
    run("plugin", "new", "acme-data", "--stage", "leadership", "--dir", str(tmp_path))
    pack = tmp_path / "acme-data" / "src" / "cpo_learn_acme_data" / "pack"
    result = run("validate", str(pack))
    assert result.exit_code == 0, result.output


def test_scaffold_refuses_to_overwrite(run: Invoke, tmp_path: Path) -> None:
    (tmp_path / "acme-data").mkdir()
    (tmp_path / "acme-data" / "keep.txt").write_text("mine")
    result = run("plugin", "new", "acme-data", "--dir", str(tmp_path))
    assert result.exit_code == 1
    assert "already exists" in result.stderr
    assert sorted(p.name for p in (tmp_path / "acme-data").iterdir()) == ["keep.txt"]


@pytest.mark.parametrize("name", ["Acme", "acme_data", "../acme", "", "a" * 60, "cpo", "cpo-learn-x"])
def test_scaffold_rejects_bad_names(run: Invoke, tmp_path: Path, name: str) -> None:
    result = run("plugin", "new", name, "--dir", str(tmp_path))
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir() if p.name not in ("home", "cache")] == []
