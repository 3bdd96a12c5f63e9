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
    from cpo_learn.app.assessment import statement_lines

    say("")
    for line in statement_lines(skill, current):
        say(line)
    default = current if current in RATINGS else RATINGS[0]
    level: int = click.prompt(f"Your level for {skill.title} ({RATINGS[0]}-{RATINGS[-1]})",
                              type=click.IntRange(RATINGS[0], RATINGS[-1]), default=default)
    return level
