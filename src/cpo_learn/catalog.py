"""The immutable, validated ``Catalog`` of everything the plugins registered."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from cpo_learn.errors import UnknownIdError
from cpo_learn.model import Milestone, Module, Practice, Problem, Skill, Stage


def closest(word: str, choices: Iterable[str], n: int = 3) -> list[str]:
    """The ids closest to ``word``: close spellings first, then ids that contain it."""
    pool = list(choices)
    found = difflib.get_close_matches(word, pool, n=n, cutoff=0.5)
    for candidate in sorted(pool):
        if len(found) >= n:
            break
        if word and word in candidate and candidate not in found:
            found.append(candidate)
    return found


def unknown_id_message(what: str, word: str, choices: Iterable[str], hint: str) -> str:
    """One line: the id is unknown, the closest ids, and how to list them all."""
    near = closest(word, choices)
    suggestion = f"; did you mean {', '.join(repr(c) for c in near)}?" if near else ""
    return f"unknown {what} '{word}'{suggestion} ({hint})"


@dataclass(frozen=True)
class Catalog:
    """Everything loaded and valid: stages in path order, tracks, skills, practices, modules, milestones.

    Modules are kept in a canonical order (stage order, then id) so every listing is deterministic.
    ``aliases`` maps ids that another module or milestone ``replaces`` to the id that replaced them.
    """

    stages: tuple[Stage, ...]
    tracks: tuple[Stage, ...]
    skills: Mapping[str, Skill]
    practices: Mapping[str, Practice]
    modules: Mapping[str, Module]
    milestones: Mapping[str, Milestone]
    aliases: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    problems: tuple[Problem, ...] = ()

    @property
    def stage_ids(self) -> tuple[str, ...]:
        """Stage ids in path order."""
        return tuple(stage.id for stage in self.stages)

    def stage_index(self, stage_id: str) -> int:
        """Position of a stage on the path (0 for the first)."""
        return self.stage_ids.index(stage_id)

    def stage(self, stage_id: str) -> Stage:
        """The stage (or track) with this id, or ``UnknownIdError`` naming the closest."""
        for stage in (*self.stages, *self.tracks):
            if stage.id == stage_id:
                return stage
        ids = [s.id for s in (*self.stages, *self.tracks)]
        raise UnknownIdError(unknown_id_message("stage", stage_id, ids, "see 'cpo-learn stages'"))

    def resolve(self, item_id: str) -> str:
        """Follow ``replaces`` aliases to the id that is in the catalog now."""
        return self.aliases.get(item_id, item_id)

    def module(self, module_id: str) -> Module:
        """The module with this id (or the one that replaced it), or ``UnknownIdError`` naming the closest."""
        found = self.modules.get(self.resolve(module_id))
        if found is None:
            raise UnknownIdError(
                unknown_id_message("module", module_id, self.modules, "see 'cpo-learn modules'")
            )
        return found

    def milestone(self, milestone_id: str) -> Milestone:
        """The milestone with this id (or the one it was merged into), or ``UnknownIdError`` naming the closest."""
        found = self.milestones.get(self.resolve(milestone_id))
        if found is None:
            raise UnknownIdError(
                unknown_id_message("milestone", milestone_id, self.milestones, "see 'cpo-learn milestones'")
            )
        return found

    def all_ids(self) -> list[str]:
        """Every module, milestone, stage and track id."""
        return [*self.modules, *self.milestones, *(s.id for s in (*self.stages, *self.tracks))]

    def select(self, stage: str | None = None, skill: str | None = None) -> list[Module]:
        """Modules of one stage and/or developing one skill, in catalog order."""
        return [
            module
            for module in self.modules.values()
            if (stage is None or module.stage == stage or module.track == stage)
            and (skill is None or skill in module.skills)
        ]
