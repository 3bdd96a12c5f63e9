"""Synthetic catalogs, profiles and progress for the planner's property tests (hypothesis strategies)."""

from __future__ import annotations

from datetime import date, timedelta
from types import MappingProxyType

from hypothesis import strategies as st

from cpo_learn.content.catalog import Catalog
from cpo_learn.content.model import RESOURCE_KINDS, STAGE_IDS, Habit, Milestone, Module, Origin, Resource, Skill, Stage
from cpo_learn.default_plugins.vocabulary import SKILLS
from cpo_learn.planning.profile import Profile
from cpo_learn.planning.state import ItemState, LearnerState

ORIGIN = Origin("synthetic", "synthetic.md", 1)
SKILL_IDS = tuple(s for s, _, _ in SKILLS)
HOURS = st.sampled_from([0.5, 1, 2, 2.5, 4, 6, 8, 10, 12, 16, 20, 30, 45, 90])


def stage(index: int, stage_id: str) -> Stage:
    """A stage of the path."""
    return Stage(stage_id, stage_id.title(), index + 1, f"The {stage_id} stage.", "1-2", (), "", ORIGIN)


@st.composite
def catalogs(draw: st.DrawFn, max_modules: int = 24) -> Catalog:
    """A valid catalog: modules over the five stages, acyclic prerequisites on same or earlier stages."""
    count = draw(st.integers(min_value=1, max_value=max_modules))
    modules: list[Module] = []
    for number in range(count):
        stage_index = draw(st.integers(0, len(STAGE_IDS) - 1))
        earlier = [m for m in modules if STAGE_IDS.index(m.stage) <= stage_index]
        prerequisites = draw(
            st.lists(st.sampled_from([m.id for m in earlier]), max_size=3, unique=True)
            if earlier
            else st.just([])
        )
        skills = draw(st.dictionaries(st.sampled_from(SKILL_IDS), st.integers(1, 5), max_size=3))
        resources = tuple(
            Resource(kind=kind, title=f"{kind} {number}", cost=cost)
            for kind, cost in draw(
                st.lists(
                    st.tuples(st.sampled_from(RESOURCE_KINDS), st.sampled_from(["free", "paid", None])),
                    max_size=2,
                )
            )
        )
        modules.append(
            Module(
                id=f"synth/m{number:02d}",
                title=f"Module {number}",
                stage=STAGE_IDS[stage_index],
                track=None,
                hours=float(draw(HOURS)),
                kind=draw(st.sampled_from(["core", "elective", "elective"])),
                skills=MappingProxyType(skills),
                practices=(),
                prerequisites=tuple(prerequisites),
                outcomes=(f"Outcome of {number}",),
                resources=resources,
                replaces=None,
                body="Body.",
                origin=ORIGIN,
                weeks=draw(st.sampled_from([None, None, None, 2, 6, 13])),
                in_role=draw(st.sampled_from([False, False, True])),
                habit=draw(st.sampled_from([None, None, None, Habit(1.0, "a weekly practice"),
                                            Habit(4.0, "coaching")])),
            )
        )
    milestones: list[Milestone] = []
    for number in range(draw(st.integers(0, 4))):
        stage_index = draw(st.integers(0, len(STAGE_IDS) - 1))
        pool = [m.id for m in modules if STAGE_IDS.index(m.stage) <= stage_index]
        requires = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True)) if pool else []
        if requires:
            milestones.append(
                Milestone(
                    f"synth/ms{number}",
                    f"Milestone {number}",
                    STAGE_IDS[stage_index],
                    ("Criterion",),
                    tuple(requires),
                    "Evidence",
                    "",
                    ORIGIN,
                    weeks=draw(st.sampled_from([None, None, 13, 52])),
                    in_role=draw(st.booleans()),
                )
            )
    order = {s: i for i, s in enumerate(STAGE_IDS)}
    return Catalog(
        stages=tuple(stage(i, s) for i, s in enumerate(STAGE_IDS)),
        tracks=(),
        skills=MappingProxyType({s: Skill(s, s, "", ORIGIN) for s in SKILL_IDS}),
        practices=MappingProxyType({}),
        modules=MappingProxyType({m.id: m for m in sorted(modules, key=lambda m: (order[m.stage], m.id))}),
        milestones=MappingProxyType({m.id: m for m in milestones}),
    )


@st.composite
def profiles(draw: st.DrawFn, with_target_date: bool | None = None) -> Profile:
    """A valid profile; ``with_target_date`` forces a target date on (True) or off (False)."""
    first = draw(st.integers(0, len(STAGE_IDS) - 1))
    last = draw(st.integers(first, len(STAGE_IDS) - 1))
    start = draw(st.one_of(st.none(), st.dates(date(2025, 1, 1), date(2027, 12, 31))))
    wants_target = draw(st.booleans()) if with_target_date is None else with_target_date
    target_date = None
    if wants_target:
        base = start or date(2025, 1, 1)
        target_date = base + timedelta(days=draw(st.integers(0, 1500)))
    return Profile(
        name="Synthetic Learner",
        stage=STAGE_IDS[first],
        target=STAGE_IDS[last],
        hours_per_week=float(draw(st.sampled_from([1, 2.5, 5, 6, 10, 17.5, 40, 80]))),
        start=start,
        target_date=target_date,
        free_only=draw(st.booleans()),
        resource_kinds=tuple(draw(st.lists(st.sampled_from(RESOURCE_KINDS), max_size=2, unique=True))),
        skills=MappingProxyType(draw(st.dictionaries(st.sampled_from(SKILL_IDS), st.integers(0, 5)))),
        in_stage_since=draw(st.one_of(st.none(), st.dates(date(2018, 1, 1), date(2025, 1, 1)))),
        stage_dates=MappingProxyType(_stage_dates(draw, first, last, target_date)),
    )


def _stage_dates(draw: st.DrawFn, first: int, last: int, target_date: date | None) -> dict[str, date]:
    """Own arrival dates for some later stages, in path order (never the target's when a target date is set)."""
    found: dict[str, date] = {}
    day = date(2026, 1, 1)
    for index in range(first + 1, last + 1):
        if index == last and target_date is not None:
            break
        day += timedelta(days=draw(st.integers(100, 1500)))
        if draw(st.booleans()):
            found[STAGE_IDS[index]] = day
    return found


@st.composite
def states(draw: st.DrawFn, catalog: Catalog) -> LearnerState:
    """Recorded progress over some of the catalog's modules and milestones."""
    ids = list(catalog.modules)
    chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=min(6, len(ids)))) if ids else []
    modules = {
        module_id: ItemState(
            draw(st.sampled_from(["started", "done", "skipped", "waived"])),
            date(2025, 6, 1),
            draw(st.sampled_from([None, "a note"])),
        )
        for module_id in chosen
    }
    achieved = (
        draw(st.lists(st.sampled_from(list(catalog.milestones)), unique=True)) if catalog.milestones else []
    )
    return LearnerState(
        modules=modules, milestones={m: ItemState("achieved", date(2025, 7, 1)) for m in achieved}
    )
