"""A pack's modules and milestones rendered as a learner would see them, without a learner (``preview``).

The items go through the same template macros as the curriculum (``_macros.md.j2``, ``_macros.html.j2``);
what depends on a learner (the week, the reason a module is planned for them) is replaced by what the module
says about itself: its kind, stage and the skill levels it brings learners to.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from cpo_learn.content.catalog import Catalog
from cpo_learn.content.model import Milestone, Module, Resource, Stage
from cpo_learn.planning.plan import PlannedMilestone, PlannedModule
from cpo_learn.planning.state import Status
from cpo_learn.rendering.exporters import ExportContext

FORMATS = ("md", "html")


@dataclass(frozen=True)
class PreviewProfile:
    """What the templates read from a learner's profile: a name for the page title, no preferences."""

    name: str
    free_only: bool = False


@dataclass(frozen=True)
class PreviewStage:
    """One stage (or track) of the preview with its items."""

    stage: Stage
    modules: tuple[PlannedModule, ...]
    milestones: tuple[PlannedMilestone, ...]


@dataclass(frozen=True)
class PreviewView:
    """The view the preview templates render: the catalog, the items by stage, and the macros' helpers."""

    catalog: Catalog
    title: str
    stages: tuple[PreviewStage, ...]

    @property
    def profile(self) -> PreviewProfile:
        """Stands in for the learner's profile in the shared macros and the page shell."""
        return PreviewProfile(self.title)

    def when(self, entry: PlannedModule) -> str:
        """Where a learner's dates would be."""
        return "dated for each learner"

    def milestone_when(self, milestone: PlannedMilestone) -> str:
        """Where a learner's due date would be."""
        return "due after the modules it builds on"

    def resources(self, module: Module) -> tuple[Resource, ...]:
        """The module's resources as written."""
        return module.resources

    def folded(self, item: PlannedModule | PlannedMilestone) -> bool:
        """A preview has no schedule, so nothing is far off: every module and milestone is shown whole."""
        return False

    def title_of(self, module_id: str) -> str:
        """A module's title (or its id when it is not in the catalog)."""
        found = self.catalog.modules.get(self.catalog.resolve(module_id))
        return found.title if found else module_id

    def stage_number(self, stage_id: str) -> int:
        """The stage's position on the path (1 for the first), as in the curriculum's headings."""
        ids = self.catalog.stage_ids
        return ids.index(stage_id) + 1 if stage_id in ids else 0


def _why(catalog: Catalog, module: Module) -> str:
    stage = next((s.title for s in catalog.stages if s.id == module.stage), module.stage)
    levels = ", ".join(f"{catalog.skills[k].title if k in catalog.skills else k} to {v}"
                       for k, v in module.skills.items())
    kind = "core module (everyone on the stage does it)" if module.kind == "core" else "elective module"
    text = f"{kind} of {stage}" + (f"; brings {levels}" if levels else "")
    if module.prerequisites:
        text += "; builds on " + ", ".join(module.prerequisites)
    return text


def preview_view(catalog: Catalog, title: str, modules: Iterable[Module],
                 milestones: Iterable[Milestone]) -> PreviewView:
    """Group the items by stage (tracks after the stages), in catalog order."""
    modules, milestones = list(modules), list(milestones)
    stages: list[PreviewStage] = []
    for stage in (*catalog.stages, *catalog.tracks):
        mine = tuple(PlannedModule(m, Status.PLANNED, _why(catalog, m)) for m in modules
                     if (m.track == stage.id if stage.is_track else m.stage == stage.id and not m.track))
        marks = tuple(PlannedMilestone(m, Status.PLANNED) for m in milestones if m.stage == stage.id
                      and not stage.is_track)
        if mine or marks:
            stages.append(PreviewStage(stage, mine, marks))
    return PreviewView(catalog, title, tuple(stages))


def render_preview(view: PreviewView, fmt: str, template_dirs: Sequence[str] = (),
                   today: date | None = None) -> str:
    """The preview as Markdown or as a standalone, sanitised HTML page."""
    from cpo_learn import clock

    context = ExportContext(learner="", today=today or clock.today(), template_dirs=tuple(template_dirs))
    if fmt == "md":
        return context.render("preview.md.j2", autoescape=False, view=view)
    from markupsafe import Markup

    from cpo_learn.rendering.sanitise import sanitise_html

    body = sanitise_html(context.render("preview.html.j2", autoescape=True, view=view))
    page: str = context.render("page.html.j2", autoescape=True, view=view, body=Markup(body))
    return page


