"""The curriculum as the built-in formats render it: Markdown, HTML and JSON of one learner's plan.

Markdown and HTML come from Jinja2 templates (``curriculum.md.j2``, ``curriculum.html.j2`` inside
``page.html.j2``) that plugins can override or extend; both get the same ``CurriculumView`` of the plan. JSON
has the shape of DESIGN section 7. The default exporters plugin registers these functions as ``md``, ``html``
and ``json``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from cpo_learn.planning.state import Status
from cpo_learn.quantities import hours_number

if TYPE_CHECKING:
    from markupsafe import Markup

    from cpo_learn.content.model import Module, Resource
    from cpo_learn.planning.plan import Plan, PlannedMilestone, PlannedModule, StageSummary, Week
    from cpo_learn.planning.timeline import Arrival
    from cpo_learn.rendering.exporters import ExportContext
    from cpo_learn.rendering.layout import ScheduleRow, Soon


@dataclass(frozen=True)
class CurriculumView:
    """What the templates render: the plan plus the numbers and wording both formats share."""

    plan: Plan
    context: ExportContext
    summaries: tuple[StageSummary, ...]
    weeks: tuple[Week, ...]

    @classmethod
    def of(cls, plan: Plan, context: ExportContext) -> CurriculumView:
        """Build the view of a plan."""
        # an earlier stage whose modules the ratings all waive has nothing to show: they are in the appendix
        shown = tuple(s for s in plan.stage_summaries()
                      if not (s.catch_up and all(e.status is Status.WAIVED for e in s.modules)))
        return cls(plan, context, shown, tuple(plan.weeks()))

    @property
    def profile(self) -> Any:
        """The learner's profile."""
        return self.plan.profile

    @property
    def why(self) -> tuple[str, ...]:
        """What shaped the plan, one line each (``planning/why.py``)."""
        from cpo_learn.planning.why import why_this_plan

        return why_this_plan(self.plan)

    def listed(self, summary: StageSummary) -> list[PlannedModule]:
        """A stage's modules for its task list: all but the waived ones (those are in the appendix)."""
        return [e for e in summary.modules if e.status is not Status.WAIVED]

    @property
    def waived(self) -> list[PlannedModule]:
        """Every waived module but the credited ones (those have their own appendix), in plan order."""
        return [e for e in self.plan.entries if e.status is Status.WAIVED and not e.credited]

    @property
    def credited(self) -> list[PlannedModule]:
        """Every module the learner's experience or background credits, in plan order."""
        return list(self.plan.credited)

    def set_aside(self, summary: StageSummary) -> tuple[int, int]:
        """How many of a stage's modules are waived and how many credited (both left out of its task list)."""
        credited = sum(1 for e in summary.modules if e.credited)
        return sum(1 for e in summary.modules if e.status is Status.WAIVED) - credited, credited

    def resources(self, module: Module) -> tuple[Resource, ...]:
        """The module's resources in the learner's order of preference."""
        from cpo_learn.planning.planner import resources_for

        return resources_for(module, self.plan.profile)

    def stage_number(self, stage_id: str) -> int:
        """The stage's position on the whole path (1 for the first)."""
        return self.plan.catalog.stage_index(stage_id) + 1

    @property
    def path_length(self) -> int:
        """How many stages the whole path has."""
        return len(self.plan.catalog.stages)

    def anchor(self, stage: Any) -> str:
        """The link target GitHub gives the stage's heading (``Stage 3: Title`` -> ``stage-3-title``)."""
        import re

        heading = f"stage {self.stage_number(stage.id)}: {stage.title}".lower()
        return re.sub(r"[^\w\- ]", "", heading).replace(" ", "-")

    def stage_title(self, stage_id: str) -> str:
        """The title of a stage or track."""
        return self.plan.catalog.stage(stage_id).title

    def when(self, entry: PlannedModule) -> str:
        """``weeks 3-5 (2026-01-19 to 2026-02-08)``, or ``done 2026-01-10``, ``credited`` and the like."""
        recorded_on = entry.recorded.on if entry.recorded and entry.recorded.on else None
        if entry.week is None:
            if entry.credited:
                return "credited"
            if entry.status in (Status.DONE, Status.SKIPPED):
                return entry.status + (f" {recorded_on}" if recorded_on else "")
            return entry.status
        last = entry.weeks[-1][0]
        span = f"week {entry.week}" if last == entry.week else f"weeks {entry.week}-{last}"
        started = f"started {recorded_on} · " if entry.status is Status.STARTED and recorded_on else (
            "started · " if entry.status is Status.STARTED else "")
        return f"{started}{span} ({entry.start} to {entry.due})"

    def arrival_text(self, arrival: Arrival) -> str:
        """When the learner reaches a stage, in words: ``now``, ``between 2029-03 and 2030-09``, ``2029-06-01
        (your date)``."""
        if arrival.source == "current":
            return "now: your current stage"
        if arrival.earliest is None or arrival.likely is None:
            return "no estimate (the stage before gives no typical years)"
        if arrival.source == "your date":
            return f"{arrival.earliest} (your date)"
        if arrival.source == "target date":
            return f"by {arrival.earliest} (your target date)"
        if arrival.earliest == arrival.likely:
            return f"about {arrival.earliest:%Y-%m}"
        return f"between {arrival.earliest:%Y-%m} and {arrival.likely:%Y-%m}"

    def learning_done(self, stage_id: str) -> date | None:
        """The day the plan's last module of a stage is due (None when nothing of it is left to do)."""
        dues = [e.due for e in self.plan.entries if e.module.stage == stage_id and e.due is not None]
        return max(dues) if dues else None

    @property
    def career_sentence(self) -> str:
        """One line that sets the two clocks side by side, for the next stage of the learner's path."""
        later = [a for a in self.plan.timeline if a.source != "current"]
        if not later:
            return ""
        current = self.plan.timeline[0].stage
        done = self.learning_done(later[0].stage.id) or self.learning_done(current.id)
        learning = f"your learning for {later[0].stage.title} is done by {done:%Y-%m}" if done else (
            f"your learning for {later[0].stage.title} is done")
        first = later[0]
        if first.earliest is None or first.likely is None:
            return learning + "."
        if first.source == "estimate":
            when = (f"between {first.earliest:%Y} and {first.likely:%Y}" if first.earliest.year != first.likely.year
                    else f"in {first.earliest:%Y}")
            return f"{learning[0].upper()}{learning[1:]}; you are likely to reach {first.stage.title} {when}."
        return f"{learning[0].upper()}{learning[1:]}; you plan to reach {first.stage.title} by {first.earliest}."

    def milestone_when(self, milestone: PlannedMilestone) -> str:
        """``due 2026-04-26 (week 16)``, ``achieved 2026-05-01`` or ``ready now``."""
        if milestone.status is Status.ACHIEVED:
            on = milestone.recorded.on if milestone.recorded else None
            return "achieved" + (f" {on}" if on else "")
        if milestone.blocked is not None:
            return f"not ready: {milestone.blocked}"
        if milestone.due is None:
            return "ready now: everything it needs is done or waived"
        return f"due {milestone.due} (after week {milestone.week})"

    def title_of(self, module_id: str) -> str:
        """A module's title (or its id, if the catalog no longer has it)."""
        found = self.plan.catalog.modules.get(module_id)
        return found.title if found else module_id

    @property
    def percent(self) -> int:
        """Done hours as a whole percentage of all hours counted in the plan."""
        return self.plan.percent

    def count(self, status: str) -> int:
        """How many modules of the plan have this status."""
        return sum(1 for e in self.plan.entries if e.status == status)

    @property
    def what_is_left(self) -> str:
        """The end of the summary's plan line: when it finishes, else what is left once every module is dealt
        with ("2 milestones to achieve"), else "nothing left to do"."""
        from cpo_learn.planning.plan import milestones_to_achieve

        if self.plan.finish:
            return f"finishes {self.plan.finish.isoformat()}"
        left = self.plan.milestones_left
        return milestones_to_achieve(left) if left else "nothing left to do"

    # -- layout: what leads, what is folded (rendering/layout.py) -------------------------------------------
    @property
    def soon(self) -> Soon:
        """The next four weeks of the study schedule."""
        from cpo_learn.rendering.layout import soon

        return soon(self.plan)

    @property
    def horizon(self) -> date:
        """The last day of the next twelve months: modules starting later are folded."""
        from cpo_learn.rendering.layout import horizon

        return horizon(self.plan)

    def folded(self, item: PlannedModule | PlannedMilestone) -> bool:
        """True for a module starting, or a milestone due, after the next twelve months: one line, details folded."""
        from cpo_learn.planning.plan import PlannedModule
        from cpo_learn.rendering.layout import is_far, is_far_milestone

        return is_far(self.plan, item) if isinstance(item, PlannedModule) else is_far_milestone(self.plan, item)

    def far(self, summary: StageSummary) -> list[PlannedModule]:
        """The stage's listed modules that are folded (they start after the next twelve months)."""
        return [e for e in self.listed(summary) if self.folded(e)]

    @property
    def schedule_rows(self) -> list[ScheduleRow]:
        """The schedule's rows: weeks for the next twelve months, years after."""
        from cpo_learn.rendering.layout import schedule_rows

        return schedule_rows(self.plan, self.weeks)

    @property
    def path_diagram(self) -> str:
        """The Mermaid source of the path (stages left to right, one milestone summary under each)."""
        from cpo_learn.rendering.layout import path_diagram

        numbers = {s.stage.id: self.stage_number(s.stage.id) for s in self.summaries}
        return path_diagram(self.plan, self.summaries, numbers)

    def milestone_summary(self, summary: StageSummary) -> str | None:
        """One line for a stage's milestones (how many, achieved, next due), None when it has none."""
        from cpo_learn.rendering.layout import milestone_summary

        return milestone_summary(self.plan, summary)

    # -- pictures of the HTML (rendering/charts.py) ---------------------------------------------------------
    def charts(self) -> dict[str, Markup]:
        """The inline SVG charts: ``progress`` per stage, ``skills`` and ``activity`` (recorded work)."""
        from markupsafe import Markup

        from cpo_learn.rendering.charts import activity_chart, progress_chart, skills_chart

        numbers = {s.stage.id: self.stage_number(s.stage.id) for s in self.summaries}
        return {
            "progress": Markup(progress_chart(self.summaries, numbers)),
            "skills": Markup(skills_chart(self.plan)),
            "activity": Markup(activity_chart(dict(self.context.activity), self.plan.today)),
        }

    @property
    def recorded_days(self) -> int:
        """How many days have recorded work."""
        return len(self.context.activity)


def render_markdown(plan: Plan, context: ExportContext) -> str:
    """GitHub-flavoured Markdown: summary, tables, Mermaid path, task lists, schedule, appendices."""
    return context.render("curriculum.md.j2", autoescape=False, view=CurriculumView.of(plan, context))


PIECE_MARKER = "<!--cpo-learn:piece-->"
BODY_SLOT = "<!--cpo-learn:body-->"


def render_html(plan: Plan, context: ExportContext) -> str:
    """A standalone, sanitised HTML page: the body is rendered, then cleaned, then put in the page shell."""
    from markupsafe import Markup

    from cpo_learn.rendering.sanitise import sanitise_html
    from cpo_learn.rendering.templating import save_bodies, set_aside_bodies

    view = CurriculumView.of(plan, context)
    # The body is streamed and sanitised piece by piece (the template marks balanced cut points): the
    # sanitiser's memory grows with its input, and one pass over a 5,000-module page needs over 100 MiB.
    # Module bodies, sanitised when they were converted, are set aside meanwhile and put back after: each
    # piece of the page is sanitised once.
    clean: list[str] = []
    pending: list[str] = []
    with set_aside_bodies() as bodies:
        for chunk in context.stream("curriculum.html.j2", autoescape=True, view=view):
            pending.append(chunk)
            if PIECE_MARKER in chunk:
                *pieces, rest = "".join(pending).split(PIECE_MARKER)
                clean.extend(bodies.fill(sanitise_html(piece)) for piece in pieces)
                pending = [rest]
        clean.append(bodies.fill(sanitise_html("".join(pending))))
    # The page shell is rendered around a slot rather than around the body itself, so the multi-megabyte body
    # of a large plan is joined once instead of being copied through the template again.
    page = context.render("page.html.j2", autoescape=True, view=view, body=Markup(BODY_SLOT))
    head, tail = page.split(BODY_SLOT, 1)
    save_bodies()
    return "".join([head, *clean, tail])


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def plan_json(plan: Plan, context: ExportContext) -> dict[str, Any]:
    """The plan as JSON data: the fields of DESIGN section 7 and a few more."""
    from cpo_learn.planning.profile import profile_to_mapping
    from cpo_learn.planning.why import why_this_plan

    def module(entry: PlannedModule) -> dict[str, Any]:
        return {
            "id": entry.id, "title": entry.module.title, "status": entry.status, "reason": entry.reason,
            "week": entry.week, "start": _iso(entry.start), "due": _iso(entry.due),
            "hours": hours_number(entry.hours, None), "kind": entry.module.kind, "track": entry.module.track,
            "gaps": {skill: {"rating": r, "level": lv} for skill, (r, lv) in entry.gaps.items()},
            "weeks": [{"week": w, "hours": hours_number(h, 4)} for w, h in entry.weeks],
            "catch_up": entry.catch_up, "calendar_weeks": entry.module.weeks, "in_role": entry.module.in_role,
            "not_before": _iso(entry.not_before), "no_free_resource": entry.no_free_resource,
            "credit": entry.credit if entry.credited else None,
        }

    def milestone(item: PlannedMilestone) -> dict[str, Any]:
        return {
            "id": item.id, "title": item.milestone.title, "status": item.status, "week": item.week,
            "due": _iso(item.due), "requires": list(item.milestone.requires), "ready": item.ready,
            "blocked": item.blocked, "calendar_weeks": item.milestone.weeks, "in_role": item.milestone.in_role,
        }

    def arrival(stage_id: str) -> dict[str, Any] | None:
        found = plan.arrival(stage_id)
        if found is None:
            return None
        return {"earliest": _iso(found.earliest), "likely": _iso(found.likely), "source": found.source,
                "typical_years": found.years}

    return {
        "learner": context.learner,
        "name": plan.profile.name,
        "generated_on": plan.today.isoformat(),
        "profile": profile_to_mapping(plan.profile),
        "schedule_start": plan.schedule_start.isoformat(),
        "stages": [
            {
                "id": s.stage.id, "title": s.stage.title,
                "modules": [module(e) for e in s.modules], "milestones": [milestone(m) for m in s.milestones],
                "done": s.done, "total": s.total, "done_hours": hours_number(s.done_hours, None),
                "total_hours": hours_number(s.total_hours, None), "percent": s.percent,
                "arrival": arrival(s.stage.id),
            }
            for s in plan.stage_summaries()
        ],
        "total_hours": hours_number(plan.total_hours, None),
        "remaining_hours": hours_number(plan.remaining_hours, None),
        "done_hours": hours_number(plan.done_hours, None),
        "finish": _iso(plan.finish),
        "target_date": _iso(plan.profile.target_date),
        "core_without_free": plan.core_without_free,
        "assumed_ratings": dict(plan.assumed),
        "why": list(why_this_plan(plan)),
        "not_fitted": [{"id": i.module.id, "title": i.module.title, "hours": hours_number(i.module.hours, None),
                        "reason": i.reason} for i in plan.not_fitted],
        "credited": [{"id": e.id, "title": e.module.title, "hours": hours_number(e.hours, None),
                      "credit": e.credit, "reason": e.reason} for e in plan.credited],
        "removed": [{"id": i.module.id, "title": i.module.title, "hours": hours_number(i.module.hours, None),
                     "reason": i.reason} for i in plan.removed],
        "warnings": list(plan.warnings),
        "habits": [{"module": h.entry.id, "what": h.what, "hours_per_week": hours_number(h.hours_per_week),
                    "since": _iso(h.since)} for h in plan.habits()],
        "habit_hours_per_week": hours_number(plan.habit_hours()),
    }


def render_json(plan: Plan, context: ExportContext) -> str:
    """The plan as indented JSON (``generate --format json``)."""
    from cpo_learn.rendering.json_data import dumps

    return dumps(plan_json(plan, context)) + "\n"
