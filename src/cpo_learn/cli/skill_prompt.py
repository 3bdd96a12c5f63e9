"""The one prompt for rating a skill against its level statements (``init`` and ``assess`` on a terminal), and
the one reader of ``--skill SKILL=RATING`` flags."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from cpo_learn.cli.options import say
from cpo_learn.content.model import RATINGS
from cpo_learn.errors import UsageError

if TYPE_CHECKING:
    from cpo_learn.content.model import Skill


def on_terminal() -> bool:
    """True when someone can answer prompts (stdin and stdout are a terminal)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def skill_pairs(values: tuple[str, ...]) -> dict[str, Any]:
    """``("analytics=3", ...)`` as ``{"analytics": 3}``; a rating that is not a whole number is kept as given, so
    the check that follows (profile or assessment) says what to use. ``UsageError`` for a value without ``=``."""
    skills: dict[str, Any] = {}
    for value in values:
        key, sep, rating = value.partition("=")
        if not sep or not key.strip() or not rating.strip():
            raise UsageError(f"--skill takes SKILL=RATING, like analytics=3 (got '{value}')")
        number = rating.strip()
        try:
            skills[key.strip()] = int(number)
        except ValueError:  # not a whole number ('high', '²', 5,000 digits): the check says what to use
            skills[key.strip()] = number
    return skills


def ask_skill(skill: Skill, current: int | None = None) -> int:
    """Show a skill's level statements (0-5) and ask for the learner's level; the default is ``current``
    (their rating now), else 0."""
    question = _introduce(skill, current)
    default = current if current in RATINGS else RATINGS[0]
    level: int = click.prompt(question, type=click.IntRange(RATINGS[0], RATINGS[-1]), default=default)
    return level


UNRATED_HINT = ("Rate each skill against its level statements; press Enter with no number to leave one unrated "
                "(it is then assumed at the level the stages before yours bring, not taken as 0).")


def ask_skill_or_skip(skill: Skill) -> int | None:
    """Like ``ask_skill`` for a skill not rated yet, but an empty answer leaves it unrated (None), so it is
    assumed as for a skill left out of the flags, rather than rated 0 by pressing Enter."""
    question = _introduce(skill, None)

    def level_of(answer: str) -> int | None:
        text = answer.strip()
        if not text:
            return None
        if text.isdigit() and int(text) in RATINGS:
            return int(text)
        raise click.BadParameter(f"'{text}' is not a level from {RATINGS[0]} to {RATINGS[-1]}; give one, or "
                                 "press Enter to leave it unrated")

    level: int | None = click.prompt(question, default="", show_default=False, value_proc=level_of)
    return level


def _introduce(skill: Skill, current: int | None) -> str:
    """Show the skill's level statements (after a blank line); the question to ask about it."""
    from cpo_learn.app.assessment import statement_lines

    say("")
    for line in statement_lines(skill, current):
        say(line)
    return f"Your level for {skill.title} ({RATINGS[0]}-{RATINGS[-1]})"
