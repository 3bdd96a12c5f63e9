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


def test_self_assessments_pass_ralphs_strict_model(ada: str, run, lrs_python) -> None:
    """``assess`` gives ``scored`` statements about the skill, with the level as ``result.score``."""
    for args in (("assess", "--skill", "analytics=0", "--skill", "empathy=5", "--note", "after a review"),
                 ("undo",)):
        assert run(*args).exit_code == 0
    statements = exported(run, "--mbox", "ada@example.com")
    assert [s["verb"]["display"]["en-US"] for s in statements] == ["scored", "scored", "voided"]
    assert statements[1]["result"]["score"] == {"raw": 5, "min": 0, "max": 5, "scaled": 1.0}
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


def test_statements_of_any_log_pass_the_strict_model(lrs_python) -> None:
    """Random logs (every type, undo chains, undone undos, notes of any text, --on days): all strict xAPI."""
    import uuid
    from datetime import date

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from cpo_learn.tracking.events import Event
    from cpo_learn.tracking.xapi import statements as xapi_statements

    text = st.one_of(st.none(), st.text(min_size=1, max_size=40))
    step = st.tuples(st.sampled_from(["started", "completed", "skipped", "waived", "reopened",
                                      "milestone_achieved", "undone", "assessed"]),
                     st.sampled_from(["a/one", "a/two", "b/three-é"]), text,
                     st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2026, 12, 1))), st.integers(0, 50))
    collected: list[dict[str, Any]] = []

    @settings(max_examples=60, database=None, deadline=None)
    @given(st.lists(step, max_size=12), st.sampled_from([None, "ada@example.com"]))
    def build(steps: list[tuple[str, str, str | None, date | None, int]], mbox: str | None) -> None:
        events: list[Event] = []
        for number, (kind, target, note, on, pick) in enumerate(steps):
            ident = str(uuid.UUID(int=len(collected) * 100 + number + 1, version=4))
            stamp = f"2026-01-01T00:00:{number:02d}.000000Z"
            if kind == "undone":
                if not events:
                    continue
                events.append(Event(ident, kind, target, stamp, note=note, reverses=events[pick % len(events)].id))
                continue
            events.append(Event(ident, kind, "analytics" if kind == "assessed" else target, stamp, note=note, on=on,
                                plugin="a", reason=(note or "known already") if kind == "waived" else None,
                                evidence=(note or "shipped") if kind == "milestone_achieved" else None,
                                level=pick % 6 if kind == "assessed" else None))
        collected.extend(xapi_statements(events, name="Ada", account="ada", titles={"a/one": "One"},
                                         milestones={"b/three-é"}, mbox=mbox, hours={"a/one": 1.5, "a/two": 0.25}))

    build()
    assert collected and strict_errors(collected) == []
