"""The optional fields ``isbn`` (resources), ``roles`` (modules) and ``replaces`` (milestones)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from cpo_learn.app.context import App
from cpo_learn.content.model import isbn13_ok
from helpers import Invoke, module_text

BOOK = "[{kind: book, title: Inspired, authors: [Marty Cagan], isbn: %s}]"


def milestone_text(ident: str, **fields: str) -> str:
    data = {"id": ident, "title": f"Did {ident}", "stage": "mid-level", "requires": "[mid-level/continuous-discovery]",
            "criteria": "[One, Two]", "evidence": "A memo"}
    data.update(fields)
    return "---\n" + "\n".join(f"{k}: {v}" for k, v in data.items()) + "\n---\nBody.\n"


def validate(run: Invoke, pack: Path) -> list[str]:
    return run("validate", str(pack)).stdout.strip().splitlines()


@pytest.mark.parametrize(("isbn", "ok"), [
    ("9781119387503", True), ("978-1-119-38750-3", True), ("9781119387504", False), ("978111938750", False),
    ("97811193875030", False), ("978111938750X", False), ("", False),
])
def test_isbn13_check_digit(isbn: str, ok: bool) -> None:
    assert isbn13_ok(isbn) is ok


def test_a_valid_isbn_is_kept_and_a_bad_check_digit_is_reported(run: Invoke, make_pack: Callable[..., Path]) -> None:
    make_pack("acme", {"good": module_text("acme/good", resources=BOOK % "978-1-119-38750-3")})
    catalog = App(plugins_dirs=["plugins"]).catalog()
    assert catalog.module("acme/good").resources[0].isbn == "9781119387503"
    bad = make_pack("bad", {"x": module_text("bad/x", resources=BOOK % "9781119387504")})
    lines = validate(run, bad)
    assert any("resource isbn '9781119387504' is not a valid ISBN-13" in line for line in lines), lines
    assert lines[0].startswith(f"{bad / 'modules' / 'x.md'}:")


def test_module_roles_must_be_roles_of_its_stage(run: Invoke, make_pack: Callable[..., Path]) -> None:
    make_pack("acme", {"lead": module_text("acme/lead", stage="leadership",
                                           roles="[Director of Product Management, VP of Product]")})
    catalog = App(plugins_dirs=["plugins"]).catalog()
    assert catalog.module("acme/lead").roles == ("Director of Product Management", "VP of Product")
    bad = make_pack("bad", {"x": module_text("bad/x", stage="leadership", roles="[VP of Products]")})
    lines = validate(run, bad)
    assert any("unknown role 'VP of Products' for stage 'leadership' (did you mean 'VP of Product'" in line
               for line in lines), lines


def test_a_milestone_replaces_merged_ids_and_they_resolve(run: Invoke, make_pack: Callable[..., Path]) -> None:
    make_pack("acme", milestones={
        "kept": milestone_text("acme/kept", replaces="[acme/gone, acme/overridden]"),
        "overridden": milestone_text("acme/overridden", title="Overridden"),
    })
    catalog = App(plugins_dirs=["plugins"]).catalog()
    assert catalog.problems == ()
    assert catalog.milestone("acme/gone").id == "acme/kept"  # merged: no file registers it any more
    assert catalog.milestone("acme/overridden").id == "acme/kept"  # still registered: it leaves the catalog
    assert "acme/overridden" not in catalog.milestones
    listed = [m["id"] for m in json.loads(run("--plugins-dir", "plugins", "milestones", "--json").stdout)]
    assert "acme/kept" in listed and "acme/gone" not in listed and "acme/overridden" not in listed


def test_a_milestone_cannot_replace_itself(run: Invoke, make_pack: Callable[..., Path]) -> None:
    pack = make_pack("acme", milestones={"m": milestone_text("acme/m", replaces="[acme/m]")})
    assert any("milestone 'acme/m' cannot replace itself" in line for line in validate(run, pack))


def test_a_module_moved_to_another_pack_keeps_its_old_id_resolving(make_pack: Callable[..., Path]) -> None:
    make_pack("acme", {"builder-story": module_text("acme/builder-story", replaces="elsewhere/builder-story")})
    catalog = App(plugins_dirs=["plugins"]).catalog()
    assert catalog.problems == ()
    assert catalog.module("elsewhere/builder-story").id == "acme/builder-story"
