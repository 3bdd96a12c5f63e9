"""``cpo-learn assess``: rate yourself against the skills' level statements, recorded with the date."""

from __future__ import annotations

import click

from cpo_learn.app.context import App
from cpo_learn.cli import skill_prompt
from cpo_learn.cli.options import echo_json, json_option, say
from cpo_learn.errors import UsageError


@click.command()
@click.option("--skill", "given", multiple=True, metavar="SKILL=LEVEL",
              help="Your level 0-5 in a skill, e.g. --skill analytics=4 (repeatable); without any, a terminal "
                   "asks for every skill.")
@click.option("--note", metavar="TEXT", help="What the ratings rest on (kept with each rating).")
@json_option
@click.pass_obj
def assess(app: App, given: tuple[str, ...], note: str | None, as_json: bool) -> None:
    """Rate yourself against each skill's level statements; each rating is recorded with today's date.

    On a terminal, without --skill, it shows every skill's statements for levels 0-5 (0: never done it) and
    asks for your level, your current rating as the default. With --skill it records just those (and asks
    nothing). Your newest ratings shape the plan from today on; modules already done stay done. Run it again
    later to record growth: 'cpo-learn progress' shows each skill's first and latest rating, and 'cpo-learn
    undo' takes back the last rating. With --json: {learner, on, recorded: [{skill, level, event}], unchanged,
    ratings: [{skill, title, first, latest, change, assessments}]}.

    \b
    Example:
        cpo-learn assess
        cpo-learn assess --skill analytics=4 --skill empathy=3
        cpo-learn assess --skill strategic-thinking=2 --note "after the strategy offsite" --json
    """
    from cpo_learn.app import assessment

    catalog = app.catalog()
    ratings = skill_prompt.skill_pairs(given)
    if not ratings:
        if not skill_prompt.on_terminal() or as_json:
            raise UsageError("give your levels as --skill SKILL=LEVEL, like --skill analytics=3 (off a terminal, "
                             "or with --json, 'cpo-learn assess' does not ask; see 'cpo-learn skills')")
        current = assessment.current_ratings(app)
        say("Rate yourself against what each level looks like; Enter keeps the rating shown as the default.")
        ratings = {skill.id: skill_prompt.ask_skill(skill, current.get(skill.id)) for skill in catalog.skills.values()}
    result = assessment.assess(app, assessment.check_ratings(catalog, ratings), note)
    if as_json:
        echo_json(result.to_dict())
        return
    say(assessment.result_text(result))
