"""The immutable, validated ``Catalog`` of everything the plugins registered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from cpo_learn.content.model import Milestone, Module, Practice, Problem, Skill, Stage
from cpo_learn.errors import UnknownIdError
from cpo_learn.text import unknown_id_message


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
    left_out: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Ids left out quietly because they need a disabled plugin -> why (``left out: its stage ...``)."""
    disabled: frozenset[str] = frozenset()
    """The plugins the user disabled."""

    def unavailable(self, item_id: str) -> str | None:
        """Why an id is not in the catalog although it is not wrong: it belongs to a disabled plugin, or was
        left out because of one. None for ids that are in the catalog or that nothing defines."""
        if item_id in self.left_out:
            return f"left out: {self.left_out[item_id]}"
        owner = item_id.split("/", 1)[0]
        if owner in self.disabled:
            return f"it belongs to the disabled plugin {owner}"
        return None

    @cached_property
    def stage_ids(self) -> tuple[str, ...]:
        """Stage ids in path order (worked out once: the catalog is frozen and its stages a tuple)."""
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
            why = self.unavailable(module_id)
            if why is not None:
                raise UnknownIdError(f"module '{module_id}' is not available: {why}")
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
