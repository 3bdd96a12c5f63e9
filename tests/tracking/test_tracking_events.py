"""The event log: well-formed events, undo, and the state folded from the log."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cpo_learn.tracking.events import Event, EventError, effective, fold, in_log_order, last_undoable

A, B = "education/talking-to-users", "education/what-product-managers-do"


def at(minute: int) -> str:
    return f"2026-05-01T10:{minute:02d}:00.000000Z"


def test_an_event_round_trips_through_its_dict() -> None:
    event = Event.new("completed", A, note="shadowed Sam", plugin="education", on=date(2026, 4, 30))
    assert Event.from_dict(event.to_dict()) == event
    assert event.to_dict()["on"] == "2026-04-30"
    assert event.timestamp.endswith("Z") and event.moment.utcoffset() == timedelta(0)


@pytest.mark.parametrize(("change", "message"), [
    ({"type": "finished"}, "unknown event type"),
    ({"id": "not-a-uuid"}, "not a UUID"),
    ({"timestamp": "yesterday"}, "not an ISO 8601"),
    ({"timestamp": "2026-05-01T10:00:00"}, "no timezone"),
    ({"on": "2026-13-01"}, "is not a date"),
    ({"note": 42}, "must be a string"),
    ({"colour": "red"}, "unknown field"),
    ({"target": ""}, "missing target"),
])
def test_malformed_events_are_refused_with_the_reason(change: dict[str, object], message: str) -> None:
    data = {**Event.new("completed", A).to_dict(), **change}
    with pytest.raises(EventError, match=message):
        Event.from_dict(data)


def test_waivers_need_a_reason_milestones_evidence_and_undos_a_target() -> None:
    with pytest.raises(EventError, match="reason"):
        Event.new("waived", A)
    with pytest.raises(EventError, match="evidence"):
        Event.new("milestone_achieved", "education/shipped-a-side-project")
    with pytest.raises(EventError, match="reverses"):
        Event.new("undone", A)
    with pytest.raises(EventError, match="only 'undone'"):
        Event.new("completed", A, reverses=Event.new("started", A).id)


def test_the_last_event_in_force_decides_an_items_state() -> None:
    log = [
        Event.new("started", A, timestamp=at(1)),
        Event.new("completed", A, timestamp=at(2), note="good", on=date(2026, 4, 29)),
        Event.new("waived", B, timestamp=at(3), reason="ten years as a PM"),
        Event.new("milestone_achieved", "education/shipped-a-side-project", timestamp=at(4),
                  evidence="a link"),
    ]
    state = fold(log)
    assert state.modules[A].status == "done" and state.modules[A].on == date(2026, 4, 29)
    assert state.modules[A].note == "good"
    assert state.modules[B].status == "waived" and state.modules[B].note == "ten years as a PM"
    assert state.milestones["education/shipped-a-side-project"].status == "achieved"
    reopened = fold([*log, Event.new("reopened", A, timestamp=at(5))])
    assert reopened.modules[A].status == "planned"  # wanted again (even where the ratings would waive it)


def test_undo_reverses_the_newest_event_in_force_and_walks_back() -> None:
    started = Event.new("started", A, timestamp=at(1))
    done = Event.new("completed", A, timestamp=at(2))
    log = [started, done]
    assert last_undoable(log) == done
    log.append(Event.new("undone", A, reverses=done.id, timestamp=at(3)))
    assert fold(log).modules[A].status == "started"
    assert last_undoable(log) == started  # a second undo goes one further back
    log.append(Event.new("undone", A, reverses=started.id, timestamp=at(4)))
    assert A not in fold(log).modules
    assert last_undoable(log) is None
    assert effective(log) == []


def test_undoing_an_undo_restores_its_target() -> None:
    done = Event.new("completed", A, timestamp=at(1))
    undo = Event.new("undone", A, reverses=done.id, timestamp=at(2))
    redo = Event.new("undone", A, reverses=undo.id, timestamp=at(3))
    assert fold([done, undo, redo]).modules[A].status == "done"


def test_the_log_is_ordered_by_time_keeping_the_stored_order_for_ties() -> None:
    late, early = Event.new("started", A, timestamp=at(5)), Event.new("started", B, timestamp=at(1))
    same1, same2 = Event.new("completed", A, timestamp=at(3)), Event.new("completed", B, timestamp=at(3))
    assert in_log_order([late, same1, same2, early]) == [early, same1, same2, late]
