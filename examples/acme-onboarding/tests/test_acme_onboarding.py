"""Acme's plugin, tested with cpo_learn.testing: a home of its own per test, the plugin registered in-process.

``registered`` loads the plugin module without installing it (and stands in for an installed copy), so these
tests run from a checkout: ``pip install cpo-learn pytest && pytest examples/acme-onboarding``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cpo_learn.testing import isolated, registered, run, run_json, sample_learner

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
import acme_onboarding

MANDATORY = sorted(["acme-onboarding/acme-customers-and-market", "acme-onboarding/how-acme-ships",
                    "acme-onboarding/security-and-privacy-basics"])


@pytest.fixture(autouse=True)
def _acme(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    with isolated(tmp_path) as home, registered(acme_onboarding, "acme-onboarding"):
        monkeypatch.setenv("ACME_PROGRESS_LOG", str(tmp_path / "hr.jsonl"))
        yield home


def test_the_pack_is_valid_under_strict() -> None:
    report = run_json("--strict", "validate", "--json")
    assert report["ok"], report["problems"]
    assert report["registered"]["acme-onboarding"] == {"milestones": 1, "modules": 3}


def test_every_learner_gets_the_mandatory_modules_whatever_their_stage() -> None:
    sample_learner("Lee", stage="leadership")
    plan = run_json("generate", "--format", "json", "-o", "-")
    reasons = {m["id"]: m["reason"] for stage in plan["stages"] for m in stage["modules"]}
    assert all(reasons[m].startswith(acme_onboarding.MANDATORY_REASON) for m in MANDATORY)


def test_acme_status_counts_done_modules_and_progress_is_forwarded(tmp_path: Path) -> None:
    sample_learner("Lee", stage="leadership")
    run("done", MANDATORY[2])
    assert "1 of 3 mandatory Acme modules done" in run("acme-status").stdout
    events = [json.loads(line) for line in (tmp_path / "hr.jsonl").read_text().splitlines()]
    assert [(e["type"], e["target"], e["learner"]) for e in events] == [("completed", MANDATORY[2], "lee")]
