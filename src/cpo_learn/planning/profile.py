"""The learner's ``Profile``: who they are, where they stand and what they prefer (DESIGN section 8).

A profile comes from ``cpo-learn init`` (stored by the tracker as a JSON-safe mapping) or from a TOML file
(``generate --profile FILE``). ``profile_from_mapping`` validates either form and says in one line what is
wrong; ``profile_to_mapping`` gives the mapping back, so the two round-trip.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from cpo_learn.content.model import COMPANY_SIZES, DEGREES, RESOURCE_KINDS
from cpo_learn.errors import CpoLearnError, UsageError
from cpo_learn.text import did_you_mean, slugify

MIN_HOURS_PER_WEEK = 0.5
MAX_HOURS_PER_WEEK = 80
HOURS_RANGE = f"from {MIN_HOURS_PER_WEEK:g} to {MAX_HOURS_PER_WEEK}"
"""The one range of hours a week a profile may give, as every message says it."""
MAX_RATING = 5
KEYS: tuple[str, ...] = (
    "name", "stage", "target", "hours_per_week", "start", "target_date", "free_only", "resource_kinds",
    "skills", "background", "experience", "in_stage_since", "stage_dates", "time_zone",
)
_ZONE = re.compile(r"^(?:UTC|[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+){1,2})$")
_WORD = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ProfileError(UsageError):
    """A profile field is missing or invalid; the message names the field and what to use instead."""


@dataclass(frozen=True)
class Background:
    """The learner's education: degree field and whether they hold an MBA."""

    degree: str | None = None
    mba: bool = False


@dataclass(frozen=True)
class Experience:
    """Where the learner has worked: company sizes and functions."""

    company_sizes: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Profile:
    """Everything the planner personalises from. ``start`` None means "today" when planning."""

    name: str
    stage: str
    hours_per_week: float
    target: str = "cpo"
    start: date | None = None
    target_date: date | None = None
    free_only: bool = False
    resource_kinds: tuple[str, ...] = ()
    skills: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    background: Background = field(default_factory=Background)
    experience: Experience = field(default_factory=Experience)
    in_stage_since: date | None = None  # when the learner reached their current stage
    stage_dates: Mapping[str, date] = field(default_factory=lambda: MappingProxyType({}))
    """The learner's own expected arrival in later stages (stage id -> date), over the typical-years estimate."""
    time_zone: str | None = None  # an IANA name (Europe/Paris), for calendars; checked where it is used

    def rating(self, skill: str) -> int:
        """The learner's self-rating of a skill, 0 when they gave none."""
        return self.skills.get(skill, 0)

    @property
    def slug(self) -> str:
        """The learner's file-safe id derived from the name (``Ada Lovelace`` -> ``ada-lovelace``)."""
        return learner_slug(self.name)


def with_ratings(profile: Profile, ratings: Mapping[str, int]) -> Profile:
    """The profile with ``ratings`` (skill id -> level, the newest self-assessments) over its own ratings.

    The one rule for which rating counts: a skill the learner assessed counts at its newest assessment; the
    others keep the profile's rating.
    """
    if all(profile.skills.get(skill) == level for skill, level in ratings.items()):
        return profile
    return replace(profile, skills=MappingProxyType({**profile.skills, **ratings}))


def learner_slug(name: str) -> str:
    """The learner's slug by the one rule for learner file names (``text.slugify``): never empty, never a
    path; a name without a letter or digit (``..``, ``---``) is a ``UsageError``, never a shared fallback."""
    return slugify(name)


def _holds_surrogates(value: Any) -> bool:
    if isinstance(value, str):
        return any("\ud800" <= ch <= "\udfff" for ch in value) if not value.isascii() else False
    if isinstance(value, Mapping):
        return any(_holds_surrogates(k) or _holds_surrogates(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_surrogates(v) for v in value)
    return False


def _suggest(word: str, choices: Iterable[str]) -> str:
    pool = list(choices)
    return f"{did_you_mean(word, pool, n=1)} (use one of: {', '.join(pool)})"


def _date(key: str, value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ProfileError(f"{key} must be a date like 2026-12-01 (got {value!r})")


def _words(key: str, value: Any, allowed: Sequence[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list | tuple):
        raise ProfileError(f"{key} must be a list (got {value!r})")
    out: list[str] = []
    for item in value:
        word = str(item).strip().lower()
        if allowed is not None and word not in allowed:
            raise ProfileError(f"unknown {key} value '{word}'{_suggest(word, allowed)}")
        if allowed is None and not _WORD.match(word):
            raise ProfileError(f"{key} value {item!r} must be lower-case words joined by '-', "
                               "like 'customer-service'")
        if word not in out:
            out.append(word)
    return tuple(out)


def _hours(value: Any) -> float:
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            raise ProfileError(f"hours_per_week must be a number (got {value!r})") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProfileError(f"hours_per_week must be a number (got {value!r})")
    if not MIN_HOURS_PER_WEEK <= value <= MAX_HOURS_PER_WEEK:
        raise ProfileError(f"hours_per_week must be {HOURS_RANGE} (got {value:g})")
    return float(value)


def _skills(value: Any, skills: Sequence[str]) -> Mapping[str, int]:
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, Mapping):
        raise ProfileError("skills must map skill ids to ratings 0-5, like analytics = 3")
    out: dict[str, int] = {}
    for raw_key, rating in value.items():
        key = str(raw_key).strip()
        if key not in skills:
            raise ProfileError(f"unknown skill '{key}'{_suggest(key, skills)}")
        if isinstance(rating, str):
            with contextlib.suppress(ValueError):  # '²' is a digit int() refuses; so are 5,000 digits
                rating = int(rating)
        if isinstance(rating, bool) or not isinstance(rating, int) or not 0 <= rating <= MAX_RATING:
            raise ProfileError(f"skill '{key}' rating must be a whole number from 0 to {MAX_RATING} "
                               f"(got {rating!r})")
        out[key] = rating
    return MappingProxyType(dict(sorted(out.items())))


def _flag(key: str, value: Any) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise ProfileError(f"{key} must be true or false (got {value!r})")
    return value


def _section(key: str, value: Any, allowed: Sequence[str]) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ProfileError(f"{key} must be a table with {', '.join(allowed)}")
    for sub in value:
        if sub not in allowed:
            raise ProfileError(f"unknown {key} key '{sub}'{_suggest(str(sub), allowed)}")
    return value


def _stage(key: str, value: Any, stages: Sequence[str]) -> str:
    word = str(value or "").strip()
    if word not in stages:
        raise ProfileError(f"unknown {key} '{word}'{_suggest(word, stages)}")
    return word


def _name(value: Any) -> str:
    name = str(value or "").strip()
    if not name:
        raise ProfileError("name is missing: give the learner's name")
    if _holds_surrogates(name):
        raise ProfileError("name holds bytes that are not UTF-8 text; give it again in UTF-8")
    try:
        slugify(name)
    except UsageError as exc:  # the name also names the learner's file
        raise ProfileError(str(exc)) from None
    return name


def _target(value: Any, stage: str | None, stages: Sequence[str]) -> str:
    target = _stage("target stage", value or "cpo", stages)
    if stage in stages and stages.index(target) < stages.index(stage):
        raise ProfileError(f"target stage '{target}' comes before your current stage '{stage}'; "
                           f"choose one of {', '.join(stages[stages.index(stage):])}")
    return target


def _target_date(value: Any, start: date | None) -> date | None:
    target_date = _date("target_date", value)
    if start is not None and target_date is not None and target_date < start:
        raise ProfileError(f"target_date {target_date} is before the start date {start}")
    return target_date


def _degree(value: Any) -> str | None:
    if value is None:
        return None
    degree = str(value).strip().lower()
    if degree not in DEGREES:
        raise ProfileError(f"unknown degree '{degree}'{_suggest(degree, DEGREES)}")
    return degree


ANSWERS: tuple[str, ...] = ("name", "stage", "target", "hours_per_week", "start", "target_date", "degree",
                            "company_sizes", "functions", "resource_kinds")
"""The profile fields ``check_answer`` checks one at a time (``init`` asks for them one prompt each)."""


def check_answer(key: str, value: Any, data: Mapping[str, Any], stages: Sequence[str]) -> Any:
    """One field of a profile being made, checked by the very rule ``profile_from_mapping`` applies to it (with
    the fields given so far in ``data``: a target stage not before the current stage, a target date not before
    the start): the value as the profile keeps it (a date as ``YYYY-MM-DD``), or ``ProfileError``.

    ``key`` is one of ``ANSWERS``; list fields take a list of words.
    """
    if key == "name":
        return _name(value)
    if key == "stage":
        return _stage("stage", value, stages)
    if key == "target":
        return _target(value, data.get("stage"), stages)
    if key == "hours_per_week":
        return _hours(value)
    if key in ("start", "target_date"):
        day = _date("start", value) if key == "start" else _target_date(value, _date("start", data.get("start")))
        return day.isoformat() if day is not None else None
    if key == "degree":
        return _degree(value)
    if key in ("company_sizes", "functions", "resource_kinds"):
        allowed = {"company_sizes": COMPANY_SIZES, "resource_kinds": RESOURCE_KINDS}.get(key)
        return list(_words(key, value, allowed))
    raise ValueError(f"check_answer does not check {key!r} (see ANSWERS)")


def profile_from_mapping(data: Mapping[str, Any], stages: Sequence[str], skills: Iterable[str]) -> Profile:
    """Validate a profile mapping (TOML keys of DESIGN section 8) and build the ``Profile``.

    ``stages`` (in path order) and ``skills`` are the catalog's (``catalog.stage_ids``, ``catalog.skills``), so
    stages and skills that plugins add are accepted. Raises ``ProfileError`` with a one-line message on the
    first problem.
    """
    skill_ids = tuple(skills)
    for key in data:
        if key not in KEYS:
            raise ProfileError(f"unknown profile key '{key}'{_suggest(str(key), KEYS)}")
    name = _name(data.get("name"))
    for key, value in data.items():
        if _holds_surrogates(value):  # bytes a terminal or file gave that are not UTF-8: they cannot be saved
            raise ProfileError(f"{key} holds bytes that are not UTF-8 text; give it again in UTF-8")
    if "stage" not in data or data.get("stage") in (None, ""):
        raise ProfileError(f"stage is missing: give the current stage, one of {', '.join(stages)}")
    stage = _stage("stage", data["stage"], stages)
    target = _target(data.get("target"), stage, stages)
    if data.get("hours_per_week") is None:
        raise ProfileError(f"hours_per_week is missing: say how many hours a week you can spend ({HOURS_RANGE})")
    start = _date("start", data.get("start"))
    target_date = _target_date(data.get("target_date"), start)
    background = _section("background", data.get("background"), ("degree", "mba"))
    degree = _degree(background.get("degree"))
    experience = _section("experience", data.get("experience"), ("company_sizes", "functions"))
    in_stage_since = _date("in_stage_since", data.get("in_stage_since"))
    stage_dates = _stage_dates(data.get("stage_dates"), stages, stage, target_date, target)
    zone = data.get("time_zone")
    if zone is not None and (not isinstance(zone, str) or not _ZONE.match(zone)):
        raise ProfileError(f"time_zone must be an IANA time zone name like Europe/Paris (got {zone!r})")
    return Profile(
        name=name,
        stage=stage,
        target=target,
        hours_per_week=_hours(data["hours_per_week"]),
        start=start,
        target_date=target_date,
        free_only=_flag("free_only", data.get("free_only")),
        resource_kinds=_words("resource_kinds", data.get("resource_kinds"), RESOURCE_KINDS),
        skills=_skills(data.get("skills"), skill_ids),
        background=Background(degree=degree, mba=_flag("mba", background.get("mba"))),
        experience=Experience(
            company_sizes=_words("company_sizes", experience.get("company_sizes"), COMPANY_SIZES),
            functions=_words("functions", experience.get("functions"), None),
        ),
        in_stage_since=in_stage_since,
        stage_dates=stage_dates,
        time_zone=zone or None,
    )


def _stage_dates(value: Any, stages: Sequence[str], stage: str, target_date: date | None,
                 target: str) -> Mapping[str, date]:
    """``stage_dates``: later stages only, each date after the one before (and the target's by the target date)."""
    if value is None:
        return MappingProxyType({})
    if not isinstance(value, Mapping):
        raise ProfileError("stage_dates must map later stages to dates, like leadership = 2029-06-01")
    later = stages[stages.index(stage) + 1:]
    found: dict[str, date] = {}
    for raw_key, raw_day in value.items():
        key = str(raw_key).strip()
        if key not in later:
            raise ProfileError(f"stage_dates: '{key}' is not a stage after your current stage '{stage}'"
                               f"{_suggest(key, later) if later else ''}")
        day = _date(f"stage_dates.{key}", raw_day)
        if day is not None:
            found[key] = day
    ordered = sorted(found, key=stages.index)
    for earlier, next_stage in itertools.pairwise(ordered):
        if found[next_stage] < found[earlier]:
            raise ProfileError(f"stage_dates: {next_stage} ({found[next_stage]}) comes before {earlier} "
                               f"({found[earlier]}); give them in the order of the path")
    if target_date is not None and target in found and found[target] != target_date:
        raise ProfileError(f"stage_dates.{target} ({found[target]}) and target_date ({target_date}) disagree; "
                           "give one of them")
    return MappingProxyType({k: found[k] for k in ordered})


def profile_to_mapping(profile: Profile) -> dict[str, Any]:
    """The profile as a JSON-safe mapping (dates as ISO strings) that ``profile_from_mapping`` reads back."""
    hours = profile.hours_per_week
    return {
        "name": profile.name,
        "stage": profile.stage,
        "target": profile.target,
        "hours_per_week": int(hours) if float(hours).is_integer() else hours,
        "start": profile.start.isoformat() if profile.start else None,
        "target_date": profile.target_date.isoformat() if profile.target_date else None,
        "free_only": profile.free_only,
        "resource_kinds": list(profile.resource_kinds),
        "skills": dict(profile.skills),
        "background": {"degree": profile.background.degree, "mba": profile.background.mba},
        "experience": {
            "company_sizes": list(profile.experience.company_sizes),
            "functions": list(profile.experience.functions),
        },
        "in_stage_since": profile.in_stage_since.isoformat() if profile.in_stage_since else None,
        "stage_dates": {stage: day.isoformat() for stage, day in profile.stage_dates.items()},
        # only when set, so profiles (and the outputs that show them) without one stay as they were
        **({"time_zone": profile.time_zone} if profile.time_zone else {}),
    }


def load_profile_toml(path: str | Path, stages: Sequence[str], skills: Iterable[str]) -> Profile:
    """Read and validate a profile TOML file; errors name the file."""
    import tomllib

    source = Path(path)
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8-sig"))  # a byte-order mark (Notepad) is fine
    except OSError as exc:
        raise CpoLearnError(f"cannot read profile {source}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise CpoLearnError(f"{source}: not UTF-8 text: is it a profile? save it as UTF-8 TOML") from None
    except tomllib.TOMLDecodeError as exc:
        raise CpoLearnError(f"{source}: not valid TOML: {exc}") from None
    try:
        return profile_from_mapping(data, stages, skills)
    except ProfileError as exc:
        raise CpoLearnError(f"{source}: {exc}") from None


@dataclass(frozen=True)
class StoredProfile:
    """A profile as the learner's file keeps it: the saved mapping, read through typed accessors.

    The file may hold a profile that is no longer valid (a plugin that added a stage was removed, the file was
    edited), so it is kept as saved and validated only when a plan needs it (``validate``).
    """

    data: Mapping[str, Any]

    @property
    def name(self) -> str | None:
        """The learner's display name, if the saved profile has one."""
        name = self.data.get("name")
        return name.strip() if isinstance(name, str) and name.strip() else None

    @property
    def stage(self) -> str | None:
        """The current stage as saved (not checked against the catalog)."""
        stage = self.data.get("stage")
        return stage if isinstance(stage, str) else None

    def to_mapping(self) -> dict[str, Any]:
        """A copy of the saved mapping (for exports, and as the base ``init`` updates)."""
        return dict(self.data)

    def validate(self, stages: Sequence[str], skills: Iterable[str]) -> Profile:
        """The ``Profile``; ``ProfileError`` saying what is wrong."""
        return profile_from_mapping(self.data, stages, skills)
