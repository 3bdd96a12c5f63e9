"""Validation: turn a filled ``Registry`` into a ``Catalog`` and report every problem at once.

Each problem is a ``Problem`` (``path:line: message``) attributed to the plugin that caused it. Invalid items
are left out of the catalog; so are modules whose prerequisites were left out, so the catalog is always
consistent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from cpo_learn.content.catalog import Catalog
from cpo_learn.content.fields import check_item, index_of
from cpo_learn.content.model import (
    Milestone,
    Module,
    Origin,
    Practice,
    Problem,
    Skill,
    Stage,
)
from cpo_learn.content.registry import Registry
from cpo_learn.text import suggestion


class _Build:
    """State of one catalog build: the valid items so far and every problem found."""

    def __init__(self, disabled: set[str]) -> None:
        self.disabled = disabled
        self.problems: list[Problem] = []
        self.stages: dict[str, Stage] = {}
        self.tracks: dict[str, Stage] = {}
        self.skills: dict[str, Skill] = {}
        self.practices: dict[str, Practice] = {}
        self.modules: dict[str, Module] = {}
        self.milestones: dict[str, Milestone] = {}
        self.aliases: dict[str, str] = {}

    def problem(self, origin: Origin, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(origin.path, line or origin.line, message, origin.plugin))

    def from_disabled(self, ref: str) -> bool:
        """A reference into a plugin the user disabled is dropped quietly, not reported."""
        return ref.split("/", 1)[0] in self.disabled

    def add_unique(self, table: dict[str, Any], obj: Any, what: str) -> None:
        other = table.get(obj.id)
        if other is not None:
            # Both sides are told, each naming the other: either may be the one to rename.
            for this, that in ((obj, other), (other, obj)):
                if this.origin.plugin == that.origin.plugin and this is other:
                    continue
                self.problem(this.origin, f"duplicate {what} id '{obj.id}': also registered by plugin "
                             f"'{that.origin.plugin}' at {that.origin.where()}; rename one, or add "
                             f"'replaces: {obj.id}' to override it explicitly")
            return
        table[obj.id] = obj


def _apply_replacements(b: _Build, modules: list[Module]) -> list[Module]:
    """Modules that ``replaces`` another take its place; references to the old id follow them."""
    by_id: dict[str, list[Module]] = {}
    for module in modules:
        by_id.setdefault(module.id, []).append(module)
    replacing = [m for m in modules if m.replaces]
    removed: set[int] = set()
    for module in replacing:
        target_id = module.replaces or ""
        targets = [m for m in by_id.get(target_id, []) if m is not module and not m.replaces]
        if not targets:
            # Replacing a module of a disabled plugin is fine: the replacement simply stands alone.
            if not b.from_disabled(target_id):
                b.problem(module.origin, f"replaces unknown module '{target_id}'"
                          f"{suggestion(target_id, list(by_id))}", module.origin.line_of("replaces"))
                removed.add(id(module))
            continue
        for target in targets:
            removed.add(id(target))
        if module.id != target_id:
            b.aliases[target_id] = module.id
    kept: list[Module] = []
    for module in modules:
        if id(module) in removed:
            continue
        if module.replaces:
            olds = tuple(t.origin for t in by_id.get(module.replaces, []) if t is not module)
            module = replace(module, replaced=olds)
        kept.append(module)
    return kept


def _check_module_refs(b: _Build, module: Module) -> bool:
    ok = True
    if module.stage not in b.stages:
        if not b.from_disabled(module.stage):
            b.problem(module.origin, f"unknown stage '{module.stage}'{suggestion(module.stage, list(b.stages))}",
                      module.origin.line_of("stage"))
        return False
    if module.track is not None and module.track not in b.tracks:
        if not b.from_disabled(module.track):
            b.problem(module.origin, f"unknown track '{module.track}'{suggestion(module.track, list(b.tracks))}",
                      module.origin.line_of("track"))
        return False
    for skill in module.skills:
        if skill not in b.skills:
            b.problem(module.origin, f"unknown skill '{skill}'{suggestion(skill, list(b.skills))}",
                      module.origin.line_of("skills", skill))
            ok = False
    for practice in module.practices:
        if practice not in b.practices:
            b.problem(module.origin, f"unknown practice '{practice}'{suggestion(practice, list(b.practices))}",
                      module.origin.line_of("practices", index_of(module.practices, practice)))
            ok = False
    return ok


def _prerequisite_problems(b: _Build, modules: dict[str, Module]) -> dict[str, Module]:
    """Drop modules with unknown or later-stage prerequisites, repeatedly, until all that stay are sound."""
    in_order = sorted(b.stages, key=lambda s: b.stages[s].order)
    stage_rank = {stage_id: rank for rank, stage_id in enumerate(in_order)}
    reported_ids = set(modules)
    changed = True
    while changed:
        changed = False
        for module in list(modules.values()):
            for index, pre in enumerate(module.prerequisites):
                target = b.aliases.get(pre, pre)
                line = module.origin.line_of("prerequisites", index)
                if target in modules:
                    if stage_rank[modules[target].stage] > stage_rank[module.stage]:
                        b.problem(module.origin, f"prerequisite '{pre}' is in the later stage "
                                  f"'{modules[target].stage}'; a module may only build on its own or "
                                  "earlier stages", line)
                        break
                    continue
                if b.from_disabled(pre):
                    continue
                if pre in reported_ids:
                    b.problem(module.origin, f"prerequisite '{pre}' was left out because it is invalid; "
                              "fix it first", line)
                else:
                    b.problem(module.origin,
                              f"unknown prerequisite '{pre}'{suggestion(pre, list(reported_ids))}", line)
                break
            else:
                continue
            del modules[module.id]
            changed = True
    return modules


def _find_cycles(b: _Build, modules: dict[str, Module]) -> None:
    """Report every prerequisite cycle once, with the whole cycle, and leave its modules out."""
    state: dict[str, int] = {}
    in_cycles: set[str] = set()
    seen_cycles: set[frozenset[str]] = set()

    def edges(module_id: str) -> list[str]:
        pres = (b.aliases.get(p, p) for p in modules[module_id].prerequisites)
        return [p for p in pres if p in modules]

    for start in sorted(modules):
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = [start]
        state[start] = 1
        while stack:
            node, index = stack[-1]
            nexts = edges(node)
            if index < len(nexts):
                stack[-1] = (node, index + 1)
                child = nexts[index]
                if state.get(child) == 1:
                    cycle = [*path[path.index(child):], child]
                    key = frozenset(cycle)
                    if key not in seen_cycles:
                        seen_cycles.add(key)
                        first = modules[cycle[0]]
                        pres = tuple(b.aliases.get(p, p) for p in first.prerequisites)
                        b.problem(first.origin, "prerequisite cycle: " + " -> ".join(cycle),
                                  first.origin.line_of("prerequisites", index_of(pres, cycle[1])))
                    in_cycles.update(cycle)
                elif not state.get(child):
                    state[child] = 1
                    stack.append((child, 0))
                    path.append(child)
            else:
                state[node] = 2
                stack.pop()
                path.pop()
    for module_id in in_cycles:
        modules.pop(module_id, None)


def _sorted_modules(b: _Build, modules: Iterable[Module]) -> dict[str, Module]:
    order = {s.id: s.order for s in b.stages.values()}
    return {m.id: m for m in sorted(modules, key=lambda m: (order.get(m.stage, 0), m.id))}


def _check_requires(b: _Build, registry: Registry) -> set[str]:
    """Each pack's ``requires`` must name loaded packs in the version range; returns plugins that fail."""
    if not any(info.requires for _, info in registry.packs):
        return set()  # the usual case: no need to import packaging at all
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    loaded = {info.name: info for _, info in registry.packs}
    failing: set[str] = set()
    for plugin, info in registry.packs:
        where = Origin(plugin, f"{info.path}/pack.toml", 1)
        for name, spec in info.requires.items():
            other = loaded.get(name)
            if other is None:
                if name not in b.disabled:
                    b.problem(where, f"requires pack '{name}'{(' ' + spec) if spec else ''}, which is not "
                              f"installed{suggestion(name, list(loaded))}; install it or remove the requirement")
                    failing.add(plugin)
                continue
            try:
                wanted = SpecifierSet(spec)
            except InvalidSpecifier:
                b.problem(where, f"requires.{name}: '{spec}' is not a version range (use e.g. '>=1.0,<2')")
                failing.add(plugin)
                continue
            try:
                ok = Version(other.version) in wanted
            except InvalidVersion:
                ok = False
            if not ok:
                b.problem(where, f"requires pack '{name}' {spec}, but version {other.version} is installed")
                failing.add(plugin)
    return failing


def build_catalog(registry: Registry, disabled: Iterable[str] = ()) -> Catalog:
    """Validate everything in the registry and return the catalog of what is valid (with all problems)."""
    b = _Build(set(disabled))
    b.problems.extend(registry.problems)
    unmet = _check_requires(b, registry)
    # A pack whose requirements are not met is left out whole: its content assumes them.
    items = [item for item in registry.items if item.plugin not in unmet]
    modules: list[Module] = []
    milestones: list[Milestone] = []
    for item in items:
        try:
            built, problems = check_item(item)
        except Exception as exc:  # a value from a plugin's code (not a pack) that even str() fails on
            built, problems = None, [Problem(item.path, item.line, f"cannot check this {item.kind}: "
                                             f"{type(exc).__name__}: {exc}", item.plugin)]
        b.problems.extend(problems)
        if built is None:
            continue
        if isinstance(built, Stage):
            b.add_unique(b.tracks if built.is_track else b.stages, built, item.kind)
        elif isinstance(built, Skill):
            b.add_unique(b.skills, built, "skill")
        elif isinstance(built, Practice):
            b.add_unique(b.practices, built, "practice")
        elif isinstance(built, Module):
            modules.append(built)
        elif isinstance(built, Milestone):
            milestones.append(built)
    modules = _apply_replacements(b, modules)
    valid: dict[str, Module] = {}
    for module in modules:
        if _check_module_refs(b, module):
            b.add_unique(valid, module, "module")
    valid = _prerequisite_problems(b, valid)
    _find_cycles(b, valid)
    for milestone in milestones:
        if milestone.stage not in b.stages:
            if not b.from_disabled(milestone.stage):
                b.problem(milestone.origin, f"unknown stage '{milestone.stage}'"
                          f"{suggestion(milestone.stage, list(b.stages))}", milestone.origin.line_of("stage"))
            continue
        missing = [r for r in milestone.requires
                   if b.aliases.get(r, r) not in valid and not b.from_disabled(r)]
        if missing:
            b.problem(milestone.origin, f"requires unknown module '{missing[0]}'"
                      f"{suggestion(missing[0], list(valid))}",
                      milestone.origin.line_of("requires", index_of(milestone.requires, missing[0])))
            continue
        requires = tuple(b.aliases.get(r, r) for r in milestone.requires if b.aliases.get(r, r) in valid)
        b.add_unique(b.milestones, replace(milestone, requires=requires), "milestone")
    stages = tuple(sorted(b.stages.values(), key=lambda s: (s.order, s.id)))
    tracks = tuple(sorted(b.tracks.values(), key=lambda s: (s.order, s.id)))
    order = {s.id: s.order for s in stages}
    return Catalog(
        stages=stages,
        tracks=tracks,
        skills=MappingProxyType(dict(sorted(b.skills.items()))),
        practices=MappingProxyType(dict(sorted(b.practices.items()))),
        modules=MappingProxyType(_sorted_modules(b, valid.values())),
        milestones=MappingProxyType(dict(sorted(
            b.milestones.items(), key=lambda kv: (order.get(kv[1].stage, 0), kv[0])))),
        aliases=MappingProxyType(dict(b.aliases)),
        problems=tuple(b.problems),
    )
