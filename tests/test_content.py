"""The built-in career path: counts, quality floor and coverage, checked on what is installed.

These tests guard the content itself, so a later change that drops a skill from a stage, leaves a practice
uncovered or adds a near-copy of a module fails CI.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from cpo_learn.app.context import App
from cpo_learn.content.catalog import Catalog
from cpo_learn.content.model import STAGE_IDS, Module, Resource
from cpo_learn.default_plugins.vocabulary import PRACTICES, SKILLS
from helpers import Invoke

TRACKS = ("continuous-learning", "diversify-experience", "mentorship")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return App(strict=True).catalog()


def modules_of(catalog: Catalog, plugin: str) -> list[Module]:
    return [m for m in catalog.modules.values() if m.plugin == plugin]


def test_no_problems_in_built_in_content(catalog: Catalog) -> None:
    assert catalog.problems == ()


@pytest.mark.parametrize("stage", STAGE_IDS)
def test_each_stage_plugin(catalog: Catalog, stage: str) -> None:
    found = catalog.stage(stage)
    assert found.title and found.summary and found.typical_years and found.roles and found.body
    modules = modules_of(catalog, stage)
    assert len(modules) >= 10
    assert sum(m.kind == "core" for m in modules) >= 6
    assert all(m.stage == stage for m in modules)
    milestones = [m for m in catalog.milestones.values() if m.plugin == stage]
    assert len(milestones) >= 3
    for milestone in milestones:
        assert len(milestone.criteria) >= 2 and milestone.evidence and milestone.requires


@pytest.mark.parametrize("track", TRACKS)
def test_each_track_plugin(catalog: Catalog, track: str) -> None:
    assert catalog.stage(track).is_track
    modules = modules_of(catalog, track)
    assert len(modules) >= 5
    assert all(m.track == track for m in modules)
    assert len({m.stage for m in modules}) >= 3, "track modules are spread over the stages where they matter"


def test_every_module_meets_the_quality_floor(catalog: Catalog) -> None:
    for module in catalog.modules.values():
        assert 1 <= module.hours <= 60, module.id
        assert module.skills, module.id
        assert len(module.outcomes) >= 2, module.id
        assert len(module.resources) >= 2, module.id
        for resource in module.resources:
            assert resource.title and (resource.authors or resource.provider), (module.id, resource.title)
            assert resource.url is None or resource.url.startswith("https://"), (module.id, resource.url)
        for heading in ("## Why it matters", "## What to do", "## Reflect"):
            assert heading in module.body, (module.id, heading)
        assert len(module.body.split()) >= 120, module.id


def test_totals(catalog: Catalog) -> None:
    stage_modules = [m for m in catalog.modules.values() if m.track is None]
    track_modules = [m for m in catalog.modules.values() if m.track is not None]
    assert len(stage_modules) >= 50
    assert len(track_modules) >= 15
    assert len(catalog.milestones) >= 15


@pytest.mark.parametrize("stage", STAGE_IDS[1:])
def test_every_skill_is_developed_in_every_stage_from_starting_roles_on(catalog: Catalog, stage: str) -> None:
    developed = {skill for m in catalog.modules.values() if m.stage == stage for skill in m.skills}
    assert developed >= {skill_id for skill_id, _, _ in SKILLS}


def test_every_cpo_practice_is_covered(catalog: Catalog) -> None:
    covered = Counter(p for m in catalog.modules.values() for p in m.practices)
    missing = [practice_id for practice_id, *_ in PRACTICES if not covered[practice_id]]
    assert missing == []


def test_prerequisites_never_point_to_a_later_stage(catalog: Catalog) -> None:
    for module in catalog.modules.values():
        for pre in module.prerequisites:
            assert catalog.stage_index(catalog.module(pre).stage) <= catalog.stage_index(module.stage), (module.id,
                                                                                                         pre)


def test_later_stages_build_on_earlier_ones(catalog: Catalog) -> None:
    for stage in STAGE_IDS[1:]:
        earlier = set(STAGE_IDS[: STAGE_IDS.index(stage)])
        assert any(catalog.module(p).stage in earlier for m in modules_of(catalog, stage) for p in m.prerequisites)


def test_no_module_relies_on_one_repeated_resource(catalog: Catalog) -> None:
    seen: dict[frozenset[str], str] = {}
    for module in catalog.modules.values():
        titles = frozenset(r.title for r in module.resources)
        assert titles not in seen, f"{module.id} has the same resources as {seen.get(titles)}"
        seen[titles] = module.id


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z']+", text.lower())
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


def test_no_module_is_a_near_copy_of_another(catalog: Catalog) -> None:
    shingles = {m.id: _shingles(m.title + " " + m.body + " ".join(m.outcomes)) for m in catalog.modules.values()}
    for a, b in itertools.combinations(shingles, 2):
        overlap = len(shingles[a] & shingles[b]) / max(1, min(len(shingles[a]), len(shingles[b])))
        assert overlap < 0.3, f"{a} and {b} share {overlap:.0%} of their phrasing"


def test_docs_path_is_generated_from_the_catalog(run: Invoke) -> None:
    current = (ROOT / "docs" / "path.md").read_text(encoding="utf-8")
    generated = run("stages", "--markdown").stdout
    assert current == generated, "docs/path.md is stale: run `cpo-learn stages --markdown > docs/path.md`"


# Issue 15: the topics a learner on this path needs, each mapped to the modules that cover it and the stage
# where the work is done.
TOPICS: dict[str, dict[str, str]] = {
    "AI features (LLM and ML, evaluations, cost and latency)": {"mid-level/building-ai-features": "mid-level"},
    "AI governance and responsible AI across teams": {"leadership/ai-products-and-responsible-ai": "leadership"},
    "AI strategy and data advantages": {"cpo/company-ai-strategy": "cpo"},
    "pricing, packaging and monetisation": {"mid-level/pricing-and-packaging": "mid-level"},
    "product-led growth and growth loops": {"mid-level/product-led-growth-and-growth-loops": "mid-level"},
    "owning a P&L": {"leadership/owning-a-product-pnl": "leadership",
                     "cpo/rd-investment-and-headcount-planning": "cpo"},
    "hiring at scale and executive hiring": {"leadership/hiring-at-scale-and-executive-hiring": "leadership"},
    "managing people out": {"leadership/managing-people-out": "leadership"},
    "org design: spans, layers, team shapes": {"leadership/org-design-spans-layers-and-team-shapes": "leadership"},
    "working with the CEO or founder": {"leadership/working-with-the-ceo-and-founder": "leadership"},
    "the CPO/CTO split and when a company needs a CPO": {
        "cpo/cpo-cto-split-and-when-a-company-needs-a-cpo": "cpo"},
    "landing a VP or CPO role": {"leadership/landing-a-vp-or-cpo-role": "leadership",
                                 "leadership/telling-your-builder-story": "leadership"},
    "platform, ecosystem, API and marketplace products": {
        "mid-level/platform-api-and-marketplace-products": "mid-level"},
    "external communication: investors, analysts, press, keynotes": {
        "cpo/external-communication-investors-analysts-press": "cpo"},
    "director to VP and building a leadership team": {
        "leadership/from-director-to-vp-and-building-a-leadership-team": "leadership"},
    "regulated and privacy-sensitive products": {"mid-level/privacy-security-and-regulated-products": "mid-level"},
    "accessible products": {"starting-roles/accessible-products-with-wcag": "starting-roles"},
    "B2B versus B2C": {"mid-level/b2b-and-b2c-products": "mid-level"},
    "products that are not software": {"mid-level/products-that-are-not-software": "mid-level"},
    "build, buy or partner": {"leadership/build-buy-or-partner": "leadership"},
    "future of the role: ecosystems, PLG, rapid technological change": {"cpo/future-of-the-product-role": "cpo"},
}
FREE_URL_KINDS = ("community", "tool", "event")
# Ids merged or moved by issue 15: recorded progress on them must still resolve.
OLD_IDS: dict[str, str] = {
    "mentorship/mentored-a-pm-through-a-growth-goal": "mid-level/developed-another-product-manager",
    "mentorship/sponsored-a-pm-into-a-bigger-role": "leadership/sponsored-a-future-product-leader",
    "mentorship/developed-a-ready-successor": "cpo/built-a-succession-bench",
    "cpo/telling-your-builder-story": "leadership/telling-your-builder-story",
    "cpo/non-profit-board-service": "leadership/non-profit-board-service",
}
LEADERSHIP_ROLES = ("Group Product Manager", "Director of Product Management", "VP of Product", "Head of Product")


def _resources(catalog: Catalog) -> list[tuple[str, Resource]]:
    return [(m.id, r) for m in catalog.modules.values() for r in m.resources]


@pytest.mark.parametrize("topic", TOPICS)
def test_every_missing_topic_has_a_module_in_its_stage(catalog: Catalog, topic: str) -> None:
    for module_id, stage in TOPICS[topic].items():
        assert module_id in catalog.modules, (topic, module_id)
        assert catalog.modules[module_id].stage == stage, (topic, module_id)


def test_the_path_has_at_least_124_modules(run: Invoke) -> None:
    assert len(json.loads(run("modules", "--json").stdout)) >= 124


def test_no_resource_url_is_a_bare_homepage_unless_a_community_tool_or_event(catalog: Catalog) -> None:
    bare = [(mid, r.title, r.url) for mid, r in _resources(catalog)
            if r.url and urlsplit(r.url).path in ("", "/") and r.kind not in FREE_URL_KINDS]
    assert bare == []


def test_nine_in_ten_linked_resources_point_at_a_specific_page(catalog: Catalog) -> None:
    linked = [r for _, r in _resources(catalog) if r.url]
    specific = [r for r in linked if urlsplit(r.url or "").path not in ("", "/")]
    assert len(specific) >= 0.9 * len(linked), f"{len(specific)} of {len(linked)}"


def test_isbns_are_isbn13_with_a_valid_check_digit(catalog: Catalog) -> None:
    isbns = [(mid, r.isbn) for mid, r in _resources(catalog) if r.isbn]
    assert len(isbns) >= 20, "books that have an ISBN carry it"
    for mid, isbn in isbns:
        assert isbn is not None and len(isbn) == 13 and isbn.isdigit(), (mid, isbn)
        total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(isbn[:12]))
        assert (10 - total % 10) % 10 == int(isbn[12]), (mid, isbn)


def test_every_book_with_an_isbn_has_it_the_same_everywhere(catalog: Catalog) -> None:
    by_title: dict[str, set[str]] = {}
    for _, r in _resources(catalog):
        if r.kind == "book" and r.isbn:
            by_title.setdefault(r.title, set()).add(r.isbn)
    assert all(len(isbns) == 1 for isbns in by_title.values()), by_title


def test_every_module_has_a_free_resource(catalog: Catalog) -> None:
    without = [m.id for m in catalog.modules.values() if not any(r.cost == "free" for r in m.resources)]
    assert without == []


def _resource_key(resource: Resource) -> str:
    # "Inspired (2nd edition)" and "Inspired: How to Create..." are the same book.
    return resource.title.split(":")[0].split(" (")[0].strip().lower()


def test_no_two_modules_share_more_than_half_their_resources(catalog: Catalog) -> None:
    keys = {m.id: {_resource_key(r) for r in m.resources} for m in catalog.modules.values()}
    for a, b in itertools.combinations(keys, 2):
        shared = keys[a] & keys[b]
        assert len(shared) <= len(keys[a]) / 2 and len(shared) <= len(keys[b]) / 2, (a, b, sorted(shared))


def test_no_two_milestones_in_a_stage_rest_on_the_same_modules(catalog: Catalog) -> None:
    seen: dict[tuple[str, frozenset[str]], str] = {}
    for milestone in catalog.milestones.values():
        key = (milestone.stage, frozenset(milestone.requires))
        assert key not in seen, f"{milestone.id} and {seen.get(key)} require the same modules"
        seen[key] = milestone.id


@pytest.mark.parametrize("stage", STAGE_IDS)
def test_skill_levels_are_not_constant_within_a_stage(catalog: Catalog, stage: str) -> None:
    levels: dict[str, set[int]] = {}
    for module in catalog.modules.values():
        if module.stage == stage:
            for skill, level in module.skills.items():
                levels.setdefault(skill, set()).add(level)
    assert len(set().union(*levels.values())) >= 2
    counts = Counter(skill for m in catalog.modules.values() if m.stage == stage for skill in m.skills)
    constant = [skill for skill, n in counts.items() if n >= 3 and len(levels[skill]) == 1]
    assert constant == [], f"{stage}: every module sets these skills to one level"


@pytest.mark.parametrize(("old", "new"), OLD_IDS.items())
def test_old_ids_of_merged_or_moved_items_still_resolve(catalog: Catalog, old: str, new: str) -> None:
    assert old not in catalog.modules and old not in catalog.milestones
    found = catalog.milestone(old) if new in catalog.milestones else catalog.module(old)
    assert found.id == new


def test_an_achievement_recorded_on_a_merged_milestone_id_lands_on_the_kept_one(run: Invoke, tmp_path: Path) -> None:
    home = str(tmp_path / "home")
    assert run("--home", home, "init", "--name", "Ada", "--stage", "mid-level", "--hours", "5").exit_code == 0
    result = run("--home", home, "achieve", "mentorship/mentored-a-pm-through-a-growth-goal", "--evidence", "plan")
    assert result.exit_code == 0, result.output
    events = json.loads(run("--home", home, "log", "--json").stdout)
    assert events[-1]["target"] == "mid-level/developed-another-product-manager"


def test_leadership_modules_declare_roles_and_build_on_earlier_roles(catalog: Catalog) -> None:
    def rank(module: Module) -> int:
        return min(LEADERSHIP_ROLES.index(role) for role in module.roles)

    leadership = [m for m in catalog.modules.values() if m.stage == "leadership"]
    assert all(m.roles for m in leadership), [m.id for m in leadership if not m.roles]
    for module in leadership:
        earlier = [catalog.module(p) for p in module.prerequisites if catalog.module(p).stage == "leadership"]
        assert all(rank(p) <= rank(module) for p in earlier), module.id
        if rank(module) > 0:
            assert earlier, f"{module.id} prepares for a later role but builds on no leadership module"
    assert {r for m in leadership for r in m.roles} >= set(LEADERSHIP_ROLES[:3])


def test_preparation_for_the_cpo_job_sits_in_leadership(catalog: Catalog) -> None:
    for module_id in ("leadership/telling-your-builder-story", "leadership/non-profit-board-service",
                      "continuous-learning/build-a-peer-network-of-product-executives"):
        assert catalog.module(module_id).stage == "leadership"


def test_first_90_days_as_cpo_is_core_and_comes_first_in_the_cpo_stage(catalog: Catalog) -> None:
    first = catalog.module("cpo/first-90-days-as-cpo")
    assert first.kind == "core"
    assert all(catalog.module(p).stage != "cpo" for p in first.prerequisites)

    def needs_first(module_id: str, seen: frozenset[str] = frozenset()) -> bool:
        pres = catalog.module(module_id).prerequisites
        return first.id in pres or any(needs_first(p, seen | {module_id}) for p in pres
                                       if catalog.module(p).stage == "cpo" and p not in seen)

    others = [m.id for m in catalog.modules.values() if m.stage == "cpo" and m.id != first.id]
    assert [m for m in others if not needs_first(m)] == []


def test_competitor_analysis_is_one_progression(catalog: Catalog) -> None:
    chain = ["starting-roles/competitor-and-market-scan", "mid-level/competitor-and-market-analysis",
             "leadership/competitive-strategy-and-moats", "cpo/competitive-moats-and-market-analysis"]
    for earlier, later in itertools.pairwise(chain):
        assert earlier in catalog.module(later).prerequisites, (earlier, later)
    on_7_powers = [m for m in chain if any(r.title.startswith("7 Powers") for r in catalog.module(m).resources)]
    assert on_7_powers == ["leadership/competitive-strategy-and-moats"]
    assert sum("three to five" in catalog.module(m).body for m in chain) <= 1


def test_no_uncited_tenure_figure(catalog: Catalog) -> None:
    for module in catalog.modules.values():
        if "2.6 years" in module.body:
            assert "Planes" in module.body, module.id
