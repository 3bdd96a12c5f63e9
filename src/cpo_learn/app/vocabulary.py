"""What ``cpo-learn vocabulary`` shows: every value a front-matter field may name, with what it means.

Skills, practices, stages and tracks come from the catalog (so a pack's own appear, and so do whatever
descriptions or level statements a skill carries); module kinds, resource kinds, costs and the names
``credited_by`` may use (functions, company sizes, degrees) from the field rules the validator uses. Each stage
says which skill levels its modules bring learners to, as guidance for authors.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from typing import Any

from cpo_learn.content.catalog import Catalog
from cpo_learn.content.fields import CREDIT_CHOICES, RESOURCE_RULES, RULES
from cpo_learn.content.model import Origin

KIND_MEANINGS = {
    "core": "everyone on the module's stage does it",
    "elective": "chosen for a learner by the gaps in their skill ratings",
}


def _plain(value: Any) -> Any:
    """A record's value as JSON-ready data (tuples and mappings as lists and objects)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)
                if not isinstance(getattr(value, f.name), Origin)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _record(item: Any) -> dict[str, Any]:
    """Every field of a skill or practice but its origin, plus the plugin that registered it: a field added
    to the model later (a skill's level statements) shows without a change here."""
    data = {f.name: _plain(getattr(item, f.name)) for f in fields(item)
            if not isinstance(getattr(item, f.name), Origin)}
    data["plugin"] = item.origin.plugin
    return data


def _levels(catalog: Catalog, stage_id: str) -> dict[str, int] | None:
    levels = [level for m in catalog.modules.values() if m.stage == stage_id for level in m.skills.values()]
    if not levels:
        return None
    return {"lowest": min(levels), "highest": max(levels), "usual": statistics.median_low(levels)}


def vocabulary(catalog: Catalog) -> dict[str, Any]:
    """Everything a front-matter field may name, as JSON-ready data."""
    def stage(s: Any) -> dict[str, Any]:
        data: dict[str, Any] = {"id": s.id, "title": s.title, "order": s.order, "summary": s.summary,
                                "typical_years": s.typical_years, "plugin": s.origin.plugin}
        if not s.is_track:
            data["skill_levels"] = _levels(catalog, s.id)
        return data

    module_rules = RULES["module"]
    return {
        "stages": [stage(s) for s in catalog.stages],
        "tracks": [stage(s) for s in catalog.tracks],
        "skills": [_record(s) for s in catalog.skills.values()],
        "practices": [_record(p) for p in catalog.practices.values()],
        "module_kinds": [{"id": k, "meaning": KIND_MEANINGS.get(k, "")} for k in module_rules["kind"].choices],
        "resource_kinds": list(RESOURCE_RULES["kind"].choices),
        "costs": list(RESOURCE_RULES["cost"].choices),
        "credited_by": {key: list(choices) for key, choices in CREDIT_CHOICES.items()},
    }


def vocabulary_text(data: dict[str, Any]) -> str:
    """The vocabulary as text for a terminal: one section per thing a field may name."""
    lines = ["Stages (module and milestone 'stage'), in path order:"]
    for s in data["stages"]:
        levels = s.get("skill_levels")
        guide = ""
        if levels and levels["lowest"] == levels["highest"]:
            guide = f"; its modules bring skills to level {levels['usual']}"
        elif levels:
            guide = (f"; its modules bring skills to level {levels['lowest']}-{levels['highest']}, usually "
                     f"{levels['usual']}")
        lines.append(f"  {s['id']:<22} {s['title']} ({s['typical_years'] or '?'} years){guide}")
    lines += ["", "Tracks (module 'track'):"]
    lines += [f"  {t['id']:<22} {t['title']}" for t in data["tracks"]]
    lines += ["", "Skills (module 'skills': skill id -> level 1-5 the module brings the learner to):"]
    for skill in data["skills"]:
        lines.append(f"  {skill['id']:<22} {skill['title']}: {skill.get('description') or ''}".rstrip(": "))
        for key, value in skill.items():
            if key in ("id", "title", "description", "plugin") or not value:
                continue
            if isinstance(value, dict):
                lines += [f"      {key} {k}: {v}" for k, v in value.items()]
            elif isinstance(value, list):
                lines += [f"      {key} {n}: {v}" for n, v in enumerate(value, 1)]
            else:
                lines.append(f"      {key}: {value}")
    lines += ["", "Practices (module 'practices'):"]
    for practice in data["practices"]:
        meaning = practice.get("description") or ""
        lines.append(f"  {practice['id']:<32} {practice['title']}" + (f": {meaning}" if meaning else ""))
    lines += ["", "Module kinds ('kind'):"]
    lines += [f"  {k['id']:<22} {k['meaning']}" for k in data["module_kinds"]]
    lines += ["", "Resource kinds (resource 'kind'): " + ", ".join(data["resource_kinds"]),
              "Costs (resource 'cost'): " + ", ".join(data["costs"]),
              "", "What may credit a module ('credited_by'; any one is enough, and 'mba: true' too):"]
    lines += [f"  {key:<22} {', '.join(names)}" for key, names in data["credited_by"].items()]
    return "\n".join(lines)
