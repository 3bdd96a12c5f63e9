"""A learner's recorded progress as the planner and the exporters see it (folded from the event log), and
the one list of statuses a module or milestone can have."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType


class Status(StrEnum):
    """Where a module stands in a plan, or a milestone in the record. The values are what JSON shows."""

    PLANNED = "planned"
    STARTED = "started"
    DONE = "done"
    SKIPPED = "skipped"
    WAIVED = "waived"
    ACHIEVED = "achieved"  # milestones only

    @property
    def to_do(self) -> bool:
        """The learner still has to work on it (planned or started)."""
        return self in TO_DO

    @property
    def dealt_with(self) -> bool:
        """The learner has dealt with it: done, skipped or waived (it no longer needs doing)."""
        return self in DEALT_WITH


TO_DO: frozenset[Status] = frozenset({Status.PLANNED, Status.STARTED})
DEALT_WITH: frozenset[Status] = frozenset({Status.DONE, Status.SKIPPED, Status.WAIVED})
"""A prerequisite in one of these statuses is met; a module in one of them is not scheduled."""
MEETS_MILESTONE: frozenset[Status] = frozenset({Status.DONE, Status.WAIVED})
"""What a milestone's required module must be for the milestone to be ready."""


@dataclass(frozen=True)
class ItemState:
    """Where one module or milestone stands: its status, the day it got there, and the learner's note."""

    status: Status  # started, done, skipped or waived for modules; achieved for milestones
    on: date | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        # a status given as its text ("done") is the same status
        object.__setattr__(self, "status", Status(self.status))


@dataclass(frozen=True)
class Rating:
    """One self-assessment of a skill: the level 0-5 the learner chose and the day they chose it."""

    level: int
    on: date


@dataclass(frozen=True)
class LearnerState:
    """Everything recorded for one learner, folded from the event log; empty for a new learner.

    ``ratings`` holds each assessed skill's self-assessments in force, oldest first (``assess``).
    """

    modules: Mapping[str, ItemState] = field(default_factory=lambda: MappingProxyType({}))
    milestones: Mapping[str, ItemState] = field(default_factory=lambda: MappingProxyType({}))
    ratings: Mapping[str, tuple[Rating, ...]] = field(default_factory=lambda: MappingProxyType({}))

    def latest_ratings(self) -> dict[str, int]:
        """Skill id -> the level of its newest self-assessment (skills never assessed are absent)."""
        return {skill: history[-1].level for skill, history in self.ratings.items() if history}

    def status(self, module_id: str) -> Status | None:
        """The module's status, or None when nothing is recorded for it."""
        found = self.modules.get(module_id)
        return found.status if found else None


EMPTY_STATE = LearnerState()
