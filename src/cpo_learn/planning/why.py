""""Why this plan": the few lines that say what shaped a plan, built once for every format."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from cpo_learn.quantities import hours_text

if TYPE_CHECKING:
    from cpo_learn.planning.plan import Plan

RATE_THEM = 'rate them with "cpo-learn assess" (or "cpo-learn init --skill SKILL=LEVEL") to make the plan yours'


def _ratings(ratings: dict[str, int]) -> str:
    return ", ".join(f"{skill} {level}" for skill, level in ratings.items())


def why_this_plan(plan: Plan) -> tuple[str, ...]:
    """What shaped the plan, one line each: ratings given, ratings assumed, credits from experience and
    background, preferences, organisation policy.

    Every format shows these lines (the Markdown and HTML summaries, ``why`` in JSON); add a line here and
    they all show it.
    """
    profile = plan.profile
    given = dict(profile.skills)
    lines = [f"Ratings you gave: {_ratings(given)}" if given else "Ratings you gave: none"]
    if plan.assumed:
        stage = plan.catalog.stage(profile.stage).title
        where = (f"what the stages before {stage} bring a learner to" if plan.catalog.stage_index(profile.stage)
                 else "nothing comes before your stage")
        lines.append(f"Ratings assumed for the {len(plan.assumed)} skills you did not rate ({where}): "
                     f"{_ratings(dict(plan.assumed))}; {RATE_THEM}")
    if plan.credited:
        because = Counter(entry.credit or "" for entry in plan.credited)
        count = len(plan.credited)
        lines.append(f"Credited from your experience and background: {count} module{'' if count == 1 else 's'}, "
                     + "; ".join(f"{n} because {why}" for why, n in because.items())
                     + ' (listed under "Credited modules"; "cpo-learn reopen ID" plans one again)')
    kinds = f"{', '.join(profile.resource_kinds)} first" if profile.resource_kinds else "resources of any kind"
    prefs = [f"{hours_text(profile.hours_per_week)} h a week", kinds]
    if profile.free_only:
        prefs.append("free resources only")
    if profile.target_date is not None:
        prefs.append(f"target date {profile.target_date}")
    lines.append(f"Preferences: {'; '.join(prefs)}")
    if plan.removed:
        lines.append(f"Organisation policy: {len(plan.removed)} module(s) removed (listed under "
                     '"Left out by your organisation")')
    return tuple(lines)
