"""``init``: which learner a run of ``init`` is about, their profile updated with what was given, and saving it.

The command collects flags (and, on a terminal, answers to prompts); the rules live here: the learner a name
or ``--learner`` means, which fields a run changes (only those given), what must be there, and validation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cpo_learn.errors import UsageError

if TYPE_CHECKING:
    from cpo_learn.app.context import App
    from cpo_learn.planning.profile import Profile, StoredProfile

REQUIRED = (("--name", "name"), ("--stage", "stage"), ("--hours", "hours_per_week"))
"""Profile fields without a default, with the ``init`` flag that gives each."""


@dataclass
class ProfileDraft:
    """A profile being made: the learner it belongs to (None: named by the profile), the saved profile it
    updates, and the fields so far (the saved ones overlaid with what this run gave)."""

    learner: str | None
    existing: StoredProfile | None
    data: dict[str, Any]

    def missing(self) -> list[str]:
        """The flags for required fields that are still empty."""
        return [flag for flag, key in REQUIRED if self.data.get(key) in (None, "")]


def draft(app: App, given: Mapping[str, Any], skills: Mapping[str, Any], background: Mapping[str, Any],
          experience: Mapping[str, list[str]]) -> ProfileDraft:
    """The profile ``init`` would save: the learner's saved profile with every field that was given replaced.

    ``given`` holds top-level fields (None: not given); ``skills`` add to or replace saved ratings; the
    ``background`` and ``experience`` entries replace the saved ones they name.
    """
    from cpo_learn.planning.profile import learner_slug

    tracker = app.tracker
    name = given.get("name")
    if app.learner_option is not None:  # '--learner ""' is refused like any name without a letter
        learner: str | None = tracker.resolve_learner(app.learner_option)
    elif name:
        learner = learner_slug(name)
    else:
        known = tracker.learners()
        if len(known) > 1:
            raise UsageError(f"several learners in this home ({', '.join(known)}): choose one with "
                             "--learner, or give --name for a new one")
        learner = known[0] if known else None
    existing = tracker.store(learner).load_profile() if learner else None
    data: dict[str, Any] = existing.to_mapping() if existing else {}
    data.update({k: v for k, v in given.items() if v is not None})
    if skills:
        data["skills"] = {**(data.get("skills") or {}), **skills}
    saved_background = dict(data.get("background") or {})
    saved_background.update({k: v for k, v in background.items() if v is not None})
    saved_experience = dict(data.get("experience") or {})
    saved_experience.update({k: list(v) for k, v in experience.items() if v})
    data["background"], data["experience"] = saved_background, saved_experience
    return ProfileDraft(learner, existing, data)


def save(app: App, profile_draft: ProfileDraft) -> tuple[Profile, str]:
    """Validate the draft against the catalog and save it; returns the profile and the learner's slug."""
    from cpo_learn.planning.profile import ProfileError, learner_slug, profile_from_mapping, profile_to_mapping

    catalog = app.catalog()
    profile_draft.data.setdefault("start", app.today().isoformat())
    try:
        profile = profile_from_mapping(profile_draft.data, catalog.stage_ids, catalog.skills)
    except ProfileError as exc:
        raise UsageError(str(exc)) from None
    slug = profile_draft.learner or learner_slug(profile.name)
    app.tracker.store(slug).save_profile(profile_to_mapping(profile))
    return profile, slug
