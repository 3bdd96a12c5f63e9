"""Each skill's first and latest self-rating, from the profile (where the learner started) and the dated
``assessed`` events of the log (``progress`` and ``assess`` show them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cpo_learn.content.catalog import Catalog
    from cpo_learn.planning.state import LearnerState

FROM_PROFILE = "profile"
"""``source`` of a rating that comes from the profile (``init``), not from a dated assessment."""
FROM_ASSESSMENT = "assessed"
"""``source`` of a rating recorded by ``assess`` (an ``assessed`` event)."""


@dataclass(frozen=True)
class SkillRating:
    """One skill's ratings: the first the learner gave and the one that counts now (with where each came
    from and its day; a profile rating has no day), and how many dated assessments there are."""

    skill: str
    title: str
    first: int
    first_source: str
    first_on: date | None
    latest: int
    latest_source: str
    latest_on: date | None
    assessments: int

    @property
    def change(self) -> int:
        """Levels gained (negative: lost) from the first rating to the latest."""
        return self.latest - self.first

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, as ``progress --json`` and ``assess --json`` show it."""
        return {
            "skill": self.skill, "title": self.title,
            "first": {"level": self.first, "source": self.first_source,
                      "on": self.first_on.isoformat() if self.first_on else None},
            "latest": {"level": self.latest, "source": self.latest_source,
                       "on": self.latest_on.isoformat() if self.latest_on else None},
            "change": self.change, "assessments": self.assessments,
        }


def rating_history(catalog: Catalog, profile_skills: Mapping[str, int], state: LearnerState) -> list[SkillRating]:
    """First and latest rating of every skill the learner rated (in the profile or by ``assess``), by skill id.

    The first rating is the profile's when it rates the skill (where the learner started), else the first
    assessment; the latest is the newest assessment, else the profile's. Skills no longer in the catalog (their
    plugin was removed) still show, by id: nothing the learner recorded is hidden.
    """
    found: list[SkillRating] = []
    for skill_id in sorted(set(profile_skills) | set(state.ratings)):
        history = state.ratings.get(skill_id, ())
        title = catalog.skills[skill_id].title if skill_id in catalog.skills else skill_id
        given = profile_skills.get(skill_id)
        if given is None and not history:
            continue
        first_on: date | None
        if given is not None:
            first, first_source, first_on = given, FROM_PROFILE, None
        else:
            first, first_source, first_on = history[0].level, FROM_ASSESSMENT, history[0].on
        latest_on: date | None
        if history:
            latest, latest_source, latest_on = history[-1].level, FROM_ASSESSMENT, history[-1].on
        else:
            latest, latest_source, latest_on = first, first_source, first_on
        found.append(SkillRating(skill_id, title, first, first_source, first_on, latest, latest_source, latest_on,
                                 len(history)))
    return found
