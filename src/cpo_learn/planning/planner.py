"""The planner: catalog + profile + recorded progress + today -> ``Plan``.

A pure function: no I/O, no clock (``today`` is an argument), no click. The same inputs give the same plan.
The rules (DESIGN section 8; docs/curricula.md explains them to learners):

1. Scope: the stages from the learner's current stage to the target stage, inclusive.
2. Every module of those stages is considered: core modules always, electives ranked by skill gap.
   The gap of a module is, per skill, the level it brings the learner to minus their self-rating (0 when
   the rating is already there). Modules are ranked by their largest single gap, then by the sum of their
   gaps, then by how well their resources match the learner's preferred kinds (and free ones, with
   ``free_only``), then by id. Preferences only break ties (``free_only`` also removes: rule 8).
3. A module whose every skill the learner already rates at or above its level is waived, with the ratings
   as the reason. A module whose ``credited_by`` the learner's experience or background matches
   (``credit.credit_for``) is waived too, as credited, with what in the profile credits it as the reason;
   a credit comes before the ratings. Recorded progress wins over both: done, skipped, waived and started
   modules keep their status, and a reopened module is planned again.
4. Prerequisites are closed over: a prerequisite outside the stages in scope (so from an earlier stage) that
   is not recorded as done, skipped or waived is added, with "prerequisite of X" as the reason (and waived
   like any other module if the ratings already cover it). The prerequisites of a waived module are not
   followed (nothing of it needs doing), but those of a module the learner started are, even when the ratings
   or a credit would have waived it: work under way builds on them. The modules a milestone in scope requires
   are added the same way.
5. Order: topological, ties broken by stage order, then largest gap, then sum of gaps, then id.
6. Schedule: modules to do are packed into weeks of ``hours_per_week`` from the later of the start date and
   today; milestones are due in the week their last required module is finished.
7. Target date: while the work does not fit before it, the lowest-ranked electives are left out (listed in
   ``not_fitted`` with the reason). An elective that a core module, a started module or a milestone needs is
   never left out, and an elective that other electives build on ranks as high as the best of them.
8. Free only: with ``free_only`` an elective with no free resource is left out before fitting (listed in
   ``not_fitted`` with "no free resource" as the reason), unless something not droppable needs it or the
   learner recorded it; an elective built on one left out goes with it. A core module (or a needed elective)
   with no free resource stays, flagged ``no_free_resource``.
9. Assumed ratings: a skill the learner did not rate is read as the level the stages before theirs bring a
   learner to (``planning/assumed.py``); every rule above sees those ratings, and the plan lists them.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from cpo_learn.content.catalog import Catalog
from cpo_learn.content.model import Module, Resource
from cpo_learn.planning.assumed import assumed_ratings, with_assumed
from cpo_learn.planning.credit import credit_for, credited_reason
from cpo_learn.planning.plan import NO_FREE_RESOURCE, LeftOut, Plan, PlannedModule, assemble, minutes
from cpo_learn.planning.profile import Profile
from cpo_learn.planning.state import LearnerState, Status
from cpo_learn.planning.timeline import career_timeline
from cpo_learn.text import and_list


@dataclass(frozen=True)
class SkillGap:
    """How far a module takes the learner beyond their ratings: per skill (rating, level), largest and sum."""

    gaps: Mapping[str, tuple[int, int]]
    largest: int
    total: int

    def phrase(self) -> str:
        """``closes your analytics gap 1->3 and leadership gap 0->2`` (biggest gaps first)."""
        parts = [f"{skill} gap {rating}->{level}" for skill, (rating, level) in self.gaps.items()]
        return f"closes your {and_list(parts)}" if parts else ""


def skill_gap(module: Module, profile: Profile) -> SkillGap:
    """The module's skill gap for this learner (see the module docstring for the rule)."""
    found = {
        skill: (profile.rating(skill), level)
        for skill, level in module.skills.items()
        if level > profile.rating(skill)
    }
    ordered = dict(sorted(found.items(), key=lambda kv: (kv[1][0] - kv[1][1], kv[0])))
    sizes = [level - rating for rating, level in ordered.values()]
    return SkillGap(MappingProxyType(ordered), max(sizes, default=0), sum(sizes))


def preference(module: Module, profile: Profile) -> int:
    """How well a module's resources match the learner's preferences: 0, 1 or 2 (a tie-breaker only)."""
    score = 0
    if profile.resource_kinds and any(r.kind in profile.resource_kinds for r in module.resources):
        score += 1
    if profile.free_only and any(r.cost == "free" for r in module.resources):
        score += 1
    return score


def has_free(module: Module) -> bool:
    """True when at least one of the module's resources costs nothing."""
    return any(r.cost == "free" for r in module.resources)


def resources_for(module: Module, profile: Profile) -> tuple[Resource, ...]:
    """The module's resources for this learner: preferred kinds first, then free ones.

    With ``free_only`` only the free resources are listed, unless the module has none (then all of them are,
    so a module never shows an empty list).
    """
    resources = module.resources
    if profile.free_only and any(r.cost == "free" for r in resources):
        resources = tuple(r for r in resources if r.cost == "free")
    return tuple(sorted(resources, key=lambda r: (r.kind not in profile.resource_kinds, r.cost != "free")))


def _waived_reason(gap_levels: Mapping[str, int], profile: Profile, assumed: Mapping[str, int]) -> str:
    given = [f"{skill} {profile.rating(skill)}" for skill in sorted(gap_levels) if skill not in assumed]
    taken = [f"{skill} {profile.rating(skill)}" for skill in sorted(gap_levels) if skill in assumed]
    said = ([f"you rate {and_list(given)}"] if given else []) + ([f"assumed {and_list(taken)}"] if taken else [])
    levels = ", ".join(f"{skill} {level}" for skill, level in sorted(gap_levels.items()))
    return f"waived: {'; '.join(said)}, at or above the levels this module brings you to ({levels})"


class _Planner:
    """One planning run; a class only to share the inputs between the steps of ``make_plan``."""

    def __init__(self, catalog: Catalog, profile: Profile, state: LearnerState, today: date,
                 assumed: Mapping[str, int]) -> None:
        self.catalog = catalog
        self.profile = profile  # with the assumed ratings filled in
        self.assumed = assumed
        self.today = today
        ids = catalog.stage_ids
        self.scope = ids[ids.index(profile.stage): ids.index(profile.target) + 1]
        self.recorded = {catalog.resolve(k): v for k, v in state.modules.items()}
        self.state = state
        self.gaps = {m.id: skill_gap(m, profile) for m in catalog.modules.values()}
        self.credits = {m.id: c for m in catalog.modules.values() if (c := credit_for(m, profile)) is not None}
        self.entries: dict[str, PlannedModule] = {}
        self.elective_rank: dict[str, int] = {}
        # Modules whose prerequisites the plan needs: those the ratings alone would have planned, unless the
        # learner skipped or waived them. Recording one as done or started does not change this, so doing
        # work never takes a module out of the plan.
        self.follows: set[str] = set()

    def rank_key(self, module: Module) -> tuple[int, int, int, str]:
        gap = self.gaps[module.id]
        return (-gap.largest, -gap.total, -preference(module, self.profile), module.id)

    def add(self, module: Module, why: str, *, in_scope: bool) -> PlannedModule:
        """Enter a module; ``in_scope`` says it was chosen from the stages in scope (not needed by another)."""
        gap = self.gaps[module.id]
        recorded = self.recorded.get(module.id)
        reason = f"{why}; {gap.phrase()}" if gap.gaps else why
        covered = bool(module.skills) and not gap.gaps  # the ratings already reach every level it brings
        credit = self.credits.get(module.id)
        reopened = recorded is not None and recorded.status is Status.PLANNED
        if recorded is not None and recorded.status is Status.WAIVED:
            on = f" on {recorded.on}" if recorded.on else ""
            reason = f"waived by you{on}" + (f": {recorded.note}" if recorded.note else "")
        if reopened and recorded is not None:
            on = f" on {recorded.on}" if recorded.on else ""
            entry = PlannedModule(module, Status.PLANNED, f"{reason}; reopened by you{on}", gaps=gap.gaps,
                                  recorded=recorded, catch_up=not in_scope)
        elif recorded is not None and (recorded.status is Status.STARTED or recorded.status.dealt_with):
            entry = PlannedModule(module, recorded.status, reason, gaps=gap.gaps, recorded=recorded,
                                  catch_up=not in_scope)
        elif credit is not None:
            credited = credited_reason(credit)
            if not in_scope:
                credited += f" ({why})"
            entry = PlannedModule(module, Status.WAIVED, credited, credit=credit, catch_up=not in_scope)
        elif covered:
            waived = _waived_reason(module.skills, self.profile, self.assumed)
            if not in_scope:
                waived += f" ({why})"
            entry = PlannedModule(module, Status.WAIVED, waived, catch_up=not in_scope)
        else:
            entry = PlannedModule(module, Status.PLANNED, reason, gaps=gap.gaps, catch_up=not in_scope)
        excused = covered or credit is not None  # nothing of it needs doing, so nor do its prerequisites
        # ... unless the learner started it anyway: work under way builds on its prerequisites like any other
        working = entry.status is Status.STARTED
        if (reopened or working or not excused) and entry.status in (Status.PLANNED, Status.STARTED, Status.DONE):
            self.follows.add(module.id)
        self.entries[module.id] = entry
        return entry

    def choose(self) -> None:
        in_scope = [m for m in self.catalog.modules.values() if m.stage in self.scope]
        for module in in_scope:
            if module.kind == "core":
                track = f" ({module.track} track)" if module.track else ""
                self.add(module, f"core for {module.stage}{track}", in_scope=True)
        electives = sorted((m for m in in_scope if m.kind != "core"), key=self.rank_key)
        self.elective_rank = {m.id: rank for rank, m in enumerate(electives, 1)}
        for rank, module in enumerate(electives, 1):
            self.add(module, f"elective, ranked #{rank} of {len(electives)} by your skill gaps", in_scope=True)
        for module in electives:
            entry = self.entries[module.id]
            if entry.status is Status.PLANNED:
                self.entries[module.id] = entry.changed(droppable=True)

    def close(self) -> None:
        """Add what the modules to do and the milestones in scope need, transitively.

        Dependents are visited core first and earliest stage first, so a prerequisite's reason names the
        earliest module that needs it.
        """
        queue: list[tuple[int, bool, str]] = []
        for milestone in self.catalog.milestones.values():
            if milestone.stage in self.scope:
                for required in milestone.requires:
                    self._need(required, f"needed for milestone {milestone.id}", queue)
        for entry in self.entries.values():
            if entry.id in self.follows:
                self._push(entry.module, queue)
        while queue:
            module = self.catalog.modules[heapq.heappop(queue)[-1]]
            for pre in module.prerequisites:
                self._need(self.catalog.resolve(pre), f"prerequisite of {module.id}", queue)
        self._keep_recorded()

    def _covered(self, module: Module) -> bool:
        """The ratings reach every level the module brings, or the profile credits it, and the learner has not
        reopened it."""
        recorded = self.recorded.get(module.id)
        reopened = recorded is not None and recorded.status is Status.PLANNED
        excused = module.id in self.credits or (bool(module.skills) and not self.gaps[module.id].gaps)
        return excused and not reopened

    def _keep_recorded(self) -> None:
        """Recorded work that the learner's stages build on stays in the plan, whatever happened since.

        A module the plan brought in and the learner then recorded (done, started, skipped, waived) is kept
        even when what needed it was skipped later: it is found by following prerequisites from the stages in
        scope (and their milestones) through every module neither the ratings cover nor a credit, recorded or
        not. A module the ratings cover or a credit excuses is reached too (the plan shows it, waived, when
        something needs it) but its own prerequisites are not followed. Such a module brings in nothing more
        itself.
        """
        roots = [m for m in self.catalog.modules.values() if m.stage in self.scope]
        roots += [self.catalog.modules[r] for ms in self.catalog.milestones.values() if ms.stage in self.scope
                  for r in (self.catalog.resolve(x) for x in ms.requires) if r in self.catalog.modules]
        seen: set[str] = set()
        stack = [(m, "") for m in roots]
        while stack:
            module, needed_by = stack.pop()
            if module.id in seen:
                continue
            seen.add(module.id)
            if module.id not in self.entries and module.id in self.recorded:
                self.add(module, f"prerequisite of {needed_by}", in_scope=False)
                self.follows.discard(module.id)
            if self._covered(module):
                continue
            for pre in module.prerequisites:
                found = self.catalog.modules.get(self.catalog.resolve(pre))
                if found is not None:
                    stack.append((found, module.id))

    def _push(self, module: Module, queue: list[tuple[int, bool, str]]) -> None:
        heapq.heappush(queue, (self.catalog.stage_index(module.stage), module.kind != "core", module.id))

    def _need(self, module_id: str, why: str, queue: list[tuple[int, bool, str]]) -> None:
        module = self.catalog.modules.get(module_id)
        if module is None or module_id in self.entries:
            return
        entry = self.add(module, why, in_scope=False)
        if entry.to_do:
            # droppable until lock() finds something not droppable that needs it
            self.entries[module_id] = entry.changed(droppable=entry.status is Status.PLANNED)
        if module_id in self.follows:
            self._push(module, queue)

    def lock(self) -> None:
        """Electives that something not droppable needs (transitively) are not droppable either."""
        entries = self.entries
        stack: list[tuple[str, str]] = [(e.id, "") for e in entries.values() if e.to_do and not e.droppable]
        for milestone in self.catalog.milestones.values():
            if milestone.stage in self.scope:
                stack.extend((r, f"milestone {milestone.id}") for r in milestone.requires if r in entries)
        seen: set[str] = set()
        while stack:
            current, by = stack.pop()
            if current in seen or current not in self.entries:
                continue
            seen.add(current)
            entry = self.entries[current]
            if entry.droppable:
                self.entries[current] = entry.changed(droppable=False,
                                                     reason=f"{entry.reason}; kept because {by} needs it")
            if entry.to_do:
                stack.extend((self.catalog.resolve(p), current) for p in entry.module.prerequisites)

    def order(self) -> list[PlannedModule]:
        """Topological order of every entry; ties by stage, largest gap, sum of gaps, id."""
        ids = sorted(self.entries)
        present = set(ids)
        needs = {i: {self.catalog.resolve(p) for p in self.entries[i].module.prerequisites} & present
                 for i in ids}
        dependents: dict[str, list[str]] = {i: [] for i in ids}
        for i in ids:
            for pre in sorted(needs[i]):
                dependents[pre].append(i)

        def key(module_id: str) -> tuple[int, int, int, str]:
            module = self.entries[module_id].module
            gap = self.gaps[module_id]
            return (self.catalog.stage_index(module.stage), -gap.largest, -gap.total, module_id)

        waiting = {i: len(needs[i]) for i in ids}
        heap = [key(i) for i in ids if not waiting[i]]
        heapq.heapify(heap)
        out: list[PlannedModule] = []
        while heap:
            current = heapq.heappop(heap)[-1]
            out.append(self.entries[current])
            for dependent in dependents[current]:
                waiting[dependent] -= 1
                if not waiting[dependent]:
                    heapq.heappush(heap, key(dependent))
        return out

    def fit(self, ordered: list[PlannedModule], start: date) -> tuple[list[PlannedModule], list[LeftOut]]:
        """Leave out the lowest-ranked droppable electives until the work fits before the target date."""
        target = self.profile.target_date
        if target is None:
            return ordered, []
        budget = minutes(self.profile.hours_per_week)
        capacity = max(0, ((target - start).days + 1) // 7) * budget
        total = sum(minutes(e.hours) for e in ordered if e.to_do)
        if total <= capacity:
            return ordered, []
        candidates = [e for e in ordered if e.droppable]
        rank = self.elective_rank
        position = {e.id: index for index, e in enumerate(ordered)}
        # a prerequisite from an earlier stage has no rank of its own: it goes with the electives needing it
        effective = {e.id: rank.get(e.id, len(rank) + 1) for e in candidates}
        for entry in reversed(ordered):  # dependents come later: propagate their rank back to prerequisites
            for pre in entry.module.prerequisites:
                pre_id = self.catalog.resolve(pre)
                if pre_id in effective and entry.id in effective:
                    effective[pre_id] = min(effective[pre_id], effective[entry.id])
        dropped: dict[str, LeftOut] = {}
        for entry in sorted(candidates, key=lambda e: (-effective[e.id], -position[e.id])):
            if total <= capacity:
                break
            total -= minutes(entry.hours)
            why = (f"electives are left out from the lowest-ranked up, and this one is ranked #{rank[entry.id]} "
                   f"of {len(rank)} by your skill gaps" if entry.id in rank
                   else "only electives that did not fit needed it")
            dropped[entry.id] = LeftOut(entry.module, f"did not fit before your target date {target}: {why}")
        gone: set[str] = set()
        for entry in self.unneeded(ordered, dropped):
            gone.add(entry.id)
            if entry.status is Status.PLANNED:  # a waived one was no work: it just has nothing to prepare now
                dropped[entry.id] = LeftOut(entry.module, f"did not fit before your target date {target}: only "
                                            "modules that did not fit needed it")
        kept = [e for e in ordered if e.id not in dropped and e.id not in gone]
        return kept, [dropped[e.id] for e in ordered if e.id in dropped]

    def free_only(self, ordered: list[PlannedModule]) -> tuple[list[PlannedModule], list[LeftOut]]:
        """With ``free_only``: leave out droppable electives with no free resource, and flag what stays."""
        if not self.profile.free_only:
            return ordered, []
        dropped: dict[str, LeftOut] = {}
        for entry in ordered:
            if (entry.droppable and entry.module.kind != "core" and entry.status is Status.PLANNED
                    and entry.recorded is None and not has_free(entry.module)):
                dropped[entry.id] = LeftOut(entry.module, f"{NO_FREE_RESOURCE}: you asked for free resources "
                                            "only and none of this elective's resources is free", no_free=True)
        changed = True
        while changed:  # an elective built on a left-out one goes with it (what it builds on is not planned)
            changed = False
            for entry in ordered:
                missing = sorted({self.catalog.resolve(p) for p in entry.module.prerequisites} & dropped.keys())
                if (missing and entry.id not in dropped and entry.droppable and entry.status is Status.PLANNED
                        and entry.recorded is None):
                    dropped[entry.id] = LeftOut(entry.module, f"left out with what it builds on: {', '.join(missing)} "
                                                "left out (free resources only)")
                    changed = True
        gone = {entry.id for entry in self.unneeded(ordered, dropped)}
        for entry in ordered:
            if entry.id in gone and entry.status is Status.PLANNED and entry.id not in dropped:
                dropped[entry.id] = LeftOut(entry.module, "left out with what needed it: only electives "
                                            f"left out for having {NO_FREE_RESOURCE} needed it")
        kept = [e if has_free(e.module) or not e.to_do else e.changed(no_free_resource=True)
                for e in ordered if e.id not in dropped and e.id not in gone]
        return kept, [dropped[e.id] for e in ordered if e.id in dropped]

    def unneeded(self, ordered: list[PlannedModule], dropped: dict[str, LeftOut]) -> list[PlannedModule]:
        """Catch-up modules still to do that only dropped modules needed (repeatedly: a chain goes whole).

        A module from a stage before the learner's is in the plan only because something needs it; once what
        needed it is left out, so is it. Recorded work stays, and so does anything a milestone in scope needs.
        """
        required = {self.catalog.resolve(r) for m in self.catalog.milestones.values() if m.stage in self.scope
                    for r in m.requires}
        gone: set[str] = set(dropped)
        out: list[PlannedModule] = []
        changed = True
        while changed:
            changed = False
            needed = {self.catalog.resolve(p) for e in ordered if e.id not in gone and e.id in self.follows
                      for p in e.module.prerequisites}
            for entry in ordered:
                if (entry.id not in gone and entry.catch_up and entry.status in (Status.PLANNED, Status.WAIVED)
                        and entry.recorded is None and entry.id not in needed and entry.id not in required):
                    gone.add(entry.id)
                    out.append(entry)
                    changed = True
        return out


def make_plan(catalog: Catalog, profile: Profile, state: LearnerState, today: date) -> Plan:
    """Plan a learner's curriculum (the rules are in this module's docstring). Pure and deterministic."""
    assumed = assumed_ratings(catalog, profile)
    planner = _Planner(catalog, with_assumed(profile, assumed), state, today, assumed)
    planner.choose()
    planner.close()
    planner.lock()
    ordered = planner.order()
    start = max(profile.start or today, today)
    ordered, no_free = planner.free_only(ordered)
    kept, not_fitted = planner.fit(ordered, start)
    not_fitted = [*no_free, *not_fitted]
    in_scope = [m for m in catalog.milestones.values() if m.stage in planner.scope]
    return assemble(
        profile=profile, today=today, catalog=catalog, state=state,
        stages=[s for s in catalog.stages if s.id in planner.scope], entries=kept, milestones=in_scope,
        schedule_start=start, not_fitted=not_fitted, timeline=career_timeline(catalog.stages, profile, start),
        assumed=assumed,
    )
