"""``report`` from its row cache, its plan memo and the raw fold gives the rows of the long way, byte for byte."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cpo_learn
from cpo_learn.tracking.events import Event, EventType, fold, fold_records, format_timestamp, in_log_order
from cpo_learn.tracking.tracker import Tracker

pytestmark = pytest.mark.cold_cache  # tests of the caches: each starts with an empty cache dir

TALKING = "education/talking-to-users"
PM = "education/what-product-managers-do"
SIDE_PROJECT = "education/shipped-a-side-project"  # milestone


def cohort(tracker: Tracker) -> None:
    """Learners with every kind of record, one damaged file, one bad event and one bad profile."""
    for n in range(6):
        store = tracker.store(f"learner {n}")
        store.save_profile({"name": f"Learner {n}", "stage": "education", "hours_per_week": 5 + n % 2})
        if n % 2:
            store.record("completed", TALKING, on=date(2026, 1, 5), note="good")
        if n % 3 == 0:
            store.record("waived", PM, reason="did it before")
            store.undo()
        if n == 5:
            store.record("started", PM)  # today: a streak, which no row may take from the memo
        if n == 4:
            store.record("milestone_achieved", SIDE_PROJECT, evidence="https://example.org")
            store.record("reopened", TALKING)
    tracker.store("no profile").record("started", TALKING)
    bad = tracker.store("bad profile")
    bad.save_profile({"name": "Bad", "stage": "nowhere", "hours_per_week": 5})
    odd = tracker.store("odd event")
    odd.save_profile({"name": "Odd", "stage": "education", "hours_per_week": 5})
    odd.record("completed", TALKING)
    data = json.loads(odd.path.read_text())
    data["events"]["1"]["timestamp"] = "2026-01-05T10:00:00+02:00"  # valid, but not the form this code writes
    odd.path.write_text(json.dumps(data))
    broken = tracker.store("broken")
    broken.save_profile({"name": "Broken", "stage": "education", "hours_per_week": 5})
    broken.path.write_text("{nope", encoding="utf-8")


def reports(run, **env: str) -> tuple[str, str, str]:
    out = [run("report", *args, **env).stdout for args in ((), ("--csv",), ("--json",))]
    return out[0], out[1], out[2]


def test_cached_memoised_and_long_way_reports_agree(tracker: Tracker, run, tmp_path: Path) -> None:
    cohort(tracker)
    long_way = reports(run, CPO_LEARN_NO_CACHE="1")
    assert not list((tmp_path / "cache").glob("report-*"))  # caches off: nothing kept
    first = reports(run)
    assert list((tmp_path / "cache").glob("report-*"))
    assert first == reports(run) == long_way
    assert "Learner 4" in long_way[0] and "error" in long_way[1]


def test_a_changed_file_plugin_or_version_is_read_again(tracker: Tracker, run, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    cohort(tracker)
    run("report")
    tracker.store("learner 0").record("completed", TALKING, on=date.today())
    after = json.loads(run("report", "--json").stdout)
    assert next(r for r in after if r["learner"] == "learner-0")["done_hours"] == 12
    assert after == json.loads(run("report", "--json", CPO_LEARN_NO_CACHE="1").stdout)
    pack = tmp_path / "plugins" / "extra"
    (pack / "modules").mkdir(parents=True)
    (pack / "pack.toml").write_text('name = "extra"\nversion = "1.0.0"\nnamespace = "extra"\n')
    (pack / "modules" / "more.md").write_text(
        "---\nid: extra/more\ntitle: More to learn\nstage: education\nkind: core\nhours: 7\n"
        "skills: {analytics: 2}\nprerequisites: []\noutcomes: [One thing, Another]\n---\nBody.\n")
    monkeypatch.setenv("CPO_LEARN_PLUGINS_DIR", str(tmp_path / "plugins"))
    with_plugin = json.loads(run("report", "--json").stdout)
    row = next(r for r in with_plugin if r["learner"] == "learner-1")
    assert row["total_hours"] == next(r for r in after if r["learner"] == "learner-1")["total_hours"] + 7
    cache = next((tmp_path / "cache").glob("report-*"))
    before = cache.read_bytes()
    monkeypatch.setattr(cpo_learn, "__version__", "99.0.0")
    assert json.loads(run("report", "--json").stdout) == with_plugin
    assert cache.read_bytes() != before  # a new version: every row read again and kept under the new key


def test_a_damaged_row_cache_is_ignored_and_rebuilt(tracker: Tracker, run, tmp_path: Path) -> None:
    cohort(tracker)
    expected = reports(run)
    for cache in (tmp_path / "cache").glob("report-*"):
        cache.write_bytes(b"\x80\x05 not a pickle")
    assert reports(run) == expected
    assert all(not c.read_bytes().startswith(b"\x80\x05 not") for c in (tmp_path / "cache").glob("report-*"))


# -- the raw fold --------------------------------------------------------------------------------------------
TARGETS = ("a/one", "a/two", "a/three", "a/milestone")
SKILLS = ("analytics", "empathy")


@st.composite
def logs(draw: st.DrawFn) -> list[Event]:
    events: list[Event] = []
    for _ in range(draw(st.integers(0, 12))):
        moment = format_timestamp(draw(st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 1, 1),
                                                    timezones=st.just(UTC))))
        kind = draw(st.sampled_from(list(EventType)))
        target = draw(st.sampled_from(TARGETS))
        if kind == EventType.UNDONE:
            if not events:
                continue
            undone = draw(st.sampled_from(events))
            events.append(Event.new(kind, undone.target, reverses=undone.id, timestamp=moment))
            continue
        assessed = kind == EventType.ASSESSED
        events.append(Event.new(kind, draw(st.sampled_from(SKILLS)) if assessed else target, timestamp=moment,
                                note=draw(st.none() | st.just("a note")),
                                on=draw(st.none() | st.dates(date(2025, 1, 1), date(2027, 1, 1))),
                                reason="why" if kind == EventType.WAIVED else None,
                                evidence="link" if kind == EventType.MILESTONE_ACHIEVED else None,
                                level=draw(st.integers(0, 5)) if assessed else None))
    return events


@settings(max_examples=50, deadline=None)
@given(logs())
def test_a_log_written_before_events_had_a_level_folds_the_same_way(events: list[Event]) -> None:
    """Records without the 'level' key (every event of an older cpo-learn) take the fast path and fold alike."""
    older = [e for e in events if e.type != EventType.ASSESSED]
    records = [{k: v for k, v in json.loads(json.dumps(e.to_dict())).items() if k != "level"} for e in older]
    folded = fold_records(records)
    assert folded is not None
    assert folded[0] == fold(in_log_order([Event.from_dict(r) for r in records]))


@settings(max_examples=150, deadline=None)
@given(logs())
def test_the_raw_fold_is_the_fold(events: list[Event]) -> None:
    records = [json.loads(json.dumps(event.to_dict())) for event in events]
    folded = fold_records(records)
    assert folded is not None
    ordered = in_log_order(events)
    assert folded == (fold(ordered), ordered[-1].timestamp if ordered else None)


@pytest.mark.parametrize("zone", ["UTC", "Asia/Tokyo", "America/Los_Angeles", "Pacific/Kiritimati"])  # lengths differ
def test_the_raw_fold_dates_an_event_as_every_view_does_in_any_time_zone(zone: str,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A completion at 20:00 UTC is on its UTC day for ``report`` too, as for ``progress`` (``Event.day``); the
    raw fold used the machine's local date, a day later east of UTC."""
    import time

    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        tick = f"{len(zone):06d}"  # a timestamp of each zone's own: no folded record is reused from another zone
        stamps = [f"2026-06-01T20:00:00.{tick}Z", f"2026-06-02T03:00:00.{tick}Z"]
        events = [Event.from_dict({**Event.new(EventType.COMPLETED, f"a/m{n}").to_dict(), "timestamp": stamp})
                  for n, stamp in enumerate(stamps)]
        records = [json.loads(json.dumps(event.to_dict())) for event in events]
        folded = fold_records(records)
        assert folded is not None
        assert folded[0] == fold(in_log_order(events))
        assert [folded[0].modules[f"a/m{n}"].on for n in range(2)] == [date(2026, 6, 1), date(2026, 6, 2)]
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize("change", [
    {"timestamp": "2026-13-01T00:00:00.000000Z"}, {"id": "not-a-uuid"}, {"type": "finished"}, {"note": 5},
    {"on": "yesterday"}, {"extra": 1}, {"target": ""}, {"reverses": "c0ffee"}, {"note": "x" * 10_001},
    {"timestamp": "2026-01-01T00:00:00+00:00"},
])
def test_records_not_in_the_written_form_go_the_long_way(change: dict[str, object]) -> None:
    record = json.loads(json.dumps(Event.new("completed", "a/one").to_dict()))
    assert fold_records([{**record, **change}]) is None


def test_the_plan_does_not_depend_on_the_name(catalog) -> None:  # what the report's plan memo relies on
    from dataclasses import replace

    from cpo_learn.planning.planner import make_plan
    from cpo_learn.planning.profile import profile_from_mapping
    from cpo_learn.planning.state import EMPTY_STATE

    profile = profile_from_mapping({"name": "Ada", "stage": "education", "hours_per_week": 6}, catalog.stage_ids,
                                   catalog.skills)
    plan = make_plan(catalog, profile, EMPTY_STATE, date(2026, 6, 17))
    other = make_plan(catalog, replace(profile, name="Grace"), EMPTY_STATE, date(2026, 6, 17))
    assert replace(other, profile=profile) == plan
