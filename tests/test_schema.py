"""The JSON Schema of the pack format: current, complete, and agreeing with the validator on real files.

The schema is generated from the field rules of ``cpo_learn.content.fields``; these tests check it with the
``jsonschema`` library against every pack file that ships with cpo-learn and against the invalid cases of
``test_validate.py``.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from cpo_learn.content.fields import KEYS, RESOURCE_KEYS
from cpo_learn.content.packs import FOLDERS, PACK_KEYS, split_front_matter
from cpo_learn.content.schema import SHIPPED, dumps, schema_document
from helpers import Invoke, module_text
from test_validate import MODULE_CASES, PACK_TOML_CASES

ROOT = Path(__file__).resolve().parents[1]
PACKS = sorted({*ROOT.glob("plugins/*/pack"), *ROOT.glob("examples/*/src/*/pack")})
FILES = [(folder_kind, path) for pack in PACKS for folder, folder_kind in FOLDERS.items()
         for path in sorted((pack / folder).glob("*.md"))]
# What only the whole catalog can tell: whether a prerequisite exists, and the pack's namespace.
NEEDS_THE_CATALOG = ("unknown prerequisite", "must start with the pack's namespace")
# Rejected once the schema lists the installed ids (cpo-learn schema --installed).
NEEDS_INSTALLED_IDS = ("unknown stage", "unknown track", "unknown skill", "unknown practice")


def front_matter(text: str) -> Any:
    return yaml.safe_load(split_front_matter(text)[0])


def validator(run: Invoke, kind: str, *options: str) -> jsonschema.Draft202012Validator:
    result = run("schema", kind, *options)
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_shipped_schema_is_current() -> None:
    assert SHIPPED.read_text(encoding="utf-8") == dumps(schema_document()), (
        "src/cpo_learn/content/pack.schema.json is out of date: run 'python -m cpo_learn.content.schema'")


def test_cpo_learn_schema_prints_the_shipped_file(run: Invoke) -> None:
    result = run("schema")
    assert result.exit_code == 0
    assert result.stdout == SHIPPED.read_text(encoding="utf-8")


def test_every_field_the_validator_knows_is_in_the_schema() -> None:
    defs = schema_document()["$defs"]
    for kind, keys in KEYS.items():
        assert sorted(defs[kind]["properties"]) == sorted(keys), kind
    assert sorted(defs["resource"]["properties"]) == sorted(RESOURCE_KEYS)
    assert sorted(defs["pack"]["properties"]) == sorted(PACK_KEYS)


def test_the_schema_accepts_every_built_in_pack_file(run: Invoke) -> None:
    assert len(FILES) > 100
    validators = {kind: validator(run, kind) for kind in {kind for kind, _ in FILES} | {"pack"}}
    for kind, path in FILES:
        errors = [e.message for e in validators[kind].iter_errors(front_matter(path.read_text("utf-8")))]
        assert errors == [], f"{path}: {errors}"
    for pack in PACKS:
        data = tomllib.loads((pack / "pack.toml").read_text("utf-8"))
        assert list(validators["pack"].iter_errors(data)) == [], pack


def test_the_schema_accepts_what_the_scaffold_writes(run: Invoke, tmp_path: Path) -> None:
    run("plugin", "new", "acme-data", "--dir", str(tmp_path))
    pack = tmp_path / "acme-data" / "src" / "cpo_learn_acme_data" / "pack"
    for folder, kind in (("modules", "module"), ("milestones", "milestone")):
        for path in (pack / folder).glob("*.md"):
            validator(run, kind).validate(front_matter(path.read_text("utf-8")))
    validator(run, "pack").validate(tomllib.loads((pack / "pack.toml").read_text("utf-8")))


@pytest.mark.parametrize(("fields", "line", "message"), MODULE_CASES)
def test_the_schema_rejects_each_invalid_module_case(run: Invoke, fields: dict[str, object], line: int,
                                                    message: str) -> None:
    data = front_matter(module_text("acme/advanced", **fields))
    if any(what in message for what in NEEDS_THE_CATALOG):
        assert validator(run, "module").is_valid(data)  # only 'cpo-learn validate' can tell
    elif any(what in message for what in NEEDS_INSTALLED_IDS):
        assert validator(run, "module").is_valid(data)
        assert not validator(run, "module", "--installed").is_valid(data), message
    else:
        assert not validator(run, "module").is_valid(data), message


@pytest.mark.parametrize(("toml", "message"), PACK_TOML_CASES)
def test_the_schema_rejects_each_invalid_pack_toml_case(run: Invoke, toml: str, message: str) -> None:
    try:
        data = tomllib.loads(toml)
    except tomllib.TOMLDecodeError:
        return  # not TOML at all: nothing for a schema to check
    assert not validator(run, "pack").is_valid(data), message


def test_the_schema_rejects_front_matter_that_is_not_a_mapping(run: Invoke) -> None:
    assert not validator(run, "module").is_valid(["a list"])
