"""Self-assessment against the skills' level statements: ``skills`` lists them, ``assess`` records ratings as
dated ``assessed`` events, and ``progress`` shows each skill's first and latest rating.

A rating is a level 0-5: 0 means "never done it" for every skill, 1-5 are described by the skill's level
statements. The profile's ratings (from ``init``) are where a learner started; each ``assess`` adds a dated
rating to the log, and the newest one is the rating the planner uses from that day on (``with_ratings``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from cpo_learn.content.model import LEVEL_ZERO, RATINGS
from cpo_learn.errors import UsageError
from cpo_learn.text import unknown_id_message
from cpo_learn.tracking.ratings import FROM_ASSESSMENT, FROM_PROFILE, SkillRating, rating_history

if TYPE_CHECKING:
    from cpo_learn.app.context import App
    from cpo_learn.content.catalog import Catalog
    from cpo_learn.content.model import Skill
    from cpo_learn.tracking.events import Event

def skill_record(skill: Skill) -> dict[str, Any]:
    """A skill with its level statements, as ``skills --json`` lists it."""
    return {
        "id": skill.id, "title": skill.title, "description": skill.description, "plugin": skill.origin.plugin,
        "levels": [{"level": level, "statement": text} for level, text in enumerate(skill.levels, start=1)],
    }


def skills_listing(catalog: Catalog) -> list[dict[str, Any]]:
    """Every skill in the catalog (sorted by id) with its level statements."""
    return [skill_record(skill) for skill in catalog.skills.values()]


def parse_rating(skill_id: str, text: str | int) -> int:
    """A rating given as text (``"4"``) or a number, as a level 0-5; ``UsageError`` saying what to give."""
    value = text.strip() if isinstance(text, str) else text
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 2:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or value not in RATINGS:
        raise UsageError(f"rating {text!r} for {skill_id} is not a level {RATINGS[0]}-{RATINGS[-1]} "
                         f"({RATINGS[0]} = {LEVEL_ZERO}; see 'cpo-learn skills')")
    return value


def check_ratings(catalog: Catalog, given: Mapping[str, str | int]) -> dict[str, int]:
    """Skill id -> level for what the learner gave; ``UsageError`` naming an unknown skill or a bad level."""
    ratings: dict[str, int] = {}
    for skill_id, value in given.items():
        if skill_id not in catalog.skills:
            raise UsageError(unknown_id_message("skill", skill_id, catalog.skills, "see 'cpo-learn skills'"))
        ratings[skill_id] = parse_rating(skill_id, value)
    return ratings


@dataclass(frozen=True)
class AssessmentResult:
    """What one ``assess`` did: the learner, the day, the events recorded, the ratings left as they were
    (already assessed at that level that day), and every rated skill's first and latest rating afterwards."""

    learner: str
    on: date
    recorded: tuple[Event, ...]
    unchanged: tuple[str, ...]
    ratings: tuple[SkillRating, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, as ``assess --json`` prints it."""
        return {
            "learner": self.learner, "on": self.on.isoformat(),
            "recorded": [{"skill": e.target, "level": e.level, "event": e.id} for e in self.recorded],
            "unchanged": list(self.unchanged),
            "ratings": [rating.to_dict() for rating in self.ratings],
        }


def current_ratings(app: App) -> dict[str, int]:
    """The ratings that count now for the current learner (profile overlaid with the newest assessments), for
    the prompts' defaults."""
    snapshot = app.store().snapshot()
    from cpo_learn.tracking.events import fold

    profile_skills = _profile_skills(snapshot.profile.data if snapshot.profile else {})
    return {**profile_skills, **fold(snapshot.events).latest_ratings()}


def assess(app: App, ratings: Mapping[str, int], note: str | None = None) -> AssessmentResult:
    """Record one ``assessed`` event per rating, dated today, for the current learner; returns what was done.

    A skill already assessed at the same level today is left as it is (running the same ``assess`` twice
    records once); the check and the write are one transaction under the learner's lock.
    """
    from cpo_learn.tracking.events import EventType, fold

    store = app.store()
    catalog = app.catalog()
    today = app.today()
    checked = check_ratings(catalog, ratings)
    if not checked:
        raise UsageError("nothing to assess: give --skill SKILL=LEVEL (see 'cpo-learn skills')")
    wanted = [store.new_event(EventType.ASSESSED, skill, level=level, note=note, on=today,
                              plugin=catalog.skills[skill].origin.plugin)
              for skill, level in checked.items()]
    unchanged: list[str] = []

    def decide(current: list[Event]) -> list[Event]:
        state = fold(current)
        fresh = []
        for event in wanted:
            history = state.ratings.get(event.target, ())
            if history and history[-1].on == today and history[-1].level == event.level:
                unchanged.append(event.target)
            else:
                fresh.append(event)
        return fresh

    recorded = store.append([], decide)
    app.notify(recorded, store.slug)
    snapshot = store.snapshot()
    profile_skills = _profile_skills(snapshot.profile.data if snapshot.profile else {})
    history = rating_history(catalog, profile_skills, fold(snapshot.events))
    return AssessmentResult(store.slug, today, tuple(recorded), tuple(unchanged), tuple(history))


def _profile_skills(data: Mapping[str, Any]) -> dict[str, int]:
    """The stored profile's well-formed ratings (a hand-edited file may hold anything; ``init`` mends it)."""
    skills = data.get("skills")
    if not isinstance(skills, Mapping):
        return {}
    return {str(k): v for k, v in skills.items() if isinstance(v, int) and not isinstance(v, bool) and v in RATINGS}


def statement_lines(skill: Skill, current: int | None = None, zero: bool = True) -> list[str]:
    """What the prompt for one skill shows: its title and description, then each level with its statement
    (0, "never done it", unless ``zero`` is False), the learner's current rating marked."""
    lines = [f"{skill.title} ({skill.id})" + (f": {skill.description}" if skill.description else "")]
    for level in RATINGS if zero else RATINGS[1:]:
        statement = skill.statement(level)
        if statement is None:
            continue
        mark = "*" if level == current else " "
        lines.append(f" {mark}{level}  {statement}")
    if not skill.levels:
        lines.append("   (this skill's plugin gives no level statements: rate it 1-5 as you judge)")
    return lines


def skills_text(catalog: Catalog) -> str:
    """``cpo-learn skills`` as text: level 0 said once, then every skill with its statements for 1-5."""
    lines = [f"Ratings are levels {RATINGS[0]}-{RATINGS[-1]}; {RATINGS[0]} is the same for every skill: "
             f"{LEVEL_ZERO}.", ""]
    for skill in catalog.skills.values():
        lines.extend(statement_lines(skill, zero=False))
        lines.append("")
    lines.append("Rate yourself with 'cpo-learn assess' (on a terminal) or 'cpo-learn assess --skill "
                 "analytics=3'.")
    return "\n".join(lines)


def ratings_lines(ratings: tuple[SkillRating, ...] | list[SkillRating]) -> list[str]:
    """Each rated skill's first and latest rating, one line each (``progress`` and ``assess``)."""
    lines = []
    for rating in ratings:
        first = f"{rating.first} ({_when(rating.first_source, rating.first_on)})"
        if rating.assessments == 0 or (rating.first_source == FROM_ASSESSMENT and rating.assessments == 1):
            lines.append(f"  {rating.title:<34} {first}")
            continue
        latest = f"{rating.latest} ({_when(rating.latest_source, rating.latest_on)})"
        change = f"{rating.change:+d}" if rating.change else "no change"
        lines.append(f"  {rating.title:<34} first {first}, latest {latest}: {change}")
    return lines


def _when(source: str, on: date | None) -> str:
    return "profile" if source == FROM_PROFILE or on is None else on.isoformat()


def result_text(result: AssessmentResult) -> str:
    """What ``assess`` says once it has recorded: what was recorded and each skill's first and latest rating."""
    if result.recorded:
        rated = ", ".join(f"{e.target} {e.level}" for e in result.recorded)
        head = f"Recorded {len(result.recorded)} rating{'s' if len(result.recorded) != 1 else ''} on " \
               f"{result.on.isoformat()} for {result.learner}: {rated}."
    else:
        head = f"Nothing new to record: {result.learner} was already assessed at these levels today."
    if result.unchanged and result.recorded:
        head += f" Already assessed at that level today: {', '.join(result.unchanged)}."
    lines = [head, "", "Skill ratings (first -> latest):", *ratings_lines(result.ratings), "",
             "Your plan uses the latest ratings from today on: see 'cpo-learn generate' or 'cpo-learn next'."]
    return "\n".join(lines)
