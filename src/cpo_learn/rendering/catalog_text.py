"""Plain-text descriptions of catalog items for ``show``."""

from __future__ import annotations

from cpo_learn.content.catalog import Catalog
from cpo_learn.content.model import Milestone, Module, Resource, Stage
from cpo_learn.planning.credit import describe_credit
from cpo_learn.quantities import hours_text


def resource_line(resource: Resource) -> str:
    """``[book] Title — Authors (year), provider, free, url``."""
    parts = [f"[{resource.kind}] {resource.title}"]
    who = ", ".join(resource.authors)
    if who:
        parts.append(f" — {who}")
    if resource.year:
        parts.append(f" ({resource.year})")
    extra = [x for x in (resource.provider, resource.cost, resource.url) if x]
    if extra:
        parts.append(", " + ", ".join(extra))
    return "".join(parts)


def describe_module(catalog: Catalog, module: Module) -> str:
    """A module in full, with where it came from and what it replaced."""
    skills = ", ".join(f"{catalog.skills[s].title if s in catalog.skills else s} {level}"
                       for s, level in module.skills.items())
    lines = [
        module.title,
        "=" * len(module.title),
        f"id: {module.id}",
        f"stage: {module.stage}" + (f"   track: {module.track}" if module.track else ""),
        f"kind: {module.kind}   hours: {hours_text(module.hours)}",
        f"skills: {skills}",
    ]
    if module.practices:
        lines.append("practices: " + ", ".join(module.practices))
    if module.prerequisites:
        lines.append("prerequisites: " + ", ".join(module.prerequisites))
    if module.credited_by is not None:
        lines.append(f"credited by: {describe_credit(module.credited_by)}")
    lines.append(f"plugin: {module.plugin} ({module.origin.where()})")
    if module.replaces:
        replaced = "; ".join(f"{o.plugin} at {o.where()}" for o in module.replaced)
        lines.append(f"replaces: {module.replaces}" + (f" (from {replaced})" if replaced else ""))
    if module.outcomes:
        lines += ["", "Outcomes:", *(f"  - {o}" for o in module.outcomes)]
    if module.resources:
        lines += ["", "Resources:", *(f"  - {resource_line(r)}" for r in module.resources)]
    if module.body:
        lines += ["", module.body]
    return "\n".join(lines)


def describe_milestone(milestone: Milestone) -> str:
    """A milestone in full."""
    lines = [
        milestone.title, "=" * len(milestone.title), f"id: {milestone.id}", f"stage: {milestone.stage}",
        f"plugin: {milestone.plugin} ({milestone.origin.where()})", "", "Criteria:",
        *(f"  - {c}" for c in milestone.criteria), "", "Requires:", *(f"  - {r}" for r in milestone.requires),
    ]
    if milestone.evidence:
        lines += ["", f"Evidence: {milestone.evidence}"]
    if milestone.body:
        lines += ["", milestone.body]
    return "\n".join(lines)


def describe_stage(catalog: Catalog, stage: Stage) -> str:
    """A stage or track with its modules and milestones."""
    modules = catalog.select(stage=stage.id)
    lines = [
        stage.title, "=" * len(stage.title), f"id: {stage.id}",
        ("track" if stage.is_track else f"stage {stage.order} of {len(catalog.stages)}")
        + (f", typically {stage.typical_years} years" if stage.typical_years else ""),
    ]
    if stage.roles:
        lines.append("roles: " + ", ".join(stage.roles))
    if stage.summary:
        lines += ["", stage.summary]
    if stage.body:
        lines += ["", stage.body]
    lines += ["", f"Modules ({len(modules)}, {hours_text(sum(m.hours for m in modules))} hours):"]
    lines += [f"  - {m.id} ({m.kind}, {hours_text(m.hours)} h) {m.title}" for m in modules]
    milestones = [m for m in catalog.milestones.values() if m.stage == stage.id]
    if milestones:
        lines += ["", "Milestones:", *(f"  - {m.id} {m.title}" for m in milestones)]
    return "\n".join(lines)


def path_overview(catalog: Catalog) -> str:
    """The path at a glance as Markdown: stages and tracks, what each covers, modules, milestones and hours."""
    lines = [
        "# The path at a glance",
        "",
        "Generated from the installed catalog by `cpo-learn stages --markdown`; do not edit by hand.",
        "",
        "| # | stage | typical years | roles | modules (core) | milestones | hours |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for stage in (*catalog.stages, *catalog.tracks):
        modules = catalog.select(stage=stage.id)
        core = sum(1 for m in modules if m.kind == "core")
        milestones = [m for m in catalog.milestones.values() if m.stage == stage.id] if not stage.is_track else [
            m for m in catalog.milestones.values() if m.id.startswith(stage.id + "/")]
        label = "track" if stage.is_track else str(stage.order)
        lines.append(f"| {label} | {stage.title} (`{stage.id}`) | {stage.typical_years} | {', '.join(stage.roles)} "
                     f"| {len(modules)} ({core}) | {len(milestones)} | {hours_text(sum(m.hours for m in modules))} |")
    for stage in (*catalog.stages, *catalog.tracks):
        modules = catalog.select(stage=stage.id)
        lines += ["", f"## {stage.title}", "", stage.summary, ""]
        for module in modules:
            skills = ", ".join(f"{s} {level}" for s, level in module.skills.items())
            where = f"{module.stage}, " if stage.is_track else (f"{module.track} track, " if module.track else "")
            lines.append(f"- **{module.title}** (`{module.id}`, {where}{module.kind}, "
                         f"{hours_text(module.hours)} h): {skills}")
        milestones = [m for m in catalog.milestones.values()
                      if (m.id.startswith(stage.id + "/") if stage.is_track else m.stage == stage.id)]
        if milestones:
            lines += ["", "Milestones:", ""]
            lines += [f"- {m.title} (`{m.id}`)" for m in milestones]
    skill_rows = []
    for skill in catalog.skills.values():
        per_stage = [str(len([m for m in catalog.select(stage=s.id, skill=skill.id) if m.track is None]))
                     for s in catalog.stages]
        skill_rows.append(f"| {skill.title} | " + " | ".join(per_stage) + " |")
    lines += ["", "## Skills by stage", "", "Stage modules developing each skill.", "",
              "| skill | " + " | ".join(s.id for s in catalog.stages) + " |",
              "| --- | " + " | ".join("---" for _ in catalog.stages) + " |", *skill_rows]
    return "\n".join(lines) + "\n"
