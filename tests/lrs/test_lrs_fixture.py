"""The Ralph fixture itself: it starts, takes repeated writes, and reads them back."""

from __future__ import annotations

import uuid

from lrs_server import RalphServer


def statement(ident: str) -> dict[str, object]:
    return {"id": ident, "actor": {"objectType": "Agent", "account": {"homePage": "https://example.org", "name": "u1"}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"objectType": "Activity", "id": "https://example.org/activities/a1"},
            "timestamp": "2026-12-01T10:00:00Z"}


def test_ralph_takes_several_writes_and_ignores_a_repeated_one(ralph: RalphServer) -> None:
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    assert ralph.request("POST", "/xAPI/statements", [statement(first)]) == (200, [first])
    assert ralph.request("POST", "/xAPI/statements", [statement(second)]) == (200, [second])
    assert ralph.request("POST", "/xAPI/statements", [statement(first)])[0] == 204
    assert sorted(s["id"] for s in ralph.statements()) == sorted([first, second])
