"""A learner's ``Plan``: the modules chosen for them in order, with reasons, weeks and dates.

The planner (``planner.make_plan``) decides what goes in and in which order; this module turns an ordered list
into a dated schedule (``assemble``) and gives organisation plugins safe ways to change a plan
(``with_required``, ``without``, ``reordered``), each of which re-schedules. All of it is pure and frozen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

from cpo_learn.content.catalog import Catalog
from cpo_learn.content.model import Milestone, Module, Stage
from cpo_learn.errors import UsageError
from cpo_learn.planning.profile import Profile
from cpo_learn.planning.schedule import Work, pack
from cpo_learn.planning.state import ItemState, LearnerState, Status
from cpo_learn.planning.timeline import Arrival
from cpo_learn.quantities import hours_text, percent


def minutes(hours: float) -> int:
    """Whole minutes for an amount of hours: the schedule counts in minutes so its sums are exact."""
    return max(1, round(hours * 60))


@dataclass(frozen=True)
class PlannedModule:
    """One module in a plan: its status for this learner, why it is there and when it is worked on.

    ``week`` is the first week it is worked on (week 1 starts on ``Plan.schedule_start``), ``start`` that
    week's first day and ``due`` the last day of the week it is finished in; all three are None for modules
    that are not to be done (done, skipped, waived). ``weeks`` says how many hours go into each week.
    """

    module: Module
    status: Status
    reason: str
    week: int | None = None
    start: date | None = None
    due: date | None = None
    weeks: tuple[tuple[int, float], ...] = ()
    gaps: Mapping[str, tuple[int, int]] = field(default_factory=lambda: MappingProxyType({}))
    droppable: bool = False
    recorded: ItemState | None = None
    catch_up: bool = False  # from a stage before the learner's, in the plan because something needs it
    not_before: date | None = None  # held back until the learner can do it (a stage or role not reached yet)
    no_free_resource: bool = False  # with free_only: kept although none of its resources is free (core or needed)
    credit: str | None = None
    """What in the learner's experience or background credits it ("you have worked in sales"), when it does."""

    def __post_init__(self) -> None:
        if type(self.status) is not Status:  # "planned" and Status.PLANNED are one (the check: a hot path)
            object.__setattr__(self, "status", Status(self.status))

    def changed(self, **changes: Any) -> PlannedModule:
        """A copy with ``changes``: what ``dataclasses.replace`` gives (an unknown field is refused, the status
        normalised), without its scan of every field on each call, which the planner makes thousands of."""
        unknown = changes.keys() - PLANNED_MODULE_FIELDS
        if unknown:
            raise TypeError(f"PlannedModule has no field {sorted(unknown)[0]!r}")
        copy = object.__new__(PlannedModule)
        copy.__dict__.update(self.__dict__, **changes)
        copy.__post_init__()
        return copy

    @property
    def id(self) -> str:
        """The module's id."""
        return self.module.id

    @property
    def hours(self) -> float:
        """The module's hours."""
        return self.module.hours

    @property
    def to_do(self) -> bool:
        """True while the learner still has to work on it (planned or started)."""
        return self.status.to_do

    @property
    def credited(self) -> bool:
        """Waived because the learner's experience or background credits it (``credit`` says how)."""
        return self.credit is not None and self.status is Status.WAIVED


def milestones_to_achieve(count: int) -> str:
    """``"2 milestones to achieve"``: what is left of a plan whose modules are all dealt with."""
    return f"{count} milestone{'' if count == 1 else 's'} to achieve"


PLANNED_MODULE_FIELDS = frozenset(f.name for f in fields(PlannedModule))
"""The field names of ``PlannedModule`` (what ``PlannedModule.changed`` accepts)."""


@dataclass(frozen=True)
class PlannedMilestone:
    """A milestone of a stage in the plan, due after the last module it requires."""

    milestone: Milestone
    status: Status  # planned or achieved
    week: int | None = None
    due: date | None = None
    recorded: ItemState | None = None
    blocked: str | None = None  # why it cannot be achieved as planned: "X was skipped"

    @property
    def ready(self) -> bool:
        """Everything it requires is done or waived: it can be achieved now."""
        return self.status is Status.PLANNED and self.due is None and self.blocked is None

    def __post_init__(self) -> None:
        if type(self.status) is not Status:
            object.__setattr__(self, "status", Status(self.status))

    @property
    def id(self) -> str:
        """The milestone's id."""
        return self.milestone.id


@dataclass(frozen=True)
class Habitual:
    """A habit the plan builds: the module that teaches it, hours a week, what it is, and from when."""

    entry: PlannedModule
    hours_per_week: float
    what: str
    since: date | None


@dataclass(frozen=True)
class LeftOut:
    """A module that is not in the plan, and why (not fitted before the target date, or removed by policy)."""

    module: Module
    reason: str
    no_free: bool = False
    """True when it was left out for a ``free_only`` learner because none of its resources is free."""


@dataclass(frozen=True)
class Unavailable:
    """A module id a policy helper (``with_required``, ``without``, ``reordered``) named but could not use.

    ``known`` says the id exists but is unavailable on purpose (it belongs to a disabled plugin, or was left
    out because of one); otherwise nothing defines it (a typo, or a plugin that is not installed).
    """

    helper: str
    id: str
    reason: str
    known: bool


SKIP_DOES_NOT_APPLY = ("your skip does not apply to a required module: waive it with a reason if you already "
                       "know it")


@dataclass(frozen=True)
class Week:
    """One week of the schedule: its dates and the hours each module gets in it."""

    number: int
    start: date
    end: date
    work: tuple[tuple[PlannedModule, float], ...]

    @property
    def hours(self) -> float:
        """Hours of work in this week."""
        return sum(hours for _, hours in self.work)


@dataclass(frozen=True)
class StageSummary:
    """A stage's share of the plan and the learner's progress in it."""

    stage: Stage
    modules: tuple[PlannedModule, ...]
    milestones: tuple[PlannedMilestone, ...]
    done: int
    total: int
    done_hours: float
    total_hours: float
    start: date | None
    finish: date | None
    catch_up: bool = False

    @property
    def percent(self) -> int:
        """Done hours as a whole percentage of the stage's hours (waived and skipped modules not counted)."""
        return percent(self.done_hours, self.total_hours)


@dataclass(frozen=True)
class Plan:
    """A learner's curriculum: stages in scope, modules in plan order, milestones, and what was left out."""

    profile: Profile
    today: date
    catalog: Catalog = field(compare=False, repr=False)
    state: LearnerState = field(compare=False, repr=False)
    stages: tuple[Stage, ...]
    entries: tuple[PlannedModule, ...]
    milestones: tuple[PlannedMilestone, ...]
    schedule_start: date
    not_fitted: tuple[LeftOut, ...] = ()
    removed: tuple[LeftOut, ...] = ()
    notes: tuple[str, ...] = ()
    late: str | None = None
    too_long: str | None = None
    timeline: tuple[Arrival, ...] = ()
    unavailable: tuple[Unavailable, ...] = ()
    # ratings assumed for the skills the learner did not rate (planning/assumed.py); the profile keeps only
    # the ratings the learner gave
    assumed: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    """Ids the policy helpers skipped, oldest first (the host reports each policy's new ones)."""

    # -- reading ---------------------------------------------------------------------------------------------
    @property
    def warnings(self) -> tuple[str, ...]:
        """What the learner should know about the plan: the planner's notes, then whether it runs too long or
        ends after the target date."""
        return (*self.notes, *(w for w in (self.too_long, self.late) if w))

    def entry(self, module_id: str) -> PlannedModule | None:
        """The plan's entry for a module (following ``replaces`` aliases), or None."""
        wanted = self.catalog.resolve(module_id)
        return next((e for e in self.entries if e.id == wanted), None)

    @property
    def credited(self) -> tuple[PlannedModule, ...]:
        """The modules the learner's experience or background credits, in plan order: each is waived (counted
        like a waiver), with ``credit`` saying what credits it and ``reason`` the sentence the plan shows."""
        return tuple(e for e in self.entries if e.credited)

    @property
    def core_without_free(self) -> int:
        """How many core modules to do have no free resource (counted only for a ``free_only`` learner)."""
        return sum(1 for e in self.entries if e.no_free_resource and e.to_do and e.module.kind == "core")

    @property
    def core_without_free_note(self) -> str:
        """The summary's sentence counting :attr:`core_without_free` ("2 core modules have no free resource yet")."""
        count = self.core_without_free
        return f"{count} core module{'s have' if count != 1 else ' has'} no free resource yet"

    @property
    def finish(self) -> date | None:
        """The day the last module or milestone to do is due; None when nothing is left to do."""
        dues = [e.due for e in self.entries if e.due] + [m.due for m in self.milestones if m.due]
        return max(dues) if dues else None

    @property
    def ready_by(self) -> date | None:
        """The day the learner is ready for their target stage: ``finish`` without the work that needs a role of
        the target stage (that work comes after arriving there)."""
        target = self.profile.target
        dues = [e.due for e in self.entries if e.due and not (e.module.in_role and e.module.stage == target)]
        dues += [m.due for m in self.milestones
                 if m.due and not (m.milestone.in_role and m.milestone.stage == target)]
        return max(dues) if dues else None

    @property
    def career_bound(self) -> date | None:
        """The first day the work left to do can all be done, at any hours a week: a module held back until the
        learner reaches a stage or a role (``not_before``) takes its calendar weeks from the week it may begin,
        and a milestone that waits for an arrival is due no sooner. None when nothing waits for the career
        timeline. ``plan.finish`` is never earlier; a forecast at the learner's pace is never earlier either."""
        start = self.schedule_start
        days = [start + timedelta(days=7 * (_week_of(start, e.not_before) + (e.module.weeks or 1) - 1) - 1)
                for e in self.entries if e.to_do and e.not_before]
        gate = _gates(self.catalog, self.profile, self.timeline)
        days += [day for m in self.milestones if m.status is Status.PLANNED and m.due is not None
                 if (day := gate(m.milestone.stage, m.milestone.in_role)) is not None]
        return max(days) if days else None

    @property
    def milestones_left(self) -> int:
        """How many of the plan's milestones are not achieved yet."""
        return sum(1 for m in self.milestones if m.status is not Status.ACHIEVED)

    @property
    def total_hours(self) -> float:
        """Hours of every module the learner does or has done (waived and skipped ones not counted)."""
        return sum(e.hours for e in self.entries if e.status.to_do or e.status is Status.DONE)

    @property
    def remaining_hours(self) -> float:
        """Hours of the modules still to do."""
        return sum(e.hours for e in self.entries if e.to_do)

    @property
    def done_hours(self) -> float:
        """Hours of the modules recorded as done."""
        return sum(e.hours for e in self.entries if e.status is Status.DONE)

    @property
    def percent(self) -> int:
        """Done hours as a whole percentage of all hours counted in the plan."""
        return percent(self.done_hours, self.total_hours)

    def ready(self) -> list[PlannedModule]:
        """Modules to do whose prerequisites are all dealt with (none still to do in the plan), in plan order."""
        to_do = {entry.id for entry in self.entries if entry.to_do}
        return [entry for entry in self.entries
                if entry.to_do and not any(self.catalog.resolve(p) in to_do for p in entry.module.prerequisites)]

    def arrival(self, stage_id: str) -> Arrival | None:
        """When the learner reaches a stage of their path (None for stages before theirs)."""
        return next((a for a in self.timeline if a.stage.id == stage_id), None)

    def habits(self) -> list[Habitual]:
        """The practices the plan's modules ask the learner to keep, and from when: a done module's from the day
        it was done, a module to do's from the day after it is due. In the order they begin."""
        out: list[Habitual] = []
        for entry in self.entries:
            habit = entry.module.habit
            if habit is None:
                continue
            if entry.status is Status.DONE:
                since = entry.recorded.on if entry.recorded is not None else None
            elif entry.to_do and entry.due is not None:
                since = entry.due + timedelta(days=1)
            else:
                continue
            out.append(Habitual(entry, habit.hours_per_week, habit.what, since))
        return sorted(out, key=lambda h: (h.since or date.min, h.entry.id))

    def habit_hours(self) -> float:
        """The working time a week all the plan's habits take, once every one of them has begun."""
        return sum(h.hours_per_week for h in self.habits())

    def week_start(self, week: int) -> date:
        """The first day of a schedule week."""
        return self.schedule_start + timedelta(days=7 * (week - 1))

    def weeks(self) -> list[Week]:
        """The week-by-week schedule, from week 1 to the last week with work in it."""
        work: dict[int, list[tuple[PlannedModule, float]]] = {}
        for entry in self.entries:
            for week, hours in entry.weeks:
                work.setdefault(week, []).append((entry, hours))
        return [
            Week(n, self.week_start(n), self.week_start(n) + timedelta(days=6), tuple(work[n]))
            for n in sorted(work)
        ]

    def stage_summaries(self) -> list[StageSummary]:
        """One summary per stage with modules in the plan or in scope, in path order.

        A stage before the learner's current one appears when the plan holds modules of it (``catch_up``: what
        the learner's stages build on, to do, done, skipped or waived); its milestones are not part of the plan.
        """
        out = []
        in_scope = {s.id for s in self.stages}
        for stage in self.catalog.stages:
            modules = tuple(e for e in self.entries if e.module.stage == stage.id)
            if stage.id not in in_scope and not modules:
                continue
            counted = [e for e in modules if e.status.to_do or e.status is Status.DONE]
            done = [e for e in counted if e.status is Status.DONE]
            starts = [e.start for e in modules if e.start]
            dues = [e.due for e in modules if e.due]
            out.append(StageSummary(
                stage=stage, modules=modules,
                milestones=tuple(m for m in self.milestones if m.milestone.stage == stage.id),
                done=len(done), total=len(counted), done_hours=sum(e.hours for e in done),
                total_hours=sum(e.hours for e in counted), start=min(starts) if starts else None,
                finish=max(dues) if dues else None, catch_up=stage.id not in in_scope,
            ))
        return out

    def order_problems(self) -> list[str]:
        """Every place where a module to do comes before one of its prerequisites that is also to do."""
        position = {e.id: index for index, e in enumerate(self.entries) if e.to_do}
        problems = []
        for index, entry in enumerate(self.entries):
            if not entry.to_do:
                continue
            for pre in entry.module.prerequisites:
                where = position.get(self.catalog.resolve(pre))
                if where is not None and where > index:
                    pre_id = self.catalog.resolve(pre)
                    problems.append(f"'{entry.id}' comes before its prerequisite '{pre_id}'")
        return problems

    # -- changing (for cpo_learn_adjust_plan) ---------------------------------------------------------------
    def _available(self, helper: str, module_ids: Iterable[str]) -> tuple[list[str], list[Unavailable]]:
        """The ids that are modules of the catalog (aliases followed), and the others with the reason."""
        from cpo_learn.text import did_you_mean

        found: list[str] = []
        skipped: list[Unavailable] = []
        for module_id in module_ids:
            resolved = self.catalog.resolve(module_id)
            if resolved in self.catalog.modules:
                found.append(resolved)
                continue
            why = self.catalog.unavailable(module_id)
            if why is not None:
                skipped.append(Unavailable(helper, module_id, why, known=True))
            else:
                skipped.append(Unavailable(helper, module_id, "no plugin defines it"
                                           + did_you_mean(module_id, self.catalog.modules), known=False))
        return found, skipped

    def with_required(self, *module_ids: str, reason: str) -> Plan:
        """A plan in which these modules must be done, with ``reason`` (e.g. "mandatory at Acme").

        A module already planned keeps its place; one waived by the planner or left out is planned again; a
        new one is placed after its prerequisites in its stage, and its prerequisites that are neither in the
        plan nor recorded as done, skipped or waived are added before it. What the learner recorded counts:
        done and started stay, and so does a waive (the learner's reasoned "I already know this"); a skip
        does not apply to a required module, which is planned again with a reason that says so. An id that
        is not in the catalog is skipped (listed in ``unavailable``), so the policy's other rules still apply.
        """
        found, skipped = self._available("with_required", module_ids)
        entries = list(self.entries)
        left = {item.module.id: item for item in (*self.not_fitted, *self.removed)}
        for module_id in found:
            self._require(entries, self.catalog.modules[module_id], reason, left)
        return self._rebuilt(entries, not_fitted=tuple(i for i in self.not_fitted if i.module.id in left),
                             removed=tuple(i for i in self.removed if i.module.id in left), skipped=skipped)

    def _recorded(self, module_id: str) -> ItemState | None:
        for recorded_id, item in self.state.modules.items():
            if self.catalog.resolve(recorded_id) == module_id:
                return item
        return None

    def _require(self, entries: list[PlannedModule], module: Module, reason: str,
                 left: dict[str, LeftOut]) -> None:
        left.pop(module.id, None)
        for index, entry in enumerate(entries):
            if entry.id == module.id:
                if entry.status in (Status.WAIVED, Status.PLANNED) and entry.recorded is None:
                    new_reason = reason if entry.status is Status.WAIVED else entry.reason
                    entries[index] = entry.changed(status=Status.PLANNED, reason=new_reason, droppable=False,
                                                   credit=None)
                elif entry.status is Status.SKIPPED:
                    entries[index] = entry.changed(status=Status.PLANNED, droppable=False,
                                                   reason=f"{reason} ({SKIP_DOES_NOT_APPLY})")
                return
        for pre in module.prerequisites:
            pre_module = self.catalog.modules.get(self.catalog.resolve(pre))
            recorded = self.state.status(pre_module.id) if pre_module else None
            if pre_module is not None and (recorded is None or not recorded.dealt_with):
                self._require(entries, pre_module, f"prerequisite of {module.id}", left)
        stage_rank = self.catalog.stage_index(module.stage)
        position = next((i for i, e in enumerate(entries)
                         if self.catalog.stage_index(e.module.stage) > stage_rank), len(entries))
        prereqs = {self.catalog.resolve(p) for p in module.prerequisites}
        after = [i + 1 for i, e in enumerate(entries) if e.id in prereqs]
        position = max([position, *after])
        entries.insert(position, self._required_entry(module, reason))

    def _required_entry(self, module: Module, reason: str) -> PlannedModule:
        """A required module not in the plan yet, with what the learner recorded for it."""
        recorded = self._recorded(module.id)
        if recorded is None:
            return PlannedModule(module=module, status=Status.PLANNED, reason=reason)
        if recorded.status is Status.SKIPPED:
            return PlannedModule(module=module, status=Status.PLANNED, reason=f"{reason} ({SKIP_DOES_NOT_APPLY})",
                                 recorded=recorded)
        if recorded.status is Status.WAIVED:
            on = f" on {recorded.on}" if recorded.on else ""
            reason = f"{reason}; waived by you{on}" + (f": {recorded.note}" if recorded.note else "")
        return PlannedModule(module=module, status=recorded.status, reason=reason, recorded=recorded)

    def without(self, *module_ids: str, reason: str) -> Plan:
        """A plan without these modules; they are listed under ``removed`` with ``reason``. An id that is not
        in the catalog is skipped (listed in ``unavailable``)."""
        found, skipped = self._available("without", module_ids)
        wanted = set(found)
        kept = [e for e in self.entries if e.id not in wanted]
        gone = tuple(LeftOut(e.module, reason) for e in self.entries if e.id in wanted)
        return self._rebuilt(kept, removed=(*self.removed, *gone), skipped=skipped)

    def reordered(self, module_ids: Sequence[str]) -> Plan:
        """A plan in which these modules come first, in this order, followed by the rest in their order. An
        id that is not in the catalog is skipped (listed in ``unavailable``)."""
        wanted, skipped = self._available("reordered", module_ids)
        by_id = {e.id: e for e in self.entries}
        front = [by_id[m] for m in dict.fromkeys(wanted) if m in by_id]
        rest = [e for e in self.entries if e.id not in set(wanted)]
        return self._rebuilt([*front, *rest], skipped=skipped)

    def _rebuilt(self, entries: Iterable[PlannedModule], not_fitted: tuple[LeftOut, ...] | None = None,
                 removed: tuple[LeftOut, ...] | None = None, skipped: Sequence[Unavailable] = ()) -> Plan:
        plan = assemble(
            profile=self.profile, today=self.today, catalog=self.catalog, state=self.state,
            stages=self.stages, entries=entries, milestones=[m.milestone for m in self.milestones],
            schedule_start=self.schedule_start,
            not_fitted=self.not_fitted if not_fitted is None else not_fitted,
            removed=self.removed if removed is None else removed,
            notes=tuple(n for n in self.notes if not n.startswith(HABIT_NOTE)), timeline=self.timeline,
            assumed=self.assumed,
        )
        return replace(plan, unavailable=(*self.unavailable, *skipped))


def assemble(
    *,
    profile: Profile,
    today: date,
    catalog: Catalog,
    state: LearnerState,
    stages: Sequence[Stage],
    entries: Iterable[PlannedModule],
    milestones: Iterable[Milestone],
    schedule_start: date,
    not_fitted: Sequence[LeftOut] = (),
    removed: Sequence[LeftOut] = (),
    notes: Sequence[str] = (),
    timeline: Sequence[Arrival] = (),
    assumed: Mapping[str, int] = MappingProxyType({}),
) -> Plan:
    """Schedule ordered entries into weeks of ``profile.hours_per_week`` from ``schedule_start``.

    Work is packed as ``schedule.pack`` says: back to back, calendar-bound modules beside the rest, and nothing
    before the learner can do it: a stage's study from the (earliest) arrival in the stage before it, work that
    needs a role from the arrival in its stage (``timeline``). No week gets more than the budget; a module
    longer than a week spans several. Milestones are due after what they require, after their own calendar
    ``weeks`` from the start of their first module, and, when they need the role, after the arrival.
    """
    entries = list(entries)
    budget = minutes(profile.hours_per_week)
    gate_of = _gates(catalog, profile, timeline)

    def week_of(day: date) -> int:
        return _week_of(schedule_start, day)

    gates = {e.id: gate_of(e.module.stage, e.module.in_role) for e in entries if e.to_do}
    # a module waits for the prerequisites that come before it in the plan (a policy that puts one after is
    # refused by order_problems; `reordered` moves modules to the front on purpose)
    ahead: set[str] = set()
    work = []
    for e in entries:
        if not e.to_do:
            continue
        gate = gates[e.id]
        after = tuple(p for p in (catalog.resolve(x) for x in e.module.prerequisites) if p in ahead)
        work.append(Work(e.id, minutes(e.hours), e.module.weeks or 1, week_of(gate) if gate else 1, after))
        ahead.add(e.id)
    scheduled: list[PlannedModule] = []
    last_week: dict[str, int] = {}
    first_day: dict[str, date] = {}
    try:
        slots = pack(work, budget)
        for entry in entries:
            if not entry.to_do:
                unscheduled = (entry.week, entry.start, entry.due, entry.weeks, entry.not_before) == UNSCHEDULED
                scheduled.append(entry if unscheduled else entry.changed(week=None, start=None, due=None, weeks=(),
                                                                           not_before=None))
                if entry.status is Status.DONE and entry.recorded is not None and entry.recorded.on is not None:
                    first_day[entry.id] = entry.recorded.on  # it started by then at the latest
                continue
            slot = slots[entry.id]
            last_week[entry.id] = slot.last
            start_day = schedule_start + timedelta(days=7 * (slot.first - 1))
            first_day[entry.id] = start_day
            scheduled.append(entry.changed(
                week=slot.first, start=start_day, due=schedule_start + timedelta(days=7 * slot.last - 1),
                weeks=tuple((week, used / 60) for week, used in slot.split), not_before=gates[entry.id],
            ))
        placed = []
        by_id = {entry.id: entry for entry in scheduled}
        left_out = {item.module.id: "has no free resource" if item.no_free
                    else "did not fit before your target date" for item in not_fitted}
        left_out.update({item.module.id: "was left out by your organisation" for item in removed})
        achieved = {catalog.resolve(k): v for k, v in state.milestones.items()}  # old ids follow `replaces`
        for milestone in milestones:
            recorded = achieved.get(milestone.id)
            if recorded is not None and recorded.status is Status.ACHIEVED:
                placed.append(PlannedMilestone(milestone, Status.ACHIEVED, recorded=recorded))
                continue
            blocked = _blocked(milestone, by_id, left_out)
            dues = [schedule_start + timedelta(days=7 * last_week[m] - 1) for m in milestone.requires
                    if m in last_week]
            starts = [first_day[m] for m in milestone.requires if m in first_day]
            if milestone.weeks and starts:  # calendar time from the start of its first module
                dues.append(min(starts) + timedelta(days=7 * milestone.weeks - 1))
            gate = gate_of(milestone.stage, milestone.in_role)
            if gate is not None:
                dues.append(gate)
            due = max(dues) if dues else None
            if due is not None and due >= schedule_start:
                placed.append(PlannedMilestone(milestone, Status.PLANNED, week=week_of(due), due=due,
                                               blocked=blocked))
            else:  # nothing it needs is left to do: ready now, unless something it needs will never be done
                placed.append(PlannedMilestone(milestone, Status.PLANNED, blocked=blocked))
    except OverflowError:
        raise UsageError("the schedule would run past the year 9999: raise hours_per_week") from None
    plan = Plan(
        profile=profile, today=today, catalog=catalog, state=state, stages=tuple(stages),
        entries=tuple(scheduled), milestones=tuple(sorted(placed, key=milestone_order)),
        schedule_start=schedule_start,
        not_fitted=tuple(not_fitted), removed=tuple(removed), notes=tuple(notes), timeline=tuple(timeline),
        assumed=MappingProxyType(dict(assumed)),
    )
    weekly = plan.habit_hours()
    if weekly > profile.hours_per_week:
        plan = replace(plan, notes=(*plan.notes, (
            f"{HABIT_NOTE} {hours_text(weekly)} h a week in working time, more than your "
            f"{hours_text(profile.hours_per_week)} h of study: keep the ones that matter most in your role now.")))
    finish, target = plan.finish, profile.target_date
    if finish is not None and finish > _years_later(schedule_start, LONGEST_PLAN_YEARS):
        plan = replace(plan, too_long=(
            f"At {hours_text(profile.hours_per_week)} h a week this plan runs until {finish}, more than "
            f"{LONGEST_PLAN_YEARS} years: raise your hours a week, choose a nearer target stage, or set a target "
            "date (the lowest-ranked electives are then left out)."))
    ready = plan.ready_by
    if ready is not None and target is not None and ready > target:
        plan = replace(plan, late=(f"The plan finishes on {ready}, after your target date {target}: raise your "
                                   "hours a week or move the target date."))
    return plan


UNSCHEDULED = (None, None, None, (), None)
"""``week``, ``start``, ``due``, ``weeks`` and ``not_before`` of an entry that is not to be done."""
LONGEST_PLAN_YEARS = 15
"""A plan longer than this is said to be too long, with what to change."""
NO_FREE_RESOURCE = "no free resource"
"""How the reason of an elective left out for a ``free_only`` learner begins."""
HABIT_NOTE = "The habits your plan builds add up to"


def milestone_order(item: PlannedMilestone) -> tuple[int, date]:
    """The one order of milestones everywhere (plan, every format, every command): achieved ones first by the
    day they were achieved, then the ones ready now, then the rest by due date; ties keep the catalog order."""
    if item.status is Status.ACHIEVED:
        return 0, (item.recorded.on if item.recorded and item.recorded.on else date.min)
    if item.due is None:
        return 1, date.min
    return 2, item.due


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, or past the year 9999
        return date.max if day.year + years > date.max.year else day.replace(year=day.year + years, day=28)


def _week_of(schedule_start: date, day: date) -> int:
    """The schedule week (1 = the week of ``schedule_start``) that holds ``day``; 1 for any day before."""
    return max(1, (day - schedule_start).days // 7 + 1)


def _gates(catalog: Catalog, profile: Profile, timeline: Sequence[Arrival]) -> Callable[[str, bool], date | None]:
    """``gate(stage, in_role)`` for this learner and timeline (``_gate``): what ``assemble`` holds work back by,
    and what ``Plan.career_bound`` reads back."""
    arrivals = {arrival.stage.id: arrival for arrival in timeline}
    current = catalog.stage_index(profile.stage) if profile.stage in catalog.stage_ids else 0
    return lambda stage, in_role: _gate(stage, in_role, catalog, current, arrivals)


def _gate(stage: str, in_role: bool, catalog: Catalog, current: int,
          arrivals: Mapping[str, Arrival]) -> date | None:
    """The first day work of ``stage`` can be done: a later stage's study waits for the arrival in the stage
    before it, and work that needs the role (``in_role``) for the arrival in its own stage."""
    if stage not in catalog.stage_ids:
        return None
    index = catalog.stage_index(stage)
    days: list[date] = []
    if index >= current + 2:
        before = arrivals.get(catalog.stage_ids[index - 1])
        if before is not None and before.earliest is not None:
            days.append(before.earliest)
    if in_role and index >= current + 1:
        own = arrivals.get(stage)
        if own is not None and own.earliest is not None:
            days.append(own.earliest)
    return max(days) if days else None


def _blocked(milestone: Milestone, entries: Mapping[str, PlannedModule], left_out: Mapping[str, str]) -> str | None:
    """Why a milestone cannot be achieved as planned: the first module it requires that was skipped, left out
    or is not in the plan (None when every one is to do, done or waived)."""
    for module_id in milestone.requires:
        entry = entries.get(module_id)
        if entry is None:
            return f"{module_id} {left_out.get(module_id, 'is not in your plan')}"
        if entry.status is Status.SKIPPED:
            return f"{module_id} was skipped"
    return None
