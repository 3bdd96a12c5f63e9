"""The docs keep up with the code: every hook and every front-matter field is documented."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import cpo_learn.api
import cpo_learn.testing
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


def section(page: str, heading: str) -> str:
    """The text of one ``## heading`` section of a docs page."""
    text = (DOCS / page).read_text(encoding="utf-8")
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


@pytest.mark.parametrize("name", sorted(cpo_learn.testing.__all__))
def test_every_testing_helper_is_documented_in_the_testing_guide(name: str) -> None:
    assert f"`{name}" in section("plugins.md", "Testing plugins"), name


def test_the_testing_guide_example_passes(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    block = re.search(r"```python\n(.*?)```", section("plugins.md", "Testing plugins"), flags=re.S)
    assert block is not None
    (tmp_path / "test_guide_example.py").write_text(block.group(1), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CPO_LEARN_")}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_guide_example.py"],
                          capture_output=True, text=True, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 passed" in done.stdout


def test_the_publishing_guide_names_the_four_names_and_both_build_backends() -> None:
    text = section("plugins.md", "Publishing a plugin")
    for name in ("distribution", "entry point", "pack name", "namespace", "hatchling", "setuptools", "--strict"):
        assert name in text, name


def test_the_stability_promise_covers_the_hooks_and_every_public_module() -> None:
    text = section("plugins.md", "The stability promise")
    for part in ("hooks.md", "`cpo_learn.api`", "`cpo_learn.testing`", "minor release", "major release"):
        assert part in text, part


@pytest.mark.parametrize("name", sorted(cpo_learn.api.__all__))
def test_every_public_api_name_is_documented(name: str) -> None:
    assert f"`{name}" in section("plugins.md", "The public API"), name


def test_packs_md_documents_the_authoring_tools_and_the_schema_line() -> None:
    text = section("packs.md", "Authoring tools")
    for part in ("cpo-learn vocabulary", "cpo-learn preview", "cpo-learn schema",
                 "# yaml-language-server: $schema="):
        assert part in text, part
