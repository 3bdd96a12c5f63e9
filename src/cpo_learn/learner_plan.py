"""A stored learner's profile and plan, as the tracking commands (``progress``, ``next``, ``sync``,
``report``) need them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from cpo_learn.errors import CpoLearnError

if TYPE_CHECKING:
    from cpo_learn.catalog import Catalog
    from cpo_learn.plan import Plan
    from cpo_learn.plugins import PluginHost
    from cpo_learn.profile import Profile
    from cpo_learn.state import LearnerState


def profile_from_store(data: dict[str, Any] | None, catalog: Catalog, slug: str) -> Profile:
    """The stored profile, validated against the catalog; a one-line error saying to run ``init``."""
    from cpo_learn.profile import ProfileError, profile_from_mapping

    if data is None:
        raise CpoLearnError(f"learner '{slug}' has no profile yet: run 'cpo-learn --learner {slug} init' "
                            "(it asks for stage, target and hours a week)")
    try:
        return profile_from_mapping(data, catalog.stage_ids, catalog.skills)
    except ProfileError as exc:
        raise CpoLearnError(f"the profile of '{slug}' is not valid: {exc} "
                            f"(fix it with 'cpo-learn --learner {slug} init')") from None


def plan_for(host: PluginHost, catalog: Catalog, profile: Profile, state: LearnerState, today: date) -> Plan:
    """The learner's plan from ``today``, as ``generate`` makes it (organisation policy applied)."""
    from cpo_learn.planner import make_plan
    from cpo_learn.policy import adjust_plan

    return adjust_plan(host, make_plan(catalog, profile, state, today), profile)
