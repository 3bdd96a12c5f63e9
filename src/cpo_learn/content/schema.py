"""The JSON Schema of the pack format, generated from the field rules the validator uses (``fields``).

``pack.schema.json`` beside this module is the generated schema as shipped (``cpo-learn schema`` prints it, a
test keeps it equal to ``schema_document()``); regenerate it with ``python -m cpo_learn.content.schema``. The
schema checks what one file can say on its own: keys, types, ranges, id forms, kinds. Whether a stage, skill or
prerequisite exists is for ``cpo-learn validate`` (or ``cpo-learn schema --installed``, which lists the
installed stages, tracks, skills and practices as the only values).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from cpo_learn.content.fields import (
    CREDIT_CHOICES,
    FULL_ID,
    KEYS,
    PACK_RULES,
    PLAIN_ID,
    REQUIRED,
    RESOURCE_KEYS,
    RESOURCE_REQUIRED,
    RESOURCE_RULES,
    RULES,
    Rule,
)
from cpo_learn.content.packs import PACK_KEYS, PACK_REQUIRED

SHIPPED = Path(__file__).with_name("pack.schema.json")
DIALECT = "https://json-schema.org/draft/2020-12/schema"
KINDS = ("module", "milestone", "stage", "track", "skill", "practice", "pack")
"""What ``cpo-learn schema KIND`` can print: one item kind's front matter, or pack.toml."""

_TEXT: dict[str, Any] = {"type": ["string", "number"], "pattern": r"\S"}
_NAME: dict[str, Any] = {"type": "string", "pattern": r"\S"}


def _one(rule: Rule, kind: str, names: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """The JSON Schema of a value that follows ``rule``."""
    allowed = list(names.get(rule.refers_to or "", ()))
    schema: dict[str, Any]
    if rule.type == "text" and rule.choices:
        schema = {"enum": list(rule.choices)}
    elif rule.type == "text":
        schema = {"type": "string", "pattern": rule.pattern} if rule.pattern else dict(_TEXT)
    elif rule.type in ("texts", "names"):
        item = {"enum": allowed} if allowed else (_NAME if rule.type == "names" else _TEXT)
        schema = {"anyOf": [item, {"type": "array", "items": item}]}
    elif rule.type in ("number", "whole"):
        schema = {"type": "number" if rule.type == "number" else "integer"}
        if rule.minimum is not None:
            schema["exclusiveMinimum" if rule.above else "minimum"] = rule.minimum
        if rule.maximum is not None:
            schema["maximum"] = rule.maximum
    elif rule.type == "levels":
        schema = {"type": "object",
                  "additionalProperties": {"type": "integer", "minimum": rule.minimum, "maximum": rule.maximum}}
        if allowed:
            schema["propertyNames"] = {"enum": allowed}
    elif rule.type == "statements":
        levels = [str(level) for level in range(int(rule.minimum or 1), int(rule.maximum or 5) + 1)]
        statement = {"type": "string", "minLength": 1}
        schema = {"anyOf": [
            {"type": "object", "properties": dict.fromkeys(levels, statement), "required": levels,
             "additionalProperties": False},
            {"type": "array", "items": statement, "minItems": len(levels), "maxItems": len(levels)}]}
    elif rule.type == "credits":
        lists = {key: {"anyOf": [{"enum": list(choices)}, {"type": "array", "items": {"enum": list(choices)}}]}
                 for key, choices in CREDIT_CHOICES.items()}
        schema = {"type": "object", "properties": {**lists, "mba": {"type": "boolean"}},
                  "additionalProperties": False, "minProperties": 1}
    elif rule.type == "resources":
        schema = {"type": "array", "items": {"$ref": "#/$defs/resource"}}
    elif rule.type == "id":
        pattern = FULL_ID if kind in ("module", "milestone") else PLAIN_ID
        schema = {"type": "string", "pattern": pattern.pattern}
    elif rule.type == "ref":
        schema = {"enum": allowed} if allowed else dict(_NAME)
    elif rule.type == "requires":
        schema = {"anyOf": [{"type": "array", "items": _NAME},
                            {"type": "object", "additionalProperties": {"type": "string"}}]}
    else:
        schema = {}
    return {"description": rule.description, **schema}


def _object(kind: str, keys: Sequence[str], required: Sequence[str], rules: Mapping[str, Rule],
            names: Mapping[str, Sequence[str]], title: str) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for key in keys:
        rule = rules.get(key)
        # A field the validator knows but that has no rule yet is accepted as anything, never left out.
        value = _one(rule, kind, names) if rule is not None else {"description": f"The '{key}' field."}
        if key not in required and value:
            value = {"description": value.pop("description"), "anyOf": [value, {"type": "null"}]}
        properties[key] = value
    return {"title": title, "type": "object", "properties": properties, "required": list(required),
            "additionalProperties": False}


def schema_document(names: Mapping[str, Sequence[str]] | None = None) -> dict[str, Any]:
    """The whole schema: ``$defs`` for every item kind, a resource and pack.toml.

    ``names`` (kind -> ids, e.g. ``{"stage": [...], "skill": [...]}``) makes those ids the only values of the
    fields that refer to them; without it any id of the right form is accepted.
    """
    names = names or {}
    defs: dict[str, Any] = {}
    for kind in KEYS:
        folder = "practices" if kind == "practice" else f"{kind}s"
        defs[kind] = _object(kind, KEYS[kind], REQUIRED[kind], RULES.get(kind, {}), names,
                             f"cpo-learn {kind} (front matter of a file in {folder}/)")
    defs["resource"] = _object("resource", RESOURCE_KEYS, RESOURCE_REQUIRED, RESOURCE_RULES, names,
                               "cpo-learn resource (an entry of a module's resources)")
    defs["pack"] = _object("pack", PACK_KEYS, PACK_REQUIRED, PACK_RULES, names, "cpo-learn pack.toml")
    return {
        "$schema": DIALECT,
        "title": "cpo-learn content pack",
        "description": "Front matter of a pack's Markdown files and its pack.toml (generated from the rules "
                       "'cpo-learn validate' uses). 'cpo-learn schema KIND' prints the schema of one kind.",
        "anyOf": [{"$ref": f"#/$defs/{kind}"} for kind in KINDS],
        "$defs": defs,
    }


def schema_for(document: Mapping[str, Any], kind: str | None) -> dict[str, Any]:
    """The document, or the schema of one kind (the document with its top level pointing at that kind)."""
    if kind is None:
        return dict(document)
    return {**document, "title": document["$defs"][kind]["title"], "anyOf": [{"$ref": f"#/$defs/{kind}"}]}


def dumps(document: Mapping[str, Any]) -> str:
    """The schema as the shipped file holds it."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def shipped_text() -> str:
    """The shipped ``pack.schema.json``."""
    return SHIPPED.read_text(encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover - the maintainers' regeneration step
    SHIPPED.write_text(dumps(schema_document()), encoding="utf-8")
    print(f"wrote {SHIPPED}")
