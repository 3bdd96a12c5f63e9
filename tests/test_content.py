"""The built-in career path: counts, quality floor and coverage, checked on what is installed.

These tests guard the content itself, so a later change that drops a skill from a stage, leaves a practice
uncovered or adds a near-copy of a module fails CI.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import Invoke
from cpo_learn.app.context import App
from cpo_learn.content.catalog import Catalog
from cpo_learn.content.model import STAGE_IDS, Module
from cpo_learn.default_plugins.vocabulary import PRACTICES, SKILLS

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
    missing = [practice_id for practice_id, _ in PRACTICES if not covered[practice_id]]
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
