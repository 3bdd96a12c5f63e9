"""``generate --format ics``: a calendar that parses back, the same bytes every run, one event per scheduled
module, milestones on their due days, and a weekly study block in the learner's own time zone."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from cpo_learn.tracking.tracker import Tracker

TODAY = "2026-12-01"


@pytest.fixture
def ada(home: Path) -> str:
    store = Tracker(home).store("Ada Lovelace")
    store.save_profile({"name": "Ada Lovelace", "stage": "mid-level", "target": "leadership", "hours_per_week": 6,
                        "start": "2026-11-02", "time_zone": "America/New_York"})
    return store.slug


def calendar_of(run, *args: str) -> tuple[bytes, icalendar.Calendar]:
    result = run("generate", "--format", "ics", "-o", "-", "--today", TODAY, *args)
    assert result.exit_code == 0, result.output
    raw = result.stdout_bytes
    return raw, icalendar.Calendar.from_ical(raw)


def plan_of(run) -> dict:
    return json.loads(run("generate", "--format", "json", "-o", "-", "--today", TODAY).stdout)


def test_the_calendar_parses_back_with_one_event_per_scheduled_module(ada: str, run) -> None:
    raw, calendar = calendar_of(run)
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    events = calendar.walk("VEVENT")
    plan = plan_of(run)
    scheduled = [m for s in plan["stages"] for m in s["modules"] if m["week"] is not None]
    due = [m for s in plan["stages"] for m in s["milestones"] if m["due"]]
    module_events = [e for e in events if "/module/" in str(e["uid"])]
    # one event per scheduled module (the calendar keeps the plan's order, the JSON groups by stage); a waived
    # module (her assumed ratings waive some) keeps its UID as a cancelled event
    live = [e for e in module_events if e.get("status") != "CANCELLED"]
    assert sorted(str(e["uid"]) for e in live) == sorted(f"ada-lovelace/module/{m['id']}@cpo-learn" for m in scheduled)
    waived = [m for s in plan["stages"] for m in s["modules"] if m["status"] == "waived"]
    assert sorted(str(e["uid"]) for e in module_events if e.get("status") == "CANCELLED") == sorted(
        f"ada-lovelace/module/{m['id']}@cpo-learn" for m in waived)
    by_id = {m["id"]: m for m in scheduled}
    for event in live:
        module = by_id[str(event["uid"]).removeprefix("ada-lovelace/module/").removesuffix("@cpo-learn")]
        assert event.decoded("dtstart") == date.fromisoformat(module["start"])
        assert (event.decoded("dtend") - date.fromisoformat(module["due"])).days == 1
        assert module["title"] in str(event["summary"]) and f"Id: {module['id']}" in str(event["description"])
        assert "Week" in str(event["description"]) and " h of study" in str(event["description"])
    milestone_events = [e for e in events if "/milestone/" in str(e["uid"])]
    assert [e.decoded("dtstart") for e in milestone_events] == [date.fromisoformat(m["due"]) for m in due]
    assert all(str(e["summary"]).startswith("Milestone due: ") for e in milestone_events)
    arrivals = [e for e in events if "/arrival/" in str(e["uid"])]
    assert [str(e["uid"]) for e in arrivals] == ["ada-lovelace/arrival/leadership@cpo-learn"]  # the second clock
    assert str(arrivals[0]["summary"]).startswith("Likely in ")
    assert len({str(e["uid"]) for e in events}) == len(events)
    assert all(e.decoded("dtstamp") == datetime(2026, 12, 1, tzinfo=ZoneInfo("UTC")) for e in events)


def test_two_runs_give_the_same_bytes(ada: str, run) -> None:
    args = ("--study-day", "saturday", "--study-time", "09:30")
    assert calendar_of(run, *args)[0] == calendar_of(run, *args)[0]
    assert b"\r\n" in calendar_of(run)[0]


def test_the_study_block_recurs_weekly_in_the_learners_time_zone(ada: str, run) -> None:
    raw, calendar = calendar_of(run, "--study-day", "Saturday", "--study-time", "09:30", "--time-zone",
                                "Europe/Paris")
    block = next(e for e in calendar.walk("VEVENT") if "study-block" in str(e["uid"]))
    start = block.decoded("dtstart")
    assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Paris"
    assert start.time() == time(9, 30) and start.date() == date(2026, 12, 5)  # the first Saturday from today
    assert start.utcoffset().total_seconds() == 3600  # CET in December
    assert block["rrule"]["FREQ"] == ["WEEKLY"] and block["rrule"]["BYDAY"] == ["SA"]
    assert block["rrule"]["UNTIL"][0].date() >= date.fromisoformat(plan_of(run)["finish"])
    assert block.decoded("duration").total_seconds() == 6 * 3600
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert b"DTSTART;TZID=Europe/Paris:20261205T093000" in raw

    # without --time-zone: the profile's
    _, calendar = calendar_of(run, "--study-day", "mon")
    block = next(e for e in calendar.walk("VEVENT") if "study-block" in str(e["uid"]))
    assert str(block.decoded("dtstart").tzinfo) == "America/New_York"
    assert block.decoded("dtstart").time() == time(9, 0)


def test_recorded_progress_shows_and_the_rest_is_replanned_from_today(ada: str, run) -> None:
    plan = plan_of(run)
    first = next(m for s in plan["stages"] if s["id"] == "mid-level" for m in s["modules"] if m["week"] is not None)
    assert run("done", first["id"], "--on", "2026-11-20").exit_code == 0
    _, calendar = calendar_of(run)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    done = events[f"ada-lovelace/module/{first['id']}@cpo-learn"]
    assert str(done["summary"]).startswith("Done: ") and done.decoded("dtstart") == date(2026, 11, 20)
    planned = [e for e in events.values() if "/module/" in str(e["uid"]) and e.get("status") == "CONFIRMED"]
    assert planned and min(e.decoded("dtstart") for e in planned) >= date(2026, 12, 1)


def test_an_unknown_time_zone_is_one_line(ada: str, run) -> None:
    result = run("generate", "--format", "ics", "-o", "-", "--study-day", "monday", "--time-zone", "Mars/Olympus")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "unknown time zone 'Mars/Olympus'" in result.stderr


def test_the_ics_suffix_picks_the_format(ada: str, run, tmp_path: Path) -> None:
    result = run("generate", "-o", str(tmp_path / "plan.ics"), "--today", TODAY)
    assert result.exit_code == 0, result.output
    assert icalendar.Calendar.from_ical((tmp_path / "plan.ics").read_bytes()).walk("VEVENT")
