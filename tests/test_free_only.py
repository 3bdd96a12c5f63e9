"""``free_only`` that holds: electives with no free resource are left out (with the reason), core modules
without one stay and are flagged, and the summary counts them."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from types import MappingProxyType

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpo_learn.content.catalog import Catalog
from cpo_learn.planning.plan import Plan
from cpo_learn.planning.planner import has_free, make_plan
from cpo_learn.planning.profile import Profile
from cpo_learn.planning.state import EMPTY_STATE, LearnerState
from cpo_learn.rendering.curriculum import render_html, render_json, render_markdown
from cpo_learn.rendering.exporters import ExportContext
from synthetic import catalogs, profiles, states

TODAY = date(2026, 1, 5)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def free_only_plans(draw: st.DrawFn) -> tuple[Catalog, LearnerState, Plan]:
    """A catalog, a record and the plan of a ``free_only`` learner made from them."""
    catalog = draw(catalogs())
    profile = replace(draw(profiles()), free_only=True)
    state = draw(states(catalog))
    today = draw(st.dates(date(2025, 1, 1), date(2028, 12, 31)))
    return catalog, state, make_plan(catalog, profile, state, today)


@SETTINGS
@given(free_only_plans())
def test_no_droppable_elective_without_a_free_resource_is_planned(case: tuple[Catalog, LearnerState, Plan]) -> None:
    _, _, plan = case
    for entry in plan.entries:
        if entry.to_do and not has_free(entry.module):
            # only core modules, recorded work, or what something kept needs may stay, and they are flagged
            assert entry.module.kind == "core" or entry.recorded is not None or not entry.droppable, entry.id
            assert entry.no_free_resource, entry.id
    for item in plan.not_fitted:
        assert plan.entry(item.module.id) is None
    assert plan.core_without_free == sum(
        1 for e in plan.entries if e.to_do and e.module.kind == "core" and not has_free(e.module))


@SETTINGS
@given(free_only_plans())
def test_recorded_work_is_never_left_out_for_having_no_free_resource(case: tuple[Catalog, LearnerState, Plan]) -> None:
    catalog, state, plan = case
    left = {item.module.id for item in plan.not_fitted if item.reason.startswith("no free resource")}
    recorded = {catalog.resolve(k) for k in state.modules}
    assert not left & recorded


@SETTINGS
@given(free_only_plans())
def test_nothing_planned_builds_on_an_elective_left_out_for_free_only(case: tuple[Catalog, LearnerState, Plan]) -> None:
    """An elective built on one left out for having no free resource goes with it (hypothesis found a free
    elective kept on a paid-only one)."""
    _, _, plan = case
    left = {item.module.id for item in plan.not_fitted if item.no_free}  # not the catch-up that went with them
    for entry in plan.entries:
        if entry.to_do:
            assert not {plan.catalog.resolve(p) for p in entry.module.prerequisites} & left, entry.id


def paid(catalog: Catalog, stage: str, count: int) -> Catalog:
    """The catalog with every resource of the first ``count`` electives and ``count`` core modules of a stage
    made paid (every built-in module has a free resource today)."""
    chosen = [m.id for m in catalog.modules.values() if m.stage == stage and m.kind != "core"][:count]
    chosen += [m.id for m in catalog.modules.values() if m.stage == stage and m.kind == "core"][:count]
    modules = {
        mid: replace(m, resources=tuple(replace(r, cost="paid") for r in m.resources)) if mid in chosen else m
        for mid, m in catalog.modules.items()
    }
    return replace(catalog, modules=MappingProxyType(modules))


def test_builtin_catalog_free_only_lists_left_out_electives_and_counts_core(catalog: Catalog) -> None:
    catalog = paid(catalog, "mid-level", 2)
    # rated 0 throughout (not left unrated, which assumes earlier stages' levels), so the electives are needed
    profile = Profile(name="Ada", stage="mid-level", target="mid-level", hours_per_week=6, free_only=True,
                      skills=MappingProxyType(dict.fromkeys(catalog.skills, 0)))
    plan = make_plan(catalog, profile, EMPTY_STATE, TODAY)
    no_free = [i for i in plan.not_fitted if i.reason.startswith("no free resource")]
    electives_without = [m for m in catalog.modules.values() if m.stage in {s.id for s in plan.stages}
                         and m.kind != "core" and not has_free(m)]
    assert electives_without, "the built-in catalog has electives without a free resource"
    assert no_free
    assert all(i.module.kind != "core" for i in no_free)
    markdown = render_markdown(plan, ExportContext("ada", TODAY))
    for item in no_free:
        assert item.module.id in markdown
    count = plan.core_without_free
    assert count == 2
    assert "2 core modules have no free resource yet" in markdown
    assert "(no free resource yet)" in markdown
    assert "no free resource: you asked for free resources only" in markdown
    html = render_html(plan, ExportContext("ada", TODAY))
    assert "2 core modules have no free resource yet" in html and "(no free resource yet)" in html
    data = json.loads(render_json(plan, ExportContext("ada", TODAY)))
    assert data["core_without_free"] == count
    flagged = [m for s in data["stages"] for m in s["modules"] if m["no_free_resource"]]
    assert len([m for m in flagged if m["kind"] == "core"]) == count
    assert {i["id"] for i in data["not_fitted"]} >= {i.module.id for i in no_free}


def test_one_core_module_is_said_in_the_singular(catalog: Catalog) -> None:
    catalog = paid(catalog, "mid-level", 1)
    profile = Profile(name="Ada", stage="mid-level", target="mid-level", hours_per_week=6, free_only=True,
                      skills=MappingProxyType(dict.fromkeys(catalog.skills, 0)))
    markdown = render_markdown(make_plan(catalog, profile, EMPTY_STATE, TODAY), ExportContext("ada", TODAY))
    assert "1 core module has no free resource yet" in markdown


def test_a_learner_without_free_only_is_unaffected(catalog: Catalog) -> None:
    catalog = paid(catalog, "mid-level", 2)
    profile = Profile(name="Ada", stage="mid-level", target="cpo", hours_per_week=6,
                      skills=MappingProxyType(dict.fromkeys(catalog.skills, 0)))
    plan = make_plan(catalog, profile, EMPTY_STATE, TODAY)
    assert not any(e.no_free_resource for e in plan.entries)
    assert not any(i.reason.startswith("no free resource") for i in plan.not_fitted)
    assert plan.core_without_free == 0
    markdown = render_markdown(plan, ExportContext("ada", TODAY))
    assert "no free resource yet" not in markdown
    strict = make_plan(catalog, replace(profile, free_only=True), EMPTY_STATE, TODAY)
    assert len(strict.entries) <= len(plan.entries)
