"""``export --format xapi`` is strict xAPI 1.0.3: every statement passes Ralph's strict statement model."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from click.testing import Result

from lrs.lrs_story import BASICS, TALKING
from lrs_server import strict_errors

CMI5_REASON = "https://w3id.org/xapi/cmi5/result/extensions/reason"


def exported(run: Callable[..., Result], *args: str) -> list[dict[str, Any]]:
    result = run("export", "--format", "xapi", *args)
    assert result.exit_code == 0, result.output
    found: list[dict[str, Any]] = json.loads(result.stdout)
    return found


@pytest.mark.parametrize("identify", [(), ("--mbox", "ada@example.com")], ids=["account", "mbox"])
def test_every_statement_of_a_rich_export_passes_ralphs_strict_model(rich_history: str, run, lrs_python,
                                                                    identify: tuple[str, ...]) -> None:
    statements = exported(run, "--base", "https://lrs.example.com/cpo", *identify)
    verbs = {s["verb"]["display"]["en-US"] for s in statements}
    assert verbs == {"attempted", "completed", "waived", "skipped", "progressed", "voided"}
    assert len(statements) == 8
    assert strict_errors(statements) == []


def test_the_strict_model_does_catch_what_the_issue_found(rich_history: str, run, lrs_python) -> None:
    """The check is not a rubber stamp: platform on the voiding statement (the old export) fails it."""
    statements = exported(run)
    voiding = next(s for s in statements if s["object"]["objectType"] == "StatementRef")
    voiding["context"]["platform"] = "cpo-learn"
    found = strict_errors(statements)
    assert [f["id"] for f in found] == [voiding["id"]]
    assert "platform" in found[0]["errors"][0]["msg"]


def test_completions_carry_duration_and_waivers_the_cmi5_reason(rich_history: str, run) -> None:
    statements = exported(run)
    basics = next(s for s in statements if s["verb"]["display"]["en-US"] == "completed"
                  and s["object"]["id"].endswith(BASICS))
    assert basics["result"]["duration"].startswith("PT") and basics["result"]["completion"] is True
    waived = next(s for s in statements if s["verb"]["display"]["en-US"] == "waived")
    assert waived["object"]["id"].endswith(TALKING)
    assert waived["result"]["extensions"] == {CMI5_REASON: "ran 40 interviews at my last job"}
    voiding = next(s for s in statements if s["object"]["objectType"] == "StatementRef")
    assert "platform" not in voiding["context"] and "revision" not in voiding["context"]
    assert all(s["context"]["platform"] == "cpo-learn" for s in statements if s["object"]["objectType"] == "Activity")
