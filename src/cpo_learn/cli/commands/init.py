"""``cpo-learn init``: create or update the learner's profile, from flags and (on a terminal) prompts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import click

from cpo_learn.app.context import App
from cpo_learn.app.profiles import check_target_date_to_come
from cpo_learn.cli import completion, skill_prompt
from cpo_learn.cli.options import say
from cpo_learn.cli.skill_prompt import UNRATED_HINT, ask_skill_or_skip
from cpo_learn.cli.skill_prompt import skill_pairs as _skill_pairs
from cpo_learn.content.model import COMPANY_SIZES, DEGREES, FUNCTIONS, RESOURCE_KINDS, Skill
from cpo_learn.errors import UsageError
from cpo_learn.planning.profile import HOURS_RANGE
from cpo_learn.terminal import one_line

DATE = click.DateTime(["%Y-%m-%d"])


def _words(text: str) -> list[str]:
    return [w.strip() for w in text.replace(",", " ").split() if w.strip()]


def _iso(value: datetime | None) -> str | None:
    return value.date().isoformat() if value is not None else None


def _checked(key: str, data: dict[str, Any], stages: list[str], words: bool = False) -> Callable[[str], Any]:
    """A prompt's ``value_proc``: the answer checked by the profile's own rule for ``key`` (``check_answer``);
    a wrong one is a ``click.UsageError``, which makes ``click.prompt`` say why and ask again."""
    from cpo_learn.planning.profile import ProfileError, check_answer

    def convert(answer: str) -> Any:
        try:
            return check_answer(key, _words(answer) if words else answer, data, stages)
        except ProfileError as exc:
            raise click.UsageError(one_line(str(exc))) from None

    return convert


def _ask(data: dict[str, Any], key: str, question: str, stages: list[str], *, words: bool = False,
         today: date | None = None, **prompt: Any) -> None:
    """Ask for ``key`` until the answer passes its rule; store it in ``data``."""
    while True:
        value = click.prompt(question, value_proc=_checked(key, data, stages, words), **prompt)
        if key == "target_date" and value is not None and today is not None:
            try:
                check_target_date_to_come(date.fromisoformat(value), today)
            except UsageError as exc:
                say(f"Error: {exc}", err=True)
                continue
        data[key] = value
        return


def _prompt_missing(data: dict[str, Any], skills_: list[Skill], stage_ids: list[str], today: date) -> None:
    """Ask for every field that neither the flags nor the stored profile gave; each answer is checked at its
    own prompt (by the rule the saved profile is checked by) and asked again when wrong."""
    if "name" not in data:
        _ask(data, "name", "Your name", stage_ids)
    if "stage" not in data:
        _ask(data, "stage", f"Current stage ({', '.join(stage_ids)})", stage_ids, default=stage_ids[0])
    if "target" not in data:
        _ask(data, "target", "Target stage", stage_ids, default=stage_ids[-1])
    if "hours_per_week" not in data:
        _ask(data, "hours_per_week", f"Hours a week ({HOURS_RANGE})", stage_ids, default="5")
    if "start" not in data:
        _ask(data, "start", "Start date (YYYY-MM-DD)", stage_ids, default=today.isoformat())
    if "target_date" not in data:
        _ask(data, "target_date", "Target date (YYYY-MM-DD, empty for none)", stage_ids, today=today, default="",
             show_default=False)
    skills = data.setdefault("skills", {})
    asked = [skill for skill in skills_ if skill.id not in skills]
    if asked:
        say("")
        say(UNRATED_HINT)
    for skill in asked:
        level = ask_skill_or_skip(skill)
        if level is not None:
            skills[skill.id] = level
    background = data.setdefault("background", {})
    if "degree" not in background:
        _ask(background, "degree", f"Degree field ({', '.join(DEGREES)})", stage_ids, default="none")
    if "mba" not in background:
        background["mba"] = click.confirm("Do you have an MBA?", default=False)
    experience = data.setdefault("experience", {})
    if "company_sizes" not in experience:
        _ask(experience, "company_sizes", f"Company sizes worked at ({', '.join(COMPANY_SIZES)}; empty for none)",
             stage_ids, words=True, default="", show_default=False)
    if "functions" not in experience:
        _ask(experience, "functions", f"Functions worked in ({', '.join(FUNCTIONS)}, ...; empty for none)",
             stage_ids, words=True, default="", show_default=False)
    if "resource_kinds" not in data:
        _ask(data, "resource_kinds", f"Preferred resource kinds ({', '.join(RESOURCE_KINDS)}; empty for any)",
             stage_ids, words=True, default="", show_default=False)
    if "free_only" not in data:
        data["free_only"] = click.confirm("Only free resources?", default=False)


@click.command()
@click.option("--name", help="Your name (it also names your learner file).")
@click.option("--stage", metavar="STAGE", shell_complete=completion.stage_ids,
              help="Your current stage, e.g. starting-roles (see 'cpo-learn stages').")
@click.option("--target", metavar="STAGE", shell_complete=completion.stage_ids,
              help="The stage you aim for (default: cpo).")
@click.option("--hours", "hours", type=float, metavar="N",
              help=f"Hours a week you can spend ({HOURS_RANGE}).")
@click.option("--start", type=DATE, metavar="DATE", help="When to start (default: today).")
@click.option("--target-date", type=DATE, metavar="DATE", help="When you want to be done (optional).")
@click.option("--skill", "skills", multiple=True, metavar="SKILL=RATING",
              help="Rate a skill 0-5 against its level statements ('cpo-learn skills'), e.g. --skill analytics=3 "
                   "(repeatable; a skill left unrated is assumed at the level the stages before yours bring). "
                   "On a terminal each skill left out is asked for, with its statements.")
@click.option("--degree", metavar="FIELD", help=f"Degree field: {', '.join(DEGREES)}.")
@click.option("--mba/--no-mba", default=None, help="Whether you hold an MBA.")
@click.option("--company-size", "company_sizes", multiple=True, metavar="SIZE",
              help=f"A company size you worked at: {', '.join(COMPANY_SIZES)} (repeatable).")
@click.option("--function", "functions", multiple=True, metavar="FUNCTION",
              help=f"A function you worked in (repeatable); these credit modules: {', '.join(FUNCTIONS)}.")
@click.option("--resource-kind", "resource_kinds", multiple=True, metavar="KIND",
              help="A resource kind you prefer, e.g. book or course (repeatable).")
@click.option("--free-only/--not-free-only", default=None, help="Prefer free resources only.")
@click.option("--time-zone", metavar="ZONE",
              help="Your time zone, an IANA name like Europe/Paris (for the study block of an .ics calendar).")
@click.option("--new", "new", is_flag=True,
              help="Create a new learner named by --name, beside the learners already in the home.")
@click.pass_obj
def init(app: App, name: str | None, stage: str | None, target: str | None, hours: float | None,
         start: datetime | None, target_date: datetime | None, skills: tuple[str, ...], degree: str | None,
         mba: bool | None, company_sizes: tuple[str, ...], functions: tuple[str, ...],
         resource_kinds: tuple[str, ...], free_only: bool | None, time_zone: str | None, new: bool) -> None:
    """Create or update your learner profile.

    Flags set fields; on a terminal you are asked for the fields they leave out (with defaults), and off a
    terminal nothing is asked: missing required fields (name, stage, hours) are an error. Running it again
    updates only the fields you give. A --name that is not a learner in the home yet creates one only in an
    empty home or with --new; rename a learner with --learner OLD --name NEW.

    \b
    Example:
        cpo-learn init --name Ada --stage starting-roles --hours 6 --skill analytics=4
        cpo-learn init --target-date 2029-12-31 --resource-kind book --free-only
        cpo-learn init --new --name Grace --stage mid-level --hours 4
    """
    from cpo_learn.app import profiles

    catalog = app.catalog()  # plugins load (and report) before anything is asked or checked
    profile_draft = profiles.draft(
        app,
        given={"name": name, "stage": stage, "target": target, "hours_per_week": hours, "start": _iso(start),
               "target_date": _iso(target_date), "free_only": free_only,
               "resource_kinds": list(resource_kinds) or None, "time_zone": time_zone},
        skills=_skill_pairs(skills),
        background={"degree": degree, "mba": mba},
        experience={"company_sizes": list(company_sizes), "functions": list(functions)},
        new=new,
    )
    if skill_prompt.on_terminal():
        _prompt_missing(profile_draft.data, list(catalog.skills.values()), list(catalog.stage_ids), app.today())
    else:
        missing = profile_draft.missing()
        if missing:
            raise UsageError(f"missing {', '.join(missing)}: give them as flags (off a terminal "
                             "'cpo-learn init' does not ask)")
    profile, slug = profiles.save(app, profile_draft)
    verb = "Updated" if profile_draft.existing else "Created"
    say(f"{verb} the profile of {profile.name} (learner '{slug}'). Next: 'cpo-learn week' for this week's "
        "work, then 'cpo-learn generate' for your whole curriculum")
