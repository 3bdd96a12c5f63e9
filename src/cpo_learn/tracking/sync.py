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

TASK_LINE = re.compile(r"^\s*[-*]\s+\[([ xX])\](?:\s+(.*))?$")
BACKTICKED = re.compile(r"`([^`]+)`")
ITEM_ID = re.compile(r"[a-z0-9][a-z0-9_.-]*/[a-z0-9][a-z0-9_.-]*")


@dataclass(frozen=True)
class TaskLine:
    """One task-list line: its line number, whether it is ticked, and the id it carries."""

    line: int
    ticked: bool
    id: str


def task_lines(text: str) -> list[TaskLine]:
    """Every task line that carries an id, in file order."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = TASK_LINE.match(line)
        if match is None:
            continue
        item_id = next((m.group(1) for m in BACKTICKED.finditer(match.group(2) or "")
                        if ITEM_ID.fullmatch(m.group(1))), None)
        if item_id is not None:
            found.append(TaskLine(number, match.group(1) != " ", item_id))
    return found


@dataclass
class SyncResult:
    """What a sync recorded (or would record), and what it left alone and why."""

    record: list[Event] = field(default_factory=list)
    untick_done: list[str] = field(default_factory=list)  # done/achieved, unticked in the file
    unknown: list[TaskLine] = field(default_factory=list)
    conflicting: list[str] = field(default_factory=list)  # ticked on one line, unticked on another
    unchanged: int = 0


def decide(lines: Sequence[TaskLine], catalog: Catalog, log: Sequence[Event], *, reopen: bool,
           source: str, now: str) -> SyncResult:
    """The events that bring the log in line with the file's boxes (``log`` in log order), stamped ``now``."""
    state = fold(log)
    modules = {catalog.resolve(k): v for k, v in state.modules.items()}
    result = SyncResult()
    boxes: dict[str, set[bool]] = {}
    for task in lines:
        boxes.setdefault(task.id, set()).add(task.ticked)
    first_line = {task.id: task for task in reversed(lines)}
    for item_id, ticks in boxes.items():
        if len(ticks) > 1:
            result.conflicting.append(item_id)
            continue
        ticked = ticks.pop()
        module = catalog.modules.get(catalog.resolve(item_id))
        milestone = catalog.milestones.get(item_id) if module is None else None
        if module is not None:
            status = modules.get(module.id)
            is_done = status is not None and status.status.dealt_with
            if ticked and not is_done:
                result.record.append(Event.new(EventType.COMPLETED, module.id, note=f"ticked in {source}",
                                               plugin=module.plugin, timestamp=now))
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
