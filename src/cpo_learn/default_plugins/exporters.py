"""The built-in output formats, ``md``, ``html`` and ``json``, registered like any plugin's.

Markdown and HTML come from Jinja2 templates (``curriculum.md.j2``, ``curriculum.html.j2`` inside
``page.html.j2``) that plugins can override or extend; both get the same ``view`` of the plan. JSON has the
shape of DESIGN section 7.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from cpo_learn import hookimpl

if TYPE_CHECKING:
    from cpo_learn.exporters import ExportContext, ExporterRegistrar
    from cpo_learn.model import Module, Resource
    from cpo_learn.plan import Plan, PlannedMilestone, PlannedModule, StageSummary, Week


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
        return cls(plan, context, tuple(plan.stage_summaries()), tuple(plan.weeks()))

    @property
    def profile(self) -> Any:
        """The learner's profile."""
        return self.plan.profile

    def listed(self, summary: StageSummary) -> list[PlannedModule]:
        """A stage's modules for its task list: all but the waived ones (those are in the appendix)."""
        return [e for e in summary.modules if e.status != "waived"]

    @property
    def waived(self) -> list[PlannedModule]:
        """Every waived module, in plan order."""
        return [e for e in self.plan.entries if e.status == "waived"]

    def resources(self, module: Module) -> tuple[Resource, ...]:
        """The module's resources in the learner's order of preference."""
        from cpo_learn.planner import resources_for

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
        """``weeks 3-5 (2026-01-19 to 2026-02-08)``, or ``done 2026-01-10`` and the like."""
        recorded_on = entry.recorded.on if entry.recorded and entry.recorded.on else None
        if entry.week is None:
            if entry.status in ("done", "skipped"):
                return entry.status + (f" {recorded_on}" if recorded_on else "")
            return entry.status
        last = entry.weeks[-1][0]
        span = f"week {entry.week}" if last == entry.week else f"weeks {entry.week}-{last}"
        started = f"started {recorded_on} · " if entry.status == "started" and recorded_on else (
            "started · " if entry.status == "started" else "")
        return f"{started}{span} ({entry.start} to {entry.due})"

    def milestone_when(self, milestone: PlannedMilestone) -> str:
        """``due 2026-04-26 (week 16)``, ``achieved 2026-05-01`` or ``ready now``."""
        if milestone.status == "achieved":
            on = milestone.recorded.on if milestone.recorded else None
            return "achieved" + (f" {on}" if on else "")
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
        total = self.plan.total_hours
        return int(100 * self.plan.done_hours / total) if total else 100

    def count(self, status: str) -> int:
        """How many modules of the plan have this status."""
        return sum(1 for e in self.plan.entries if e.status == status)


def render_markdown(plan: Plan, context: ExportContext) -> str:
    """GitHub-flavoured Markdown: summary, tables, Mermaid path, task lists, schedule, appendices."""
    return context.render("curriculum.md.j2", autoescape=False, view=CurriculumView.of(plan, context))


def render_html(plan: Plan, context: ExportContext) -> str:
    """A standalone, sanitised HTML page: the body is rendered, then cleaned, then put in the page shell."""
    from markupsafe import Markup

    from cpo_learn.sanitise import sanitise_html

    view = CurriculumView.of(plan, context)
    body = context.render("curriculum.html.j2", autoescape=True, view=view)
    return context.render("page.html.j2", autoescape=True, view=view, body=Markup(sanitise_html(body)))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def plan_json(plan: Plan, context: ExportContext) -> dict[str, Any]:
    """The plan as JSON data: the fields of DESIGN section 7 and a few more."""
    from cpo_learn.output import hours_json
    from cpo_learn.profile import profile_to_mapping

    def module(entry: PlannedModule) -> dict[str, Any]:
        return {
            "id": entry.id, "title": entry.module.title, "status": entry.status, "reason": entry.reason,
            "week": entry.week, "start": _iso(entry.start), "due": _iso(entry.due),
            "hours": hours_json(entry.hours), "kind": entry.module.kind, "track": entry.module.track,
            "gaps": {skill: {"rating": r, "level": lv} for skill, (r, lv) in entry.gaps.items()},
            "weeks": [{"week": w, "hours": hours_json(round(h, 4))} for w, h in entry.weeks],
        }

    def milestone(item: PlannedMilestone) -> dict[str, Any]:
        return {
            "id": item.id, "title": item.milestone.title, "status": item.status, "week": item.week,
            "due": _iso(item.due), "requires": list(item.milestone.requires),
        }

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
                "done": s.done, "total": s.total, "done_hours": hours_json(s.done_hours),
                "total_hours": hours_json(s.total_hours), "percent": s.percent,
            }
            for s in plan.stage_summaries()
        ],
        "total_hours": hours_json(plan.total_hours),
        "remaining_hours": hours_json(plan.remaining_hours),
        "done_hours": hours_json(plan.done_hours),
        "finish": _iso(plan.finish),
        "target_date": _iso(plan.profile.target_date),
        "not_fitted": [{"id": i.module.id, "title": i.module.title, "hours": hours_json(i.module.hours),
                        "reason": i.reason} for i in plan.not_fitted],
        "removed": [{"id": i.module.id, "title": i.module.title, "hours": hours_json(i.module.hours),
                     "reason": i.reason} for i in plan.removed],
        "warnings": list(plan.warnings),
    }


def render_json(plan: Plan, context: ExportContext) -> str:
    """The plan as indented JSON (``generate --format json``)."""
    from cpo_learn.output import dumps

    return dumps(plan_json(plan, context)) + "\n"


@hookimpl
def cpo_learn_register_exporters(register: ExporterRegistrar) -> None:
    """Register the built-in formats: Markdown, HTML and JSON."""
    register("md", ".md", render_markdown)
    register("html", ".html", render_html)
    register("json", ".json", render_json)
