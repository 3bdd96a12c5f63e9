"""Credit for experience and background: whether a learner's profile credits a module, and why.

A module declares what credits it (``credited_by``, ``content.model.CreditedBy``); any one of its parts that
the profile matches is enough:

- ``functions``: the learner has worked in one of these functions (``experience.functions``);
- ``company_sizes``: with one size listed, the learner has worked at that size; with two or more, at two or
  more of them (the module is about moving between company sizes, which such a learner has done);
- ``degree``: the learner's degree (``background.degree``) is one of these fields;
- ``mba``: true, and the learner holds an MBA.

The reason is written from the profile, in the learner's terms ("you have worked in customer service").
Pure functions of the module and the profile; the planner decides what a credit does to the plan.
"""

from __future__ import annotations

from cpo_learn.content.model import CreditedBy, Module
from cpo_learn.planning.profile import Profile
from cpo_learn.text import and_list

CREDITED = "credited"
"""How the reason of a credited module begins ("credited: you have worked in sales")."""
_SIZE_WORDS = {"startup": "a startup", "mid-size": "a mid-size company", "large": "a large company"}


def _article(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def _sizes_met(wanted: tuple[str, ...], profile: Profile) -> tuple[str, ...]:
    """The learner's company sizes that meet ``wanted`` (all the listed ones they have), or () when not met."""
    have = tuple(size for size in wanted if size in profile.experience.company_sizes)
    return have if len(have) >= min(2, len(wanted)) and have else ()


def credit_phrases(credited_by: CreditedBy, profile: Profile) -> tuple[str, ...]:
    """What in the profile credits a module, one phrase per matching part (empty when nothing matches)."""
    phrases: list[str] = []
    functions = [f for f in credited_by.functions if f in profile.experience.functions]
    if functions:
        phrases.append(f"you have worked in {and_list([f.replace('-', ' ') for f in functions])}")
    sizes = _sizes_met(credited_by.company_sizes, profile)
    if sizes:
        phrases.append(f"you have worked at {and_list([_SIZE_WORDS.get(s, s) for s in sizes])}")
    degree = profile.background.degree
    if degree is not None and degree in credited_by.degree:
        phrases.append(f"you have {_article(degree)} degree")
    if credited_by.mba and profile.background.mba:
        phrases.append("you have an MBA")
    return tuple(phrases)


def describe_credit(credited_by: CreditedBy) -> str:
    """What credits a module, in words, for authors and browsing: ``worked in sales or marketing; an MBA``."""
    parts: list[str] = []
    if credited_by.functions:
        parts.append("worked in " + " or ".join(credited_by.functions))
    sizes = credited_by.company_sizes
    if len(sizes) == 1:
        parts.append(f"worked at {_SIZE_WORDS.get(sizes[0], sizes[0])}")
    elif sizes:
        parts.append("worked at two or more company sizes of " + ", ".join(sizes))
    if credited_by.degree:
        parts.append("a " + " or ".join(credited_by.degree) + " degree")
    if credited_by.mba:
        parts.append("an MBA")
    return "; ".join(parts)


def credit_for(module: Module, profile: Profile) -> str | None:
    """Why the profile credits the module ("you have worked in customer service"), or None when it does not."""
    if module.credited_by is None:
        return None
    phrases = credit_phrases(module.credited_by, profile)
    return and_list(phrases) if phrases else None


def credited_reason(credit: str) -> str:
    """The plan's reason for a credited module: ``credited: <what in the profile credits it>``."""
    return f"{CREDITED}: {credit}"
