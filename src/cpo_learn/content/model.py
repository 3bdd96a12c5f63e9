"""The content model: frozen records for everything a plugin can add to the catalog."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from cpo_learn.errors import one_line

STAGE_IDS: tuple[str, ...] = ("education", "starting-roles", "mid-level", "leadership", "cpo")
"""The path's stage ids, in order (the contract of DESIGN section 2)."""

RESOURCE_KINDS: tuple[str, ...] = (
    "book", "course", "certification", "article", "video", "podcast", "event", "community", "tool",
)
MODULE_KINDS: tuple[str, ...] = ("core", "elective")
COSTS: tuple[str, ...] = ("free", "paid")
RATINGS: tuple[int, ...] = (0, 1, 2, 3, 4, 5)
"""The self-ratings a learner may give a skill: 0 (never done it) and the levels 1-5 that skills describe."""
LEVEL_ZERO = "never done it"
"""What a rating of 0 means, for every skill (the level statements describe 1-5)."""
DEGREES: tuple[str, ...] = ("business", "engineering", "computer-science", "other", "none")
"""The degree fields a learner's profile may give (``background.degree``)."""
CREDIT_DEGREES: tuple[str, ...] = tuple(d for d in DEGREES if d not in ("other", "none"))
"""The degree fields a module's ``credited_by.degree`` may name: a field, not "other" or "none"."""
COMPANY_SIZES: tuple[str, ...] = ("startup", "mid-size", "large")
"""The company sizes a profile's ``experience.company_sizes`` and a module's ``credited_by`` may name."""
FUNCTIONS: tuple[str, ...] = (
    "customer-service", "sales", "marketing", "engineering", "design", "data", "research", "finance",
    "operations", "consulting", "project-management",
)
"""The functions a module's ``credited_by.functions`` may name (a profile may list others; they credit nothing)."""


def isbn13_ok(isbn: str) -> bool:
    """True for 13 digits (hyphens and spaces allowed) whose last one is the ISBN-13 check digit."""
    digits = isbn.replace("-", "").replace(" ", "")
    if len(digits) != 13 or not digits.isascii() or not digits.isdigit():
        return False
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == int(digits[12])


@dataclass(frozen=True)
class Origin:
    """Where an item came from: the plugin that registered it and the file and line that define it."""

    plugin: str
    path: str
    line: int
    # lines of the keys that cross-reference checks point at: (("stage", 4), ("prerequisites.0", 9), ...)
    key_lines: tuple[tuple[str, int], ...] = ()

    def where(self) -> str:
        """``path:line`` for messages."""
        return f"{self.path}:{self.line}"

    def line_of(self, *keys: str | int) -> int:
        """The line of the most specific recorded key path (``line_of("prerequisites", 2)``), else the item's."""
        recorded = dict(self.key_lines)
        for depth in range(len(keys), 0, -1):
            found = recorded.get(".".join(str(k) for k in keys[:depth]))
            if found is not None:
                return found
        return self.line


@dataclass(frozen=True)
class Stage:
    """A step of the career path (or, with ``is_track``, a track running beside the stages)."""

    id: str
    title: str
    order: int
    summary: str
    typical_years: str
    roles: tuple[str, ...]
    body: str
    origin: Origin
    is_track: bool = False


@dataclass(frozen=True)
class Skill:
    """An attribute a product leader grows (``analytics``, ``empathy``, ...)."""

    id: str
    title: str
    description: str
    origin: Origin
    levels: tuple[str, ...] = ()
    """What a person at level 1, 2, ... 5 of the skill does (observable behaviour), one statement a level;
    empty when the plugin that registered the skill gave none."""

    def statement(self, level: int) -> str | None:
        """The statement of a rating 0-5 (``LEVEL_ZERO`` for 0), or None when the skill has no statements."""
        if level == 0:
            return LEVEL_ZERO
        if not self.levels or not 1 <= level <= len(self.levels):
            return None
        return self.levels[level - 1]


@dataclass(frozen=True)
class Practice:
    """Something a CPO does (``kpi-review``, ``risk-management``, ...)."""

    id: str
    title: str
    origin: Origin
    description: str = ""


@dataclass(frozen=True)
class Resource:
    """A book, course, certification, ... that a module points to."""

    kind: str
    title: str
    authors: tuple[str, ...] = ()
    year: int | None = None
    provider: str | None = None
    url: str | None = None
    cost: str | None = None
    isbn: str | None = None


@dataclass(frozen=True)
class Habit:
    """A practice a module asks the learner to keep in working time once it is done (not study time)."""

    hours_per_week: float
    what: str


@dataclass(frozen=True)
class CreditedBy:
    """Experience or background that credits a module (``credited_by``): any one of them is enough.

    ``functions``: the learner has worked in one of them. ``company_sizes``: one size listed, the learner has
    worked at that size; two or more, the learner has worked at two or more of them (a move between sizes).
    ``degree``: the learner's degree is one of these fields. ``mba``: the learner holds an MBA.
    """

    functions: tuple[str, ...] = ()
    company_sizes: tuple[str, ...] = ()
    degree: tuple[str, ...] = ()
    mba: bool = False


@dataclass(frozen=True)
class Module:
    """A unit of learning with hours, skills it develops, outcomes and resources."""

    id: str
    title: str
    stage: str
    track: str | None
    hours: float
    kind: str
    skills: Mapping[str, int]
    practices: tuple[str, ...]
    prerequisites: tuple[str, ...]
    outcomes: tuple[str, ...]
    resources: tuple[Resource, ...]
    replaces: str | None
    body: str
    origin: Origin
    replaced: tuple[Origin, ...] = field(default=())
    weeks: int | None = None  # the least calendar weeks its work takes (a rotation, a quarter in a role)
    in_role: bool = False  # can only be done while holding a role of its stage
    habit: Habit | None = None
    roles: tuple[str, ...] = ()  # roles of its stage it prepares for, e.g. ("Director of Product Management",)
    credited_by: CreditedBy | None = None  # experience or background that credits it (the planner's rule)

    @property
    def plugin(self) -> str:
        """Name of the plugin that registered this module."""
        return self.origin.plugin


@dataclass(frozen=True)
class Milestone:
    """An observable achievement that proves readiness, resting on modules."""

    id: str
    title: str
    stage: str
    criteria: tuple[str, ...]
    requires: tuple[str, ...]
    evidence: str
    body: str
    origin: Origin
    weeks: int | None = None  # the least time from the start of its first required module to the milestone
    in_role: bool = False  # achieved only while holding a role of its stage
    replaces: tuple[str, ...] = ()  # ids of milestones merged into this one; they resolve to it

    @property
    def plugin(self) -> str:
        """Name of the plugin that registered this milestone."""
        return self.origin.plugin


@dataclass(frozen=True)
class Problem:
    """One validation problem, reported as ``path:line: message``."""

    path: str
    line: int
    message: str
    plugin: str = ""
    knock_on: bool = False
    """A consequence of another problem (a module left out because its prerequisite is invalid, ...): fixing
    that one fixes this; the message says which."""

    def __str__(self) -> str:
        # One problem, one line: file names and quoted values may hold newlines or undecodable bytes.
        return one_line(f"{self.path}:{self.line}: {self.message}")
