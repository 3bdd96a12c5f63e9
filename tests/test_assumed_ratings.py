"""Unrated skills are not zero: a skill the learner did not rate is assumed at the level the stages before theirs
bring a learner to, the plan treats it as that rating, and the curriculum says which ratings were assumed."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from types import MappingProxyType

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpo_learn.cli.main import cli
from cpo_learn.content.catalog import Catalog
from cpo_learn.planning.assumed import assumed_ratings
from cpo_learn.planning.plan import Plan
from cpo_learn.planning.planner import make_plan
from cpo_learn.planning.profile import Profile
from cpo_learn.planning.state import EMPTY_STATE, LearnerState
from cpo_learn.planning.why import why_this_plan
from cpo_learn.rendering.curriculum import render_html, render_json, render_markdown
from cpo_learn.rendering.exporters import ExportContext
from synthetic import catalogs, profiles, states

TODAY = date(2026, 1, 5)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def shape(plan: Plan) -> list[tuple[str, str, int | None, date | None, date | None]]:
    """What the learner is asked to do and when (reasons differ: "you rate" against "assumed")."""
    return [(e.id, str(e.status), e.week, e.start, e.due) for e in plan.entries]


def rated(profile: Profile, ratings: dict[str, int]) -> Profile:
    return replace(profile, skills=MappingProxyType(ratings))


@SETTINGS
@given(st.data())
def test_an_unrated_skill_behaves_as_its_assumed_level(data: st.DataObject) -> None:
    catalog: Catalog = data.draw(catalogs())
    profile: Profile = data.draw(profiles())
    state: LearnerState = data.draw(states(catalog))
    skills = sorted(catalog.skills)
    ratings = data.draw(st.dictionaries(st.sampled_from(skills), st.integers(0, 5)))
    profile = rated(profile, ratings)
    assumed = assumed_ratings(catalog, profile)
    assert set(assumed) == set(skills) - set(ratings)  # a rated skill, even at 0, is never assumed
    missing = data.draw(st.sampled_from(sorted(assumed))) if assumed else None
    plan = make_plan(catalog, profile, state, TODAY)
    assert dict(plan.assumed) == dict(assumed)
    if missing is not None:
        filled = rated(profile, {**ratings, missing: assumed[missing]})
        assert shape(make_plan(catalog, filled, state, TODAY)) == shape(plan)


@SETTINGS
@given(catalogs(), profiles(), st.data())
def test_rating_nothing_plans_as_rating_every_skill_at_its_assumed_level(catalog: Catalog, profile: Profile,
                                                                        data: st.DataObject) -> None:
    state = data.draw(states(catalog))
    blank = rated(profile, {})
    assumed = assumed_ratings(catalog, blank)
    typical = rated(profile, dict(assumed))
    assert shape(make_plan(catalog, blank, state, TODAY)) == shape(make_plan(catalog, typical, state, TODAY))
    assert not make_plan(catalog, typical, state, TODAY).assumed


@SETTINGS
@given(catalogs(), profiles())
def test_the_assumed_level_is_what_earlier_stages_core_brings(catalog: Catalog, profile: Profile) -> None:
    assumed = assumed_ratings(catalog, rated(profile, {}))
    before = catalog.stage_ids[:catalog.stage_index(profile.stage)]
    for skill, level in assumed.items():
        levels = [m.skills.get(skill, 0) for m in catalog.modules.values() if m.kind == "core" and m.stage in before]
        assert level == max(levels, default=0)


def test_the_first_stage_assumes_nothing_above_zero(catalog: Catalog) -> None:
    first = Profile(name="Ada", stage=catalog.stage_ids[0], target="cpo", hours_per_week=6)
    assert set(assumed_ratings(catalog, first).values()) == {0}
    assert "nothing comes before your stage" in " ".join(why_this_plan(make_plan(catalog, first, EMPTY_STATE,
                                                                                TODAY)))


def ada(catalog: Catalog) -> Profile:
    return Profile(name="Ada", stage="starting-roles", target="cpo", hours_per_week=6,
                   skills=MappingProxyType({"analytics": 4, "empathy": 3}))


def test_readme_learner_gets_no_earlier_stage_module_her_ratings_cover(catalog: Catalog) -> None:
    profile = ada(catalog)
    plan = make_plan(catalog, profile, EMPTY_STATE, TODAY)
    assumed = plan.assumed
    assert len(assumed) == 6 and not set(assumed) & {"analytics", "empathy"}
    ratings = {**assumed, **profile.skills}
    for entry in plan.entries:
        if entry.catch_up and entry.to_do:  # an earlier stage's module still to do must close a gap
            assert any(level > ratings[s] for s, level in entry.module.skills.items()), entry.id
    as_zero = make_plan(catalog, rated(profile, {**{s: 0 for s in assumed}, **profile.skills}), EMPTY_STATE, TODAY)
    assert sum(e.to_do for e in plan.entries) < sum(e.to_do for e in as_zero.entries)
    assert plan.remaining_hours < as_zero.remaining_hours


def test_readme_learner_curriculum_names_the_six_assumed_ratings(catalog: Catalog) -> None:
    plan = make_plan(catalog, ada(catalog), EMPTY_STATE, TODAY)
    context = ExportContext("ada", TODAY)
    named = [f"{skill} {level}" for skill, level in plan.assumed.items()]
    markdown = render_markdown(plan, context)
    html = render_html(plan, context)
    summary = markdown.split("## Your career timeline")[0]
    assert "**Why this plan:**" in summary and "Why this plan" in html
    for text in (summary, html):
        assert "Ratings you gave: analytics 4, empathy 3" in text
        assert all(name in text for name in named)
        assert "cpo-learn assess" in text
    assert "(others 0)" not in markdown
    data = json.loads(render_json(plan, context))
    assert data["assumed_ratings"] == dict(plan.assumed)
    assert data["why"] == list(why_this_plan(plan))
    assert data["profile"]["skills"] == {"analytics": 4, "empathy": 3}


def test_the_html_skill_chart_shows_an_assumed_rating_as_assumed(catalog: Catalog) -> None:
    """The chart drew an unrated skill at 0 ("you rated 0") while the plan worked from its assumed level."""
    plan = make_plan(catalog, ada(catalog), EMPTY_STATE, TODAY)
    html = render_html(plan, ExportContext("ada", TODAY))
    chart = html.split('aria-label="Skill profile', 1)[1].split("</svg>", 1)[0]
    assert "analytics: you rated 4" in chart and "empathy: you rated 3" in chart
    for skill, level in plan.assumed.items():
        assert f"{skill}: assumed {level} (you did not rate it)" in chart and f"{skill}: you rated" not in chart
        assert f"{level} assumed →" in chart


def test_a_waiver_from_an_assumed_rating_says_it_was_assumed(catalog: Catalog) -> None:
    plan = make_plan(catalog, ada(catalog), EMPTY_STATE, TODAY)
    waived = [e for e in plan.entries if e.reason.startswith("waived:")
              and set(e.module.skills) <= set(plan.assumed)]
    assert waived and all("assumed" in e.reason and "you rate" not in e.reason for e in waived)


def test_why_this_plan_says_preferences_and_policy(catalog: Catalog) -> None:
    profile = replace(ada(catalog), free_only=True, resource_kinds=("book",), target_date=date(2040, 1, 1))
    plan = make_plan(catalog, profile, EMPTY_STATE, TODAY)
    some = plan.entries[0].id
    lines = why_this_plan(plan.without(some, reason="not at Acme"))
    assert "Preferences: 6 h a week; book first; free resources only; target date 2040-01-01" in lines
    assert any(line.startswith("Organisation policy: 1 module(s) removed") for line in lines)
    assert not any(line.startswith("Organisation policy") for line in why_this_plan(plan))


def test_generate_json_of_the_readme_learner(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["init", "--name", "Ada", "--stage", "starting-roles", "--hours", "6",
                                 "--skill", "analytics=4", "--skill", "empathy=3"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["generate", "--format", "json", "-o", "-", "--today", "2026-01-05"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["assumed_ratings"]) == 6
    assert data["why"][0] == "Ratings you gave: analytics 4, empathy 3"


def test_a_skill_assessed_later_is_no_longer_assumed_even_at_0(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["init", "--name", "Ada", "--stage", "starting-roles", "--hours", "6",
                                 "--skill", "analytics=4", "--skill", "empathy=3"])
    assert result.exit_code == 0, result.output
    before = json.loads(runner.invoke(cli, ["generate", "--format", "json", "-o", "-"]).output)
    assert before["assumed_ratings"]["leadership"] > 0
    result = runner.invoke(cli, ["assess", "--skill", "leadership=0"])
    assert result.exit_code == 0, result.output
    after = json.loads(runner.invoke(cli, ["generate", "--format", "json", "-o", "-"]).output)
    assert "leadership" not in after["assumed_ratings"]
    assert set(after["assumed_ratings"]) == set(before["assumed_ratings"]) - {"leadership"}
    assert any("leadership 0" in line for line in after["why"] if line.startswith("Ratings you gave"))
    assert after["remaining_hours"] >= before["remaining_hours"]  # rated lower than assumed: more to do


def test_init_help_no_longer_says_unrated_skills_count_as_0(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["init", "--help"])
    assert result.exit_code == 0
    assert "count as 0" not in result.output and "assumed" in result.output
