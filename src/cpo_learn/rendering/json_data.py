"""Turning catalog records into JSON-ready data (no click here); ``table`` is the plain-text table of
``rendering.text_table``, still importable from here."""

from __future__ import annotations

import json
from typing import Any

from cpo_learn.content.model import Milestone, Module, Resource, Stage
from cpo_learn.quantities import hours_number
from cpo_learn.rendering.text_table import table as table  # the one table rule lives there


def dumps(data: Any) -> str:
    """JSON as every ``--json`` option prints it: indented, UTF-8, stable key order as built.

    A character that is not printable (a control character, a bidi override, a lone surrogate) is written
    as its ``\\u`` escape: the same JSON to a reader, lossless, and inert on a terminal.
    """
    text = json.dumps(data, indent=2, ensure_ascii=False)
    if text.replace("\n", "").isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == "\n" else _json_escape(ch) for ch in text)


def _json_escape(ch: str) -> str:
    code = ord(ch)
    if code > 0xFFFF:  # JSON escapes a character beyond the BMP as a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def resource_json(resource: Resource) -> dict[str, Any]:
    """A resource as JSON."""
    return {
        "kind": resource.kind, "title": resource.title, "authors": list(resource.authors),
        "year": resource.year, "provider": resource.provider, "url": resource.url, "cost": resource.cost,
    }


def module_json(module: Module) -> dict[str, Any]:
    """A module as JSON (the fields of DESIGN section 7, and a few more)."""
    return {
        "id": module.id, "title": module.title, "stage": module.stage, "track": module.track,
        "hours": hours_number(module.hours, None), "kind": module.kind, "skills": dict(module.skills),
        "practices": list(module.practices), "prerequisites": list(module.prerequisites),
        "outcomes": list(module.outcomes), "resources": [resource_json(r) for r in module.resources],
        "replaces": module.replaces, "plugin": module.plugin, "weeks": module.weeks, "in_role": module.in_role,
        "habit": {"hours_per_week": module.habit.hours_per_week, "what": module.habit.what} if module.habit else None,
        "credited_by": _credited_by_json(module),
    }


def _credited_by_json(module: Module) -> dict[str, Any] | None:
    credit = module.credited_by
    if credit is None:
        return None
    return {"functions": list(credit.functions), "company_sizes": list(credit.company_sizes),
            "degree": list(credit.degree), "mba": credit.mba}


def milestone_json(milestone: Milestone) -> dict[str, Any]:
    """A milestone as JSON."""
    return {
        "id": milestone.id, "title": milestone.title, "stage": milestone.stage,
        "criteria": list(milestone.criteria), "requires": list(milestone.requires),
        "evidence": milestone.evidence, "plugin": milestone.plugin, "weeks": milestone.weeks,
        "in_role": milestone.in_role,
    }


def stage_json(stage: Stage) -> dict[str, Any]:
    """A stage or track as JSON."""
    return {
        "id": stage.id, "title": stage.title, "order": stage.order, "summary": stage.summary,
        "typical_years": stage.typical_years, "roles": list(stage.roles), "track": stage.is_track,
        "plugin": stage.origin.plugin,
    }
