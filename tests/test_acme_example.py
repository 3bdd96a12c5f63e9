"""The example organisation plugin, installed into a virtual environment: listed, generated, tracked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from installing import make_venv, pip_install, run_in

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "acme-onboarding"
MANDATORY = ["acme-onboarding/acme-customers-and-market", "acme-onboarding/how-acme-ships",
             "acme-onboarding/security-and-privacy-basics"]


@pytest.mark.slow
def test_acme_onboarding_end_to_end(tmp_path: Path) -> None:
    python = make_venv(tmp_path / "venv")
    pip_install(python, str(EXAMPLE))
    home = tmp_path / "home"

    def cpo(*args: str) -> str:
        done = run_in(python, *args, home=home, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        return done.stdout

    plugins = {p["name"]: p for p in json.loads(cpo("plugins", "--json"))}
    acme = plugins["acme-onboarding"]
    assert acme["source"] == "entrypoint" and acme["version"] == "1.0.0"
    assert acme["registered"] == {"milestones": 1, "modules": 3}
    assert sorted(acme["hooks"]) == sorted([
        "cpo_learn_adjust_plan", "cpo_learn_progress_event", "cpo_learn_register_commands",
        "cpo_learn_register_content", "cpo_learn_template_dirs"])
    assert "acme-status" in cpo("--help")

    # A leadership learner would never see starting-roles modules; Acme makes its own mandatory for all.
    cpo("init", "--name", "Lee", "--stage", "leadership", "--hours", "8")
    plan = json.loads(cpo("generate", "--format", "json", "-o", "-"))
    planned = {m["id"]: m for stage in plan["stages"] for m in stage["modules"]}
    for module_id in MANDATORY:
        assert planned[module_id]["reason"].startswith("mandatory for everyone at Acme"), planned[module_id]
    markdown = cpo("generate", "-o", "-")
    assert "Acme product academy" in markdown and "## Summary" in markdown

    cpo("done", MANDATORY[2])
    assert "[x] acme-onboarding/security-and-privacy-basics" in cpo("acme-status")
    assert "1 of 3 mandatory Acme modules done" in cpo("acme-status")
    forwarded = [json.loads(line) for line in (home / "acme-progress.jsonl").read_text().splitlines()]
    assert [(e["type"], e["target"], e["learner"]) for e in forwarded] == [("completed", MANDATORY[2], "lee")]


def test_the_examples_own_tests_pass_with_cpo_learn_testing(tmp_path: Path) -> None:
    """examples/acme-onboarding/tests uses cpo_learn.testing (isolated home, in-process registration)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CPO_LEARN_")}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE / "tests")],
                          capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout
