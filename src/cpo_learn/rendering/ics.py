"""``generate --format ics``: the plan as an iCalendar file (RFC 5545) a learner imports into their calendar.

- One all-day event per module of the plan that is scheduled, spanning its weeks (first day to due day), with
  its title and hours in the summary and its weeks, hours, id, link and reason in the description. A module
  already done is one event on the day it was done, marked ``Done:``; a skipped or waived one keeps its UID with
  ``STATUS:CANCELLED``, so a calendar that had it planned drops it.
- One all-day event per milestone on its due day (``Milestone due:``), or on the day it was achieved.
- The career timeline (the second clock): one all-day event per later stage on the learner's likely arrival
  in it (``Likely in <stage>:``), saying what the date rests on and the earliest arrival.
- With a study block (``--study-day``, ``--study-time``), one weekly recurring event in the learner's time zone
  (``--time-zone``, else the profile's ``time_zone``, else UTC), as long as the week's hours, until the
  planned finish; its ``VTIMEZONE`` is included.

Deterministic: UIDs are made of the learner and item ids (so re-importing updates the same events), DTSTAMP
is the plan's day (``--today``), and events come in plan order, so the same inputs give the same bytes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from cpo_learn.errors import UsageError
from cpo_learn.quantities import hours_text

if TYPE_CHECKING:
    from icalendar import Calendar, Event

    from cpo_learn.planning.plan import Plan, PlannedMilestone, PlannedModule
    from cpo_learn.rendering.exporters import ExportContext

PRODID = "-//cpo-learn//curriculum calendar//EN"
UID_DOMAIN = "cpo-learn"
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def uid(learner: str, kind: str, item_id: str) -> str:
    """A UID that stays the same for the same learner and item, run after run."""
    return f"{learner}/{kind}/{item_id}@{UID_DOMAIN}"


def render_ics(plan: Plan, context: ExportContext) -> str:
    """The plan as iCalendar text (CRLF line endings, as RFC 5545 wants)."""
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"cpo-learn: {plan.profile.name}")
    stamp = datetime(plan.today.year, plan.today.month, plan.today.day, tzinfo=UTC)
    for entry in plan.entries:
        event = _module_event(entry, context.learner, plan.today)
        if event is not None:
            event.add("dtstamp", stamp)
            calendar.add_component(event)
    for milestone in plan.milestones:
        event = _milestone_event(milestone, context.learner, plan.today)
        if event is not None:
            event.add("dtstamp", stamp)
            calendar.add_component(event)
    for arrival in plan.timeline:
        if arrival.source != "current" and arrival.likely is not None:
            event = _all_day(f"Likely in {arrival.stage.title}: the career timeline", arrival.likely,
                             arrival.likely, uid(context.learner, "arrival", arrival.stage.id))
            earliest = f", earliest {arrival.earliest}" if arrival.earliest else ""
            event.add("description", f"When you are likely to reach the stage {arrival.stage.title} "
                                     f"({arrival.source}{earliest}); study and in-role work for it are dated "
                                     "from here.")
            event.add("dtstamp", stamp)
            calendar.add_component(event)
    if context.study_block is not None:
        _add_study_block(calendar, plan, context, stamp)
    text: str = calendar.to_ical().decode("utf-8")
    return text


def _all_day(summary: str, first: date, last: date, item_uid: str) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", item_uid)
    event.add("summary", summary)
    event.add("dtstart", first)
    event.add("dtend", last + timedelta(days=1))  # DTEND of an all-day event is the day after
    event.add("transp", "TRANSPARENT")  # weeks-long work beside other work: never blocks time
    return event


def _module_event(entry: PlannedModule, learner: str, today: date) -> Event | None:
    module = entry.module
    hours = f"{hours_text(module.hours)} h"
    item_uid = uid(learner, "module", module.id)
    recorded_on = entry.recorded.on if entry.recorded and entry.recorded.on else today
    if entry.status == "done":
        event = _all_day(f"Done: {module.title} ({hours})", recorded_on, recorded_on, item_uid)
    elif entry.status in ("skipped", "waived"):
        event = _all_day(f"{entry.status.capitalize()}: {module.title}", recorded_on, recorded_on, item_uid)
        event.add("status", "CANCELLED")
    elif entry.start is not None and entry.due is not None and entry.week is not None:
        event = _all_day(f"{module.title} ({hours})", entry.start, entry.due, item_uid)
        event.add("status", "CONFIRMED")
    else:
        return None
    lines = []
    if entry.week is not None and entry.weeks:
        last = entry.weeks[-1][0]
        lines.append(f"Week {entry.week}" if last == entry.week else f"Weeks {entry.week}-{last}")
    lines.append(f"{hours} of study · status: {entry.status}")
    if entry.reason:
        lines.append(f"Why: {entry.reason}")
    link = next((r.url for r in module.resources if r.url), None)
    if link:
        lines.append(f"Link: {link}")
        event.add("url", link)
    lines.append(f"Id: {module.id} (cpo-learn show {module.id}; cpo-learn done {module.id})")
    event.add("description", "\n".join(lines))
    event.add("categories", [module.stage])
    return event


def _milestone_event(item: PlannedMilestone, learner: str, today: date) -> Event | None:
    milestone = item.milestone
    item_uid = uid(learner, "milestone", milestone.id)
    if item.status == "achieved":
        on = item.recorded.on if item.recorded and item.recorded.on else today
        event = _all_day(f"Milestone achieved: {milestone.title}", on, on, item_uid)
    elif item.due is not None:
        event = _all_day(f"Milestone due: {milestone.title}", item.due, item.due, item_uid)
    else:
        return None
    lines = [f"Criteria: {'; '.join(milestone.criteria)}"] if milestone.criteria else []
    lines.append(f"Id: {milestone.id} (cpo-learn achieve {milestone.id} --evidence ...)")
    event.add("description", "\n".join(lines))
    event.add("categories", [milestone.stage])
    return event


def _add_study_block(calendar: Calendar, plan: Plan, context: ExportContext, stamp: datetime) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from icalendar import Event

    block = context.study_block
    assert block is not None
    try:
        zone = ZoneInfo(block.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"unknown time zone {block.time_zone!r}: use an IANA name like Europe/Paris or "
                         "America/New_York") from None
    first_day = max(plan.schedule_start, plan.today)
    first_day += timedelta(days=(block.weekday - first_day.weekday()) % 7)
    event = Event()
    event.add("uid", uid(context.learner, "study-block", "weekly"))
    event.add("dtstamp", stamp)
    event.add("summary", f"Study: cpo-learn ({hours_text(plan.profile.hours_per_week)} h this week)")
    event.add("dtstart", datetime.combine(first_day, block.start, tzinfo=zone))
    event.add("duration", timedelta(hours=plan.profile.hours_per_week))
    rule: dict[str, object] = {"freq": "weekly", "byday": DAY_CODES[block.weekday]}
    if plan.finish is not None:
        end = datetime.combine(plan.finish, datetime.max.time().replace(microsecond=0), tzinfo=zone)
        rule["until"] = end.astimezone(UTC)
    event.add("rrule", rule)
    event.add("description", "Your weekly study time. 'cpo-learn week' says what to work on.")
    calendar.add_component(event)
    # the zone's rules for the span of the block only, not 1970-2038 (a file a tenth the size)
    calendar.add_missing_timezones(first_date=first_day, last_date=(plan.finish or first_day) + timedelta(days=7))
