"""Validation: turn a filled ``Registry`` into a ``Catalog`` and report every problem at once.

Each problem is a ``Problem`` (``path:line: message``) attributed to the plugin that caused it. Invalid items
are left out of the catalog; so are modules whose prerequisites were left out, so the catalog is always
consistent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from cpo_learn.catalog import Catalog, closest
from cpo_learn.model import (
    COSTS,
    MODULE_KINDS,
    RESOURCE_KINDS,
    Milestone,
    Module,
    Origin,
    Practice,
    Problem,
    Resource,
    Skill,
    Stage,
)
from cpo_learn.packs import RawItem, suggest
from cpo_learn.registry import Registry

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
PLAIN_ID = re.compile(rf"^{SLUG}$")
FULL_ID = re.compile(rf"^{SLUG}/{SLUG}$")
MAX_HOURS = 2000.0

KEYS: dict[str, tuple[str, ...]] = {
    "stage": ("id", "title", "order", "summary", "typical_years", "roles"),
    "track": ("id", "title", "order", "summary", "typical_years", "roles"),
    "skill": ("id", "title", "description"),
    "practice": ("id", "title"),
    "module": (
        "id", "title", "stage", "track", "hours", "kind", "skills", "practices", "prerequisites",
        "outcomes", "resources", "replaces",
    ),
    "milestone": ("id", "title", "stage", "criteria", "requires", "evidence"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "stage": ("id", "title", "order"),
    "track": ("id", "title", "order"),
    "skill": ("id", "title"),
    "practice": ("id", "title"),
    "module": ("id", "title", "stage", "hours", "kind", "skills"),
    "milestone": ("id", "title", "stage", "requires"),
}
RESOURCE_KEYS = ("kind", "title", "authors", "year", "provider", "url", "cost")


class _Checker:
    """Field checks for one raw item; collects problems with the line of the offending key."""

    def __init__(self, item: RawItem) -> None:
        self.item = item
        self.problems: list[Problem] = []

    def fail(self, message: str, *keys: str | int) -> None:
        self.problems.append(Problem(self.item.path, self.item.line_of(*keys), message, self.item.plugin))

    def text(self, key: str, default: str = "") -> str:
        value = self.item.data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.fail(f"'{key}' must be text", key)
            return default
        return str(value).strip()

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self.item.data.get(key, [])
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(f"'{key}' must be a list", key)
            return ()
        out: list[str] = []
        for index, entry in enumerate(value):
            if not isinstance(entry, str | int | float) or isinstance(entry, bool) or not str(entry).strip():
                self.fail(f"'{key}' item {index + 1} must be non-empty text", key, index)
                continue
            out.append(str(entry).strip())
        return tuple(out)

    def number(self, key: str) -> float | None:
        value = self.item.data.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(f"'{key}' must be a number", key)
            return None
        try:
            return float(value)
        except OverflowError:  # an int from a plugin's code may be any size
            self.fail(f"'{key}' is too large a number", key)
            return None


def _check_keys(item: RawItem, checker: _Checker) -> None:
    allowed = KEYS[item.kind]
    for key in item.data:
        if str(key) not in allowed:
            checker.fail(f"unknown {item.kind} key '{key}'{suggest(str(key), allowed)}", str(key))
    for key in REQUIRED[item.kind]:
        if item.data.get(key) in (None, ""):
            checker.fail(f"missing required key '{key}'", key)


def _check_id(item: RawItem, checker: _Checker) -> str:
    raw = item.data.get("id")
    if raw is None:
        return ""
    value = str(raw).strip()
    if item.kind in ("module", "milestone"):
        if not FULL_ID.match(value):
            checker.fail(f"id '{value}' must be 'namespace/slug' (lower-case words joined by '-')", "id")
            return ""
        if item.namespace and not value.startswith(item.namespace + "/"):
            checker.fail(f"id '{value}' must start with the pack's namespace '{item.namespace}/'", "id")
            return ""
    elif not PLAIN_ID.match(value):
        checker.fail(f"id '{value}' must be lower-case words joined by '-'", "id")
        return ""
    return value


_REFERENCE_KEYS = ("stage", "track", "skills", "practices", "prerequisites", "requires", "replaces")


def _origin(item: RawItem) -> Origin:
    key_lines = tuple((key, line) for key, line in item.lines.items()
                      if key.split(".", 1)[0] in _REFERENCE_KEYS and key.count(".") <= 1)
    return Origin(item.plugin, item.path, item.line, key_lines)


def _index_of(values: tuple[str, ...], value: str) -> int:
    return values.index(value) if value in values else 0


def _build_stage(item: RawItem, c: _Checker, ident: str) -> Stage | None:
    order = c.item.data.get("order")
    if isinstance(order, bool) or not isinstance(order, int):
        c.fail("'order' must be a whole number", "order")
        order = 0
    years = c.text("typical_years")
    roles = c.text_list("roles")
    if c.problems:
        return None
    return Stage(
        id=ident, title=c.text("title"), order=order, summary=c.text("summary"), typical_years=years,
        roles=roles, body=item.body, origin=_origin(item), is_track=item.kind == "track",
    )


def _check_url(url: str, c: _Checker, index: int) -> None:
    try:
        parts = urlsplit(url)
    except ValueError:  # 'http://[::1' (an unclosed IPv6 host), hosts that change under NFKC normalisation
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc or any(ch.isspace() for ch in url):
        c.fail(f"malformed URL '{url}': use an https:// address", "resources", index, "url")


def _build_resources(c: _Checker) -> tuple[Resource, ...]:
    value = c.item.data.get("resources", [])
    if value is None:
        return ()
    if not isinstance(value, list):
        c.fail("'resources' must be a list", "resources")
        return ()
    out: list[Resource] = []
    for index, raw in enumerate(value):
        if not isinstance(raw, dict):
            c.fail(f"resource {index + 1} must be a mapping with kind and title", "resources", index)
            continue
        for key in raw:
            if str(key) not in RESOURCE_KEYS:
                c.fail(f"unknown resource key '{key}'{suggest(str(key), RESOURCE_KEYS)}",
                       "resources", index, key)
        kind, title = str(raw.get("kind", "")).strip(), str(raw.get("title", "") or "").strip()
        if kind not in RESOURCE_KINDS:
            c.fail(f"unknown resource kind '{kind}'{suggest(kind, RESOURCE_KINDS)}; use one of "
                   f"{', '.join(RESOURCE_KINDS)}", "resources", index, "kind")
        if not title:
            c.fail(f"resource {index + 1} needs a title", "resources", index)
        authors = raw.get("authors", [])
        if isinstance(authors, str):
            authors = [authors]
        if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
            c.fail("resource 'authors' must be a list of names", "resources", index, "authors")
            authors = []
        year = raw.get("year")
        bad_year = isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 2200
        if year is not None and bad_year:
            c.fail(f"resource year '{year}' must be a four-digit year", "resources", index, "year")
            year = None
        url = raw.get("url")
        if url is not None:
            url = str(url).strip()
            _check_url(url, c, index)
        cost = raw.get("cost")
        if cost is not None and cost not in COSTS:
            c.fail(f"resource cost '{cost}' must be 'free' or 'paid'", "resources", index, "cost")
        provider = raw.get("provider")
        out.append(Resource(
            kind=kind, title=title, authors=tuple(a.strip() for a in authors), year=year,
            provider=str(provider).strip() if provider is not None else None, url=url,
            cost=str(cost) if cost is not None else None,
        ))
    return tuple(out)


def _build_module(item: RawItem, c: _Checker, ident: str) -> Module | None:
    hours = c.number("hours") if "hours" in item.data else None
    if hours is not None and not 0 < hours <= MAX_HOURS:
        c.fail(f"hours must be more than 0 and at most {MAX_HOURS:g} (got {hours:g})", "hours")
    kind = c.text("kind")
    if kind and kind not in MODULE_KINDS:
        c.fail(f"unknown kind '{kind}'{suggest(kind, MODULE_KINDS)}; use 'core' or 'elective'", "kind")
    skills_raw = item.data.get("skills", {})
    skills: dict[str, int] = {}
    if not isinstance(skills_raw, dict):
        c.fail("'skills' must map skill ids to levels 1-5", "skills")
    else:
        for skill, level in skills_raw.items():
            if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
                c.fail(f"skill '{skill}' level must be a whole number from 1 to 5 (got {level!r})",
                       "skills", str(skill))
                continue
            skills[str(skill)] = level
    practices = c.text_list("practices")
    prerequisites = c.text_list("prerequisites")
    outcomes = c.text_list("outcomes")
    resources = _build_resources(c)
    replaces = c.text("replaces") or None
    if c.problems or hours is None:
        return None
    return Module(
        id=ident, title=c.text("title"), stage=c.text("stage"), track=c.text("track") or None, hours=hours,
        kind=kind, skills=MappingProxyType(skills), practices=practices, prerequisites=prerequisites,
        outcomes=outcomes, resources=resources, replaces=replaces, body=item.body, origin=_origin(item),
    )


def _build_milestone(item: RawItem, c: _Checker, ident: str) -> Milestone | None:
    criteria = c.text_list("criteria")
    requires = c.text_list("requires")
    evidence = c.text("evidence")
    if c.problems:
        return None
    return Milestone(
        id=ident, title=c.text("title"), stage=c.text("stage"), criteria=criteria, requires=requires,
        evidence=evidence, body=item.body, origin=_origin(item),
    )


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


def _check_item(item: RawItem) -> tuple[Any, list[Problem]]:
    checker = _Checker(item)
    _check_keys(item, checker)
    ident = _check_id(item, checker)
    builders: dict[str, Callable[[RawItem, _Checker, str], Any]] = {
        "stage": _build_stage, "track": _build_stage, "module": _build_module, "milestone": _build_milestone,
    }
    if item.kind in builders:
        built = builders[item.kind](item, checker, ident)
    elif item.kind == "skill":
        built = Skill(ident, checker.text("title"), checker.text("description"), _origin(item))
    else:
        built = Practice(ident, checker.text("title"), _origin(item))
    return (None if checker.problems or not ident else built), checker.problems


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
                          f"{suggest(target_id, list(by_id))}", module.origin.line_of("replaces"))
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
            b.problem(module.origin, f"unknown stage '{module.stage}'{suggest(module.stage, list(b.stages))}",
                      module.origin.line_of("stage"))
        return False
    if module.track is not None and module.track not in b.tracks:
        if not b.from_disabled(module.track):
            b.problem(module.origin, f"unknown track '{module.track}'{suggest(module.track, list(b.tracks))}",
                      module.origin.line_of("track"))
        return False
    for skill in module.skills:
        if skill not in b.skills:
            b.problem(module.origin, f"unknown skill '{skill}'{suggest(skill, list(b.skills))}",
                      module.origin.line_of("skills", skill))
            ok = False
    for practice in module.practices:
        if practice not in b.practices:
            b.problem(module.origin, f"unknown practice '{practice}'{suggest(practice, list(b.practices))}",
                      module.origin.line_of("practices", _index_of(module.practices, practice)))
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
                              f"unknown prerequisite '{pre}'{suggest(pre, list(reported_ids))}", line)
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
                                  first.origin.line_of("prerequisites", _index_of(pres, cycle[1])))
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
                              f"installed{suggest(name, list(loaded))}; install it or remove the requirement")
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
            built, problems = _check_item(item)
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
                          f"{suggest(milestone.stage, list(b.stages))}", milestone.origin.line_of("stage"))
            continue
        missing = [r for r in milestone.requires
                   if b.aliases.get(r, r) not in valid and not b.from_disabled(r)]
        if missing:
            b.problem(milestone.origin, f"requires unknown module '{missing[0]}'"
                      f"{suggest(missing[0], list(valid))}",
                      milestone.origin.line_of("requires", _index_of(milestone.requires, missing[0])))
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


__all__ = ["build_catalog", "closest"]
