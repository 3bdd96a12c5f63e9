"""A learner's recorded progress as the planner and the exporters see it (derived from the event log)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType


@dataclass(frozen=True)
class ItemState:
    """Where one module or milestone stands: its status, the day it got there, and the learner's note."""

    status: str  # "started" | "done" | "skipped" | "waived" for modules; "achieved" for milestones
    on: date | None = None
    note: str | None = None


@dataclass(frozen=True)
class LearnerState:
    """Everything recorded for one learner, folded from the event log; empty for a new learner."""

    modules: Mapping[str, ItemState] = field(default_factory=lambda: MappingProxyType({}))
    milestones: Mapping[str, ItemState] = field(default_factory=lambda: MappingProxyType({}))

    def status(self, module_id: str) -> str | None:
        """The module's status, or None when nothing is recorded for it."""
        found = self.modules.get(module_id)
        return found.status if found else None


EMPTY_STATE = LearnerState()
