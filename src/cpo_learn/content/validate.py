"""Validation: turn a filled ``Registry`` into a ``Catalog`` and report every problem at once.

Each problem is a ``Problem`` (``path:line: message``) attributed to the plugin that caused it. Invalid items
are left out of the catalog; so are modules whose prerequisites were left out, so the catalog is always
consistent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from cpo_learn.content.catalog import Catalog
from cpo_learn.content.fields import index_of, read_item
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
        # id -> where an item was left out because of a problem of its own (or a knock-on of one)
        self.invalid: dict[str, Origin] = {}
        # id -> why an item was left out quietly: it needs a plugin the user disabled
        self.left_out: dict[str, str] = {}
        self.known_modules: set[str] = set()

    def problem(self, origin: Origin, message: str, line: int | None = None, *, knock_on: bool = False) -> None:
        self.problems.append(Problem(origin.path, line or origin.line, message, origin.plugin, knock_on))

    def disabled_owner(self, ref: str) -> str | None:
        """The disabled plugin an id belongs to (ids start with their plugin's name), or None."""
        owner = ref.split("/", 1)[0]
        return owner if owner in self.disabled else None

    def from_disabled(self, ref: str) -> bool:
        """A reference into a plugin the user disabled is dropped quietly, not reported."""
        return self.disabled_owner(ref) is not None

    def unavailable(self, ref: str, what: str) -> str | None:
        """Why ``ref`` is quietly missing (it belongs to a disabled plugin, or was left out because of one)."""
        owner = self.disabled_owner(ref)
        if owner is not None:
            return f"its {what} {ref} belongs to the disabled plugin {owner}"
        reason = self.left_out.get(ref)
        return f"its {what} {ref} was left out ({reason})" if reason is not None else None

    def knock_on(self, origin: Origin, what: str, ref: str, line: int) -> bool:
        """Report a reference to an item left out because of its own problem, labelled as a knock-on."""
        where = self.invalid.get(ref)
        if where is None:
            return False
        self.problem(origin, f"knock-on: {what} '{ref}' was left out because of its problem at {where.where()}; "
                     "fix that first", line, knock_on=True)
        return True

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
        if not targets and target_id not in by_id and _moved(module.id, target_id):
            # A module moved to another pack keeps its slug: the old id, no longer registered, follows it.
            b.aliases[target_id] = module.id
            continue
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


def _moved(new_id: str, old_id: str) -> bool:
    """``leadership/x`` replacing ``cpo/x``: the same slug under another namespace."""
    new_ns, _, new_slug = new_id.partition("/")
    old_ns, _, old_slug = old_id.partition("/")
    return new_slug == old_slug and new_ns != old_ns


def _apply_milestone_replacements(b: _Build, milestones: list[Milestone]) -> list[Milestone]:
    """A milestone's ``replaces`` ids leave the catalog (when still registered) and resolve to it.

    The ids usually name milestones that were merged into this one and whose files are gone, so an id that
    nothing registers is accepted: recorded progress on it must keep resolving.
    """
    registered = {m.id for m in milestones}
    gone: set[str] = set()
    for milestone in milestones:
        for index, old in enumerate(milestone.replaces):
            if old == milestone.id:
                b.problem(milestone.origin, f"milestone '{old}' cannot replace itself",
                          milestone.origin.line_of("replaces", index))
                continue
            if old in b.aliases and b.aliases[old] != milestone.id:
                b.problem(milestone.origin, f"'{old}' is already replaced by '{b.aliases[old]}'",
                          milestone.origin.line_of("replaces", index))
                continue
            b.aliases[old] = milestone.id
            if old in registered:
                gone.add(old)
    return [m for m in milestones if m.id not in gone]


def _check_ref(b: _Build, module: Module | Milestone, what: str, ref: str, known: dict[str, Any],
               line: int, leave_out: bool = True) -> bool:
    """Is ``ref`` a known stage, track, skill or practice? Reports it (or leaves the item out quietly) if not."""
    if not ref or ref in known:
        return True
    reason = b.unavailable(ref, what)
    if reason is not None:
        if leave_out and module.id:
            b.left_out.setdefault(module.id, reason)
        return False
    if not b.knock_on(module.origin, what, ref, line):
        b.problem(module.origin, f"unknown {what} '{ref}'{suggestion(ref, list(known))}", line)
    return False


def _check_module_refs(b: _Build, module: Module, leave_out: bool = True) -> bool:
    """Check the stage, track, skills and practices a module names; False when it must be left out."""
    origin = module.origin
    if not _check_ref(b, module, "stage", module.stage, b.stages, origin.line_of("stage"), leave_out):
        return False
    if not _check_ref(b, module, "track", module.track or "", b.tracks, origin.line_of("track"), leave_out):
        return False
    ok = True
    for skill in module.skills:
        ok = _check_ref(b, module, "skill", skill, b.skills, origin.line_of("skills", skill), False) and ok
    for index, practice in enumerate(module.practices):
        ok = _check_ref(b, module, "practice", practice, b.practices,
                        origin.line_of("practices", index), False) and ok
    stage_roles = b.stages[module.stage].roles if module.stage in b.stages else ()
    for index, role in enumerate(module.roles):
        if stage_roles and role not in stage_roles:
            b.problem(origin, f"unknown role '{role}' for stage '{module.stage}'"
                      f"{suggestion(role, list(stage_roles))}; use one of {', '.join(stage_roles)}",
                      origin.line_of("roles", index))
            ok = False
    return ok


def _unknown_prerequisites(b: _Build, module: Module) -> None:
    """For a module with problems of its own: its prerequisites that no pack defines at all."""
    for index, pre in enumerate(module.prerequisites):
        target = b.aliases.get(pre, pre)
        if target not in b.known_modules and not b.from_disabled(pre):
            b.problem(module.origin, f"unknown prerequisite '{pre}'{suggestion(pre, sorted(b.known_modules))}",
                      module.origin.line_of("prerequisites", index))


def _prerequisite_problems(b: _Build, modules: dict[str, Module]) -> dict[str, Module]:
    """Drop modules with unknown or later-stage prerequisites, repeatedly, until all that stay are sound.

    A prerequisite that belongs to a disabled plugin (or was left out because of one) is dropped quietly from
    the module, which stays; one left out because of its own problem leaves the module out as a knock-on.
    """
    in_order = sorted(b.stages, key=lambda s: b.stages[s].order)
    stage_rank = {stage_id: rank for rank, stage_id in enumerate(in_order)}
    changed = True
    while changed:
        changed = False
        for module in list(modules.values()):
            kept: list[str] = []
            for index, pre in enumerate(module.prerequisites):
                target = b.aliases.get(pre, pre)
                line = module.origin.line_of("prerequisites", index)
                if target in modules:
                    if stage_rank[modules[target].stage] > stage_rank[module.stage]:
                        b.problem(module.origin, f"prerequisite '{pre}' is in the later stage "
                                  f"'{modules[target].stage}'; a module may only build on its own or "
                                  "earlier stages", line)
                        break
                    kept.append(pre)
                    continue
                if b.unavailable(target, "prerequisite") is not None:
                    continue
                if not b.knock_on(module.origin, "prerequisite", target, line):
                    b.problem(module.origin,
                              f"unknown prerequisite '{pre}'{suggestion(pre, sorted(b.known_modules))}", line)
                break
            else:
                if len(kept) != len(module.prerequisites):
                    modules[module.id] = replace(module, prerequisites=tuple(kept))
                continue
            del modules[module.id]
            b.invalid.setdefault(module.id, module.origin)
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
        gone = modules.pop(module_id, None)
        if gone is not None:
            b.invalid.setdefault(module_id, gone.origin)


def _sorted_modules(b: _Build, modules: Iterable[Module]) -> dict[str, Module]:
    order = {s.id: s.order for s in b.stages.values()}
    return {m.id: m for m in sorted(modules, key=lambda m: (order.get(m.stage, 0), m.id))}


def _check_requires(b: _Build, registry: Registry, versions: Mapping[str, str | None]) -> set[str]:
    """Each pack's ``requires`` must name loaded packs in the version range; returns plugins that fail.

    A pack's version is its plugin's (the installed distribution's, the one ``cpo-learn plugins`` shows);
    ``version`` in ``pack.toml`` counts only for a pack that is not part of a distribution.
    """
    if not any(info.requires for _, info in registry.packs):
        return set()  # the usual case: no need to import packaging at all
    from packaging.specifiers import InvalidSpecifier, SpecifierSet
    from packaging.version import InvalidVersion, Version

    loaded = {info.name: (owner, info) for owner, info in registry.packs}
    failing: set[str] = set()
    for plugin, info in registry.packs:
        where = Origin(plugin, f"{info.path}/pack.toml", 1)
        for name, spec in info.requires.items():
            found = loaded.get(name)
            if found is None:
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
            owner, other = found
            version = versions.get(owner) or other.version
            if not spec:
                continue
            try:
                ok = bool(version) and Version(version) in wanted
            except InvalidVersion:
                ok = False
            if not ok:
                shown = f"version {version} is installed" if version else "it has no version"
                b.problem(where, f"requires pack '{name}' {spec}, but {shown}")
                failing.add(plugin)
    return failing


def _check_milestone(b: _Build, milestone: Milestone, valid: dict[str, Module]) -> Milestone | None:
    """The milestone with the requires that exist; None when it is left out (reported, or quietly)."""
    origin = milestone.origin
    if not _check_ref(b, milestone, "stage", milestone.stage, b.stages, origin.line_of("stage")):
        return None
    requires: list[str] = []
    quiet: list[str] = []
    for index, ref in enumerate(milestone.requires):
        target = b.aliases.get(ref, ref)
        if target in valid:
            requires.append(target)
            continue
        reason = b.unavailable(target, "required module")
        if reason is not None:
            quiet.append(reason)
            continue
        line = origin.line_of("requires", index)
        if not b.knock_on(origin, "required module", target, line):
            b.problem(origin, f"requires unknown module '{ref}'{suggestion(ref, list(valid))}", line)
        return None
    if quiet and not requires:
        b.left_out[milestone.id] = f"every module it requires was left out: {quiet[0]}"
        return None
    return replace(milestone, requires=tuple(requires))


def _check_broken(b: _Build, modules: list[Module], milestones: list[Milestone]) -> None:
    """Cross-reference checks on items with problems of their own, so a file's problems come all at once."""
    for module in modules:
        _check_module_refs(b, module, leave_out=False)
        _unknown_prerequisites(b, module)
    for milestone in milestones:
        _check_ref(b, milestone, "stage", milestone.stage, b.stages, milestone.origin.line_of("stage"), False)
        for index, ref in enumerate(milestone.requires):
            if b.aliases.get(ref, ref) not in b.known_modules and not b.from_disabled(ref):
                b.problem(milestone.origin, f"requires unknown module '{ref}'"
                          f"{suggestion(ref, sorted(b.known_modules))}", milestone.origin.line_of("requires", index))


def build_catalog(registry: Registry, disabled: Iterable[str] = (),
                  versions: Mapping[str, str | None] | None = None) -> Catalog:
    """Validate everything in the registry and return the catalog of what is valid (with all problems).

    ``disabled`` names the plugins the user turned off: what needs them is left out quietly, with the reason
    in ``Catalog.left_out``. ``versions`` gives each plugin's version (for packs' ``requires``).
    """
    b = _Build(set(disabled))
    b.problems.extend(registry.problems)
    unmet = _check_requires(b, registry, versions or {})
    # A pack whose requirements are not met is left out whole: its content assumes them.
    items = [item for item in registry.items if item.plugin not in unmet]
    modules: list[Module] = []
    milestones: list[Milestone] = []
    broken_modules: list[Module] = []
    broken_milestones: list[Milestone] = []
    for item in items:
        try:
            built, problems = read_item(item)
        except Exception as exc:  # a value from a plugin's code (not a pack) that even str() fails on
            built, problems = None, [Problem(item.path, item.line, f"cannot check this {item.kind}: "
                                             f"{type(exc).__name__}: {exc}", item.plugin)]
        b.problems.extend(problems)
        if isinstance(built, Module) and built.id:
            b.known_modules.add(built.id)
        if built is None:
            continue
        if problems:
            if built.id:
                b.invalid.setdefault(built.id, built.origin)
            if isinstance(built, Module):
                broken_modules.append(built)
            elif isinstance(built, Milestone):
                broken_milestones.append(built)
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
        elif module.id not in b.left_out:
            b.invalid.setdefault(module.id, module.origin)
    _check_broken(b, broken_modules, broken_milestones)
    valid = _prerequisite_problems(b, valid)
    _find_cycles(b, valid)
    for milestone in _apply_milestone_replacements(b, milestones):
        checked = _check_milestone(b, milestone, valid)
        if checked is not None:
            b.add_unique(b.milestones, checked, "milestone")
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
        left_out=MappingProxyType(dict(sorted(b.left_out.items()))),
        disabled=frozenset(b.disabled),
    )
