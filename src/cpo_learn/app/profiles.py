"""``init``: which learner a run of ``init`` is about, their profile updated with what was given, and saving it.

The command collects flags (and, on a terminal, answers to prompts); the rules live here: the learner a name
or ``--learner`` means, which fields a run changes (only those given), what must be there, and validation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
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


def choose_learner(app: App, name: str | None, new: bool) -> str | None:
    """Which learner a run of ``init`` is about (None: a new one, named by the profile's name).

    ``--learner`` names the learner outright (an existing one is updated, so ``--learner ada --name "Ada L"``
    renames her). Otherwise ``--name`` updates the learner it maps to; a name that maps to nobody creates a
    learner only in an empty home or with ``--new``, never silently beside the learners already there.
    """
    from cpo_learn.planning.profile import learner_slug

    tracker = app.tracker
    if app.learner_option is not None:  # '--learner ""' is refused like any name without a letter
        return tracker.resolve_learner(app.learner_option)
    known = tracker.learners()
    if name:
        slug = learner_slug(name)
        if new and slug in known:
            raise UsageError(f"learner '{slug}' already exists in {app.home}: drop --new to update them, or "
                             "give another --name")
        if slug in known or new or not known:
            return slug
        shown = ", ".join(known[:5]) + (f" and {len(known) - 5} more" if len(known) > 5 else "")
        raise UsageError(f"no learner '{slug}' in {app.home} (learners: {shown}): to create '{slug}', add --new; "
                         f"to rename '{known[0]}', use --learner {known[0]} --name NAME")
    if len(known) > 1:
        raise UsageError(f"several learners in this home ({', '.join(known)}): choose one with "
                         "--learner, or give --name and --new for a new one")
    return known[0] if known else None


def draft(app: App, given: Mapping[str, Any], skills: Mapping[str, Any], background: Mapping[str, Any],
          experience: Mapping[str, list[str]], new: bool = False) -> ProfileDraft:
    """The profile ``init`` would save: the learner's saved profile with every field that was given replaced.

    ``given`` holds top-level fields (None: not given); ``skills`` add to or replace saved ratings; the
    ``background`` and ``experience`` entries replace the saved ones they name; ``new`` allows creating a
    learner beside others (``choose_learner``).
    """
    tracker = app.tracker
    learner = choose_learner(app, given.get("name"), new)
    existing = tracker.store(learner).load_profile() if learner else None
    data: dict[str, Any] = existing.to_mapping() if existing else {}
    data.update({k: v for k, v in given.items() if v is not None})
    # A saved section of the wrong type (a hand-edited file) is replaced, not merged: init is how it is mended.
    for section in ("skills", "background", "experience"):
        if not isinstance(data.get(section), Mapping):
            data.pop(section, None)
    if skills:
        data["skills"] = {**(data.get("skills") or {}), **skills}
    saved_background = dict(data.get("background") or {})
    saved_background.update({k: v for k, v in background.items() if v is not None})
    saved_experience = dict(data.get("experience") or {})
    saved_experience.update({k: list(v) for k, v in experience.items() if v})
    data["background"], data["experience"] = saved_background, saved_experience
    return ProfileDraft(learner, existing, data)


def check_target_date_to_come(target_date: date, today: date) -> None:
    """A target date newly given must be to come (a saved one that has passed stays, so init can mend others)."""
    if target_date < today:
        raise UsageError(f"target_date {target_date} is in the past (today is {today}): give a date to come, "
                         "or none")


def save(app: App, profile_draft: ProfileDraft) -> tuple[Profile, str]:
    """Validate the draft against the catalog and save it; returns the profile and the learner's slug."""
    from cpo_learn.planning.profile import ProfileError, learner_slug, profile_from_mapping, profile_to_mapping

    catalog = app.catalog()
    today = app.today()
    profile_draft.data.setdefault("start", today.isoformat())
    try:
        profile = profile_from_mapping(profile_draft.data, catalog.stage_ids, catalog.skills)
    except ProfileError as exc:
        raise UsageError(str(exc)) from None
    given_target = profile_draft.data.get("target_date")
    saved_target = profile_draft.existing.data.get("target_date") if profile_draft.existing else None
    if profile.target_date is not None and given_target != saved_target:
        check_target_date_to_come(profile.target_date, today)
    slug = profile_draft.learner or learner_slug(profile.name)
    app.tracker.store(slug).save_profile(profile_to_mapping(profile), app.today())
    return profile, slug
