"""Packing study work into weeks: the study clock of a plan.

Each week has the learner's budget of minutes. Work is taken in plan order: a module starts as soon as the
week has minutes left, its prerequisites in the plan are finished (earlier in the same week counts) and its
earliest week has come (a stage the learner is not in yet, or a role they do not hold yet, holds it back).
A module with calendar ``weeks`` runs beside the others: its minutes are spread evenly over at least that many
weeks and each of them takes its share first. Without calendar weeks or earliest weeks this is back-to-back
packing: a module starts where the previous one ended. Pure; counts in whole minutes, so sums are exact.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Work:
    """One module to schedule: its minutes, the calendar weeks it needs (1: as fast as the budget allows),
    the first week it may start in, and the ids of its prerequisites that are to be scheduled too."""

    id: str
    minutes: int
    calendar_weeks: int = 1
    earliest_week: int = 1
    after: tuple[str, ...] = ()


@dataclass
class Slot:
    """Where a module landed: first and last week, and the minutes it gets in each week."""

    first: int = 0
    last: int = 0
    split: list[tuple[int, int]] = field(default_factory=list)


MAX_WEEKS = 52 * 8000  # past the year 9999 from any start: the caller reports it


def pack(work: Sequence[Work], budget: int) -> dict[str, Slot]:
    """The week slot of every item of ``work`` (in plan order) at ``budget`` minutes a week."""
    slots: dict[str, Slot] = {item.id: Slot() for item in work}
    remaining = {item.id: item.minutes for item in work}
    # calendar-bound modules: over how many weeks (at least their own, at least what the budget allows), and
    # how many of those weeks they have had; each week takes an even share of what is left
    span = {item.id: max(item.calendar_weeks, math.ceil(item.minutes / budget))
            for item in work if item.calendar_weeks > 1}
    had = dict.fromkeys(span, 0)

    def share(module_id: str) -> int:
        return math.ceil(remaining[module_id] / max(1, span[module_id] - had[module_id]))

    finished: set[str] = set()
    running: list[str] = []  # calendar-bound modules under way
    # waiting[head:] is the work not started yet, in plan order. A week looks at it from the head and stops
    # where the week is full: the items it passed over (not ready yet) go back just before where it stopped,
    # over the slots of the ones it took, so a week costs what it looks at, not the length of the plan.
    waiting = list(work)
    head = 0
    week = 1
    while head < len(waiting) or running:
        if week > MAX_WEEKS:
            raise OverflowError("schedule too long")
        free = budget
        for module_id in list(running):
            take = min(share(module_id), remaining[module_id], free)
            had[module_id] += 1
            _use(slots[module_id], week, take)
            remaining[module_id] -= take
            free -= take
            if not remaining[module_id]:
                running.remove(module_id)
                finished.add(module_id)
        passed: list[Work] = []
        index = head
        while index < len(waiting) and free > 0:
            item = waiting[index]
            if item.earliest_week > week or not all(a in finished for a in item.after):
                passed.append(item)
                index += 1
                continue
            if item.id in span:
                take = min(share(item.id), remaining[item.id], free)
                had[item.id] += 1
                if remaining[item.id] > take:
                    running.append(item.id)
            else:
                take = min(remaining[item.id], free)
            _use(slots[item.id], week, take)
            remaining[item.id] -= take
            free -= take
            if remaining[item.id] and item.id not in span:
                break  # back to back: it goes on next week, and the rest waits for it
            if not remaining[item.id]:
                finished.add(item.id)
            index += 1
        head = index - len(passed)
        waiting[head:index] = passed
        if free == budget and not running and head < len(waiting):
            # nothing could start this week: jump to the first week something can
            ready = [w.earliest_week for w in waiting[head:] if all(a in finished for a in w.after)]
            if not ready:
                raise ValueError("work waits for prerequisites that are never scheduled")
            week = max(week + 1, min(ready))
            continue
        week += 1
    return slots


def _use(slot: Slot, week: int, minutes: int) -> None:
    if minutes <= 0:
        return
    if not slot.split:
        slot.first = week
    slot.split.append((week, minutes))
    slot.last = week
