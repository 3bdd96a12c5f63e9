"""The docs keep up with the code: every hook and every front-matter field is documented."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from cpo_learn.content.fields import KEYS, RESOURCE_KEYS
from cpo_learn.content.packs import PACK_KEYS
from cpo_learn.host import hookspecs

DOCS = Path(__file__).resolve().parents[1] / "docs"


def hook_signatures() -> list[str]:
    out = []
    for name in hookspecs.HOOK_NAMES:
        function = getattr(hookspecs, name)
        params = ", ".join(inspect.signature(function).parameters)
        out.append(f"{name}({params})")
    return out


@pytest.mark.parametrize("signature", hook_signatures())
def test_every_hook_has_a_heading_with_its_signature(signature: str) -> None:
    headings = re.findall(r"^## (.+)$", (DOCS / "hooks.md").read_text(encoding="utf-8"), flags=re.M)
    assert signature in headings


def test_every_hookspec_is_listed_and_documented() -> None:
    declared = sorted(n for n, f in vars(hookspecs).items() if n.startswith("cpo_learn_") and callable(f))
    assert declared == sorted(hookspecs.HOOK_NAMES)
    for name in declared:
        assert (getattr(hookspecs, name).__doc__ or "").strip(), name


FIELDS = sorted({*(k for keys in KEYS.values() for k in keys), *RESOURCE_KEYS, *PACK_KEYS})


@pytest.mark.parametrize("field", FIELDS)
def test_every_front_matter_field_is_documented(field: str) -> None:
    text = (DOCS / "packs.md").read_text(encoding="utf-8")
    assert re.search(rf"^\| `{re.escape(field)}` \|", text, flags=re.M) or f"`{field}`" in text
