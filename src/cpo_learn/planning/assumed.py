"""Assumed ratings: what a learner who did not rate a skill is taken to have, from the catalog alone.

A skill missing from the profile is assumed at the level the stages before the learner's stage bring a learner
to: the highest level any core module of those stages raises it to (electives are optional, so they are not
what a typical learner at that stage has done). A learner in the first stage is assumed at 0 (nothing comes
before). A rated skill, even one rated 0, is never assumed. Pure: no I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType

from cpo_learn.content.catalog import Catalog
from cpo_learn.planning.profile import Profile


def assumed_ratings(catalog: Catalog, profile: Profile) -> Mapping[str, int]:
    """The ratings assumed for the skills the learner did not rate, in the catalog's skill order."""
    before = set(catalog.stage_ids[:catalog.stage_index(profile.stage)])
    reached: dict[str, int] = {}
    for module in catalog.modules.values():
        if module.kind == "core" and module.stage in before:
            for skill, level in module.skills.items():
                reached[skill] = max(reached.get(skill, 0), level)
    return MappingProxyType({skill: reached.get(skill, 0) for skill in catalog.skills
                             if skill not in profile.skills})


def with_assumed(profile: Profile, assumed: Mapping[str, int]) -> Profile:
    """The profile as the planner reads it: the learner's ratings, and the assumed ones for the rest."""
    return replace(profile, skills=MappingProxyType({**assumed, **profile.skills}))
