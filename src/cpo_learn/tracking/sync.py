"""Reading an edited curriculum back: which task-list boxes are ticked, and what that means for the log.

A task line starts with optional spaces, ``-`` or ``*``, then ``[ ]``, ``[x]`` or ``[X]``; its id is the
first text in backticks that looks like ``namespace/slug``. Other lines are ignored, so the learner may
edit the rest of the file freely.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cpo_learn.planning.state import Status
from cpo_learn.tracking.events import Event, EventType, fold

if TYPE_CHECKING:
    from cpo_learn.content.catalog import Catalog

MARKER = re.compile(r"^<!-- cpo-learn: learner (?P<learner>\S+); record (?P<record>\S+) -->$", re.MULTILINE)
"""The line ``generate`` writes under a Markdown curriculum's title: whose it is and the newest event it shows."""
TASK_LINE = re.compile(r"^\s*[-*]\s+\[([ xX])\](?:\s+(.*))?$")
# A backslash escape, or a code span. Escapes are consumed first, so a title's ``\` `` (the Markdown exporter
# escapes every backtick of a title) never pairs with the backtick that opens the id's span.
BACKTICKED = re.compile(r"\\.|`([^`]+)`")
ITEM_ID = re.compile(r"[a-z0-9][a-z0-9_.-]*/[a-z0-9][a-z0-9_.-]*")


@dataclass(frozen=True)
class Origin:
    """Whose curriculum a file is, and the newest event of the record it was generated from (None: none)."""

    learner: str
    record: str | None


def origin(text: str) -> Origin | None:
    """What the file's marker line says (None for a file without one, like a curriculum from before it)."""
    found = MARKER.search(text)
    if found is None:
        return None
    record = found.group("record")
    return Origin(found.group("learner"), None if record == "none" else record)


@dataclass(frozen=True)
class TaskLine:
    """One task-list line: its line number, whether it is ticked, and the id it carries."""

    line: int
    ticked: bool
    id: str


def has_ticks(text: str) -> bool:
    """False when ``text`` holds no ticked box at all (a fast test, over the whole text in C, that lets a caller
    wanting ticked task lines only skip ``task_lines``)."""
    return "[x]" in text or "[X]" in text


def task_lines(text: str) -> list[TaskLine]:
    """Every task line that carries an id, in file order."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = TASK_LINE.match(line)
        if match is None:
            continue
        item_id = next((m.group(1) for m in BACKTICKED.finditer(match.group(2) or "")
                        if m.group(1) is not None and ITEM_ID.fullmatch(m.group(1))), None)
        if item_id is not None:
            found.append(TaskLine(number, match.group(1) != " ", item_id))
    return found


@dataclass
class SyncResult:
    """What a sync recorded (or would record), and what it left alone and why."""

    record: list[Event] = field(default_factory=list)
    untick_done: list[str] = field(default_factory=list)  # done/achieved, unticked in the file
    newer: list[str] = field(default_factory=list)  # done/achieved after the file was generated: left alone
    unknown: list[TaskLine] = field(default_factory=list)
    unchanged: int = 0


def decide(lines: Sequence[TaskLine], catalog: Catalog, log: Sequence[Event], *, reopen: bool,
           source: str, now: str, made_from: Origin | None = None) -> SyncResult:
    """The events that bring the log in line with the file's boxes (``log`` in log order), stamped ``now``.

    ``made_from`` is what the file's marker says it was generated from (None: not known). A box unticked for
    something recorded after that was never the learner's choice (the file is older than the record): it is
    listed in ``newer`` and never reopened.
    """
    state = fold(log)
    later = _recorded_after(log, made_from)
    modules = {catalog.resolve(k): v for k, v in state.modules.items()}
    result = SyncResult()
    boxes: dict[str, set[bool]] = {}
    for task in lines:
        boxes.setdefault(task.id, set()).add(task.ticked)
    first_line = {task.id: task for task in reversed(lines)}
    for item_id, ticks in boxes.items():
        module = catalog.modules.get(catalog.resolve(item_id))
        milestone = catalog.milestones.get(item_id) if module is None else None
        if len(ticks) > 1:
            # the same item on two lines (its stage and "The next four weeks"), ticked on one only: the box the
            # learner changed is the one that differs from the record
            if module is not None:
                found = modules.get(module.id)
                recorded = found is not None and found.status.dealt_with
            else:
                recorded = milestone is not None and milestone.id in state.milestones
            ticks = {not recorded}
        ticked = ticks.pop()
        if module is not None:
            status = modules.get(module.id)
            is_done = status is not None and status.status.dealt_with
            if ticked and not is_done:
                result.record.append(Event.new(EventType.COMPLETED, module.id, note=f"ticked in {source}",
                                               plugin=module.plugin, timestamp=now))
            elif not ticked and status is not None and status.status is Status.DONE and module.id in later:
                result.newer.append(module.id)
            elif not ticked and status is not None and status.status is Status.DONE:
                result.untick_done.append(module.id)
                if reopen:
                    result.record.append(Event.new(EventType.REOPENED, module.id, note=f"unticked in {source}",
                                                   plugin=module.plugin, timestamp=now))
            else:
                result.unchanged += 1
        elif milestone is not None:
            achieved = milestone.id in state.milestones
            if ticked and not achieved:
                result.record.append(Event.new(EventType.MILESTONE_ACHIEVED, milestone.id, plugin=milestone.plugin,
                                               evidence=f"ticked in {source}", timestamp=now))
            elif not ticked and achieved and milestone.id in later:
                result.newer.append(milestone.id)
            elif not ticked and achieved:
                result.untick_done.append(milestone.id)
                if reopen:
                    result.record.append(Event.new(EventType.REOPENED, milestone.id, note=f"unticked in {source}",
                                                   plugin=milestone.plugin, timestamp=now))
            else:
                result.unchanged += 1
        else:
            result.unknown.append(first_line[item_id])
    return result


def _recorded_after(log: Sequence[Event], made_from: Origin | None) -> set[str]:
    """The targets of events recorded after the newest event the file was made from (all of them when it was
    made from an empty record; none when that is unknown, or names an event this log does not have)."""
    if made_from is None:
        return set()
    ids = [event.id for event in log]
    if made_from.record is not None and made_from.record not in ids:
        return set()
    start = ids.index(made_from.record) + 1 if made_from.record is not None else 0
    return {event.target for event in log[start:]}
