"""A stored learner and their plan: the one way every command loads a learner, checks the profile, folds the
log and makes the plan (``generate``, ``progress``, ``next``, ``sync``, ``report``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from cpo_learn.errors import CpoLearnError

if TYPE_CHECKING:
    from cpo_learn.content.catalog import Catalog
    from cpo_learn.host.plugins import PluginHost
    from cpo_learn.planning.plan import Plan
    from cpo_learn.planning.profile import Profile, StoredProfile
    from cpo_learn.planning.state import LearnerState
    from cpo_learn.tracking.events import Event
    from cpo_learn.tracking.tracker import LearnerStore, Snapshot


@dataclass(frozen=True)
class LearnerPlan:
    """One learner as the tracking views need them: validated profile, log, folded state and plan from today.

    ``profile`` is the stored one (its ratings are where the learner started); ``plan.profile`` counts the
    newest self-assessments of ``state`` over them (``with_ratings``).
    """

    slug: str
    profile: Profile
    events: list[Event]
    state: LearnerState
    plan: Plan
    hours_history: tuple[tuple[date, float], ...] = ()


def profile_from_store(stored: StoredProfile | None, catalog: Catalog, slug: str) -> Profile:
    """The stored profile, validated against the catalog; a one-line error saying to run ``init``."""
    from cpo_learn.planning.profile import ProfileError

    if stored is None:
        raise CpoLearnError(f"learner '{slug}' has no profile yet: run 'cpo-learn --learner {slug} init' "
                            "(it asks for stage, target and hours a week)")
    try:
        return stored.validate(catalog.stage_ids, catalog.skills)
    except ProfileError as exc:
        raise CpoLearnError(f"the profile of '{slug}' is not valid: {exc} "
                            f"(fix it with 'cpo-learn --learner {slug} init')") from None


def plan_key(profile: Profile, state: LearnerState) -> tuple[Any, ...]:
    """Everything a plan is made from besides the catalog, the plugins and the day: the whole profile (its
    ``repr`` shows every field, so a field added later is in it; the assessed ratings count through it,
    ``with_ratings``) and the whole folded record of modules and milestones."""
    return repr(profile), tuple(state.modules.items()), tuple(state.milestones.items())


PLAN_MEMO_SIZE = 16
"""How many plans ``plan_for`` keeps in a process (the newest; each is dropped when a newer one needs room)."""
_plans: dict[tuple[Any, ...], tuple[PluginHost, Catalog, Plan]] = {}


def plan_for(host: PluginHost, catalog: Catalog, profile: Profile, state: LearnerState, today: date) -> Plan:
    """The learner's plan from ``today``, as ``generate`` makes it (organisation policy applied).

    The skills the learner assessed count at their newest self-assessment in ``state`` (``with_ratings``), so
    an assessment changes the plan from the day it is made; what is recorded as done stays done.

    A process that plans the same learner again (a library caller, a test running commands in one process, a
    command that shows the plan beside its own check) gets the plan it made before, while the host, the
    catalog, the day, the profile and the record are the same objects and values: a plan is never changed
    once made. ``CPO_LEARN_NO_CACHE=1`` turns this off with the other caches.
    """
    from cpo_learn.cache import cache_enabled
    from cpo_learn.host.policy import adjust_plan
    from cpo_learn.planning.planner import make_plan
    from cpo_learn.planning.profile import with_ratings

    profile = with_ratings(profile, state.latest_ratings())
    if not cache_enabled():
        return adjust_plan(host, make_plan(catalog, profile, state, today), profile)
    key = (id(host), id(catalog), today, plan_key(profile, state))
    found = _plans.get(key)
    if found is not None:
        return found[2]
    plan = adjust_plan(host, make_plan(catalog, profile, state, today), profile)
    _plans[key] = (host, catalog, plan)  # holding the host and catalog keeps their ids from being reused
    while len(_plans) > PLAN_MEMO_SIZE:
        del _plans[next(iter(_plans))]
    return plan


def plan_learner(host: PluginHost, catalog: Catalog, slug: str, snapshot: Snapshot, today: date) -> LearnerPlan:
    """The learner of ``snapshot`` (one read of their file) with their plan from ``today``."""
    from cpo_learn.tracking.events import fold

    profile = profile_from_store(snapshot.profile, catalog, slug)
    state = fold(snapshot.events)
    plan = plan_for(host, catalog, profile, state, today)
    return LearnerPlan(slug, profile, snapshot.events, state, plan, snapshot.hours_history)


def load_learner(host: PluginHost, catalog: Catalog, store: LearnerStore, today: date) -> LearnerPlan:
    """Read a learner's file once and plan for them from ``today``."""
    return plan_learner(host, catalog, store.slug, store.snapshot(), today)
