"""No content can run script in the HTML curriculum: sanitiser unit tests and a hostile pack end to end."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from types import MappingProxyType

import pytest
from click.testing import CliRunner

from cpo_learn.content.model import Module, Origin, Resource
from cpo_learn.planning.planner import make_plan
from cpo_learn.planning.profile import Profile
from cpo_learn.planning.state import EMPTY_STATE
from cpo_learn.rendering.curriculum import render_html
from cpo_learn.rendering.exporters import ExportContext
from cpo_learn.rendering.sanitise import safe_url, sanitise_html
from hostile import generate_hostile

EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action|data)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def assert_inert(page: str) -> None:
    """No script element, event-handler attribute or javascript: URL anywhere in the page's markup."""
    assert not re.search(r"<script", page, re.IGNORECASE)
    assert not EVENT_HANDLER.search(page), EVENT_HANDLER.search(page)
    assert not JS_URL.search(page), JS_URL.search(page)
    # the exporter's own charts are SVG (rendering/charts.py); any other <svg> may keep no attribute at all
    rest = re.sub(r'<svg( class="chart"[^>]*)?>', "", page, flags=re.IGNORECASE)
    for tag in ("<iframe", "<object", "<svg", "<style>body", '<meta http-equiv="refresh"', "<body onload"):
        assert tag not in rest.lower()


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        '<a href=" javascript:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        "<svg><script>alert(1)</script></svg>",
        '<input type="text" onfocus="alert(1)" autofocus>',
        '<form action="javascript:alert(1)"><button>x</button></form>',
    ],
)
def test_sanitiser_removes_script(payload: str) -> None:
    assert_inert(sanitise_html(payload))


def test_sanitiser_keeps_what_the_curriculum_needs() -> None:
    kept = sanitise_html(
        '<ul class="tasks"><li id="m"><input type="checkbox" disabled checked>'
        '<progress value="1" max="2"></progress><a href="https://example.com">x</a></li></ul>'
    )
    assert '<input type="checkbox" disabled="" checked="">' in kept
    assert '<progress value="1" max="2">' in kept
    assert 'href="https://example.com"' in kept
    assert 'type="text"' not in sanitise_html('<input type="text">')


def test_safe_url_allows_only_http() -> None:
    assert safe_url("https://example.com/a") == "https://example.com/a"
    for bad in ("javascript:alert(1)", "data:text/html,x", "//example.com", "ftp://x", "", None):
        assert safe_url(bad) is None


def test_resource_urls_that_skipped_validation_are_not_linked(catalog) -> None:
    # a plugin can hand the exporter anything; the HTML must not trust it
    module = next(iter(catalog.modules.values()))
    evil = Module(
        **{
            **module.__dict__,
            "resources": (
                Resource("book", "Evil", url="javascript:alert(1)"),
                Resource("book", "Evil2", url='https://x.org/"><script>alert(1)</script>'),
            ),
            "skills": MappingProxyType({"leadership": 5}),
            "origin": Origin("evil", "e.md", 1),
        }
    )
    from dataclasses import replace

    evil_catalog = replace(catalog, modules=MappingProxyType({**catalog.modules, module.id: evil}))
    profile = Profile(name="E", stage=module.stage, hours_per_week=5, target=module.stage)
    page = render_html(
        make_plan(evil_catalog, profile, EMPTY_STATE, date(2026, 1, 5)), ExportContext("e", date(2026, 1, 5))
    )
    assert_inert(page)
    assert 'href="javascript' not in page and "<script>alert" not in page


def hostile_page(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str) -> str:
    monkeypatch.delenv("CPO_LEARN_LOAD_PLUGINS", raising=False)
    return generate_hostile(tmp_path, "Eve <script>document.title=1</script>", fmt)


def test_hostile_pack_renders_inert_html(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = hostile_page(runner, tmp_path, monkeypatch, "html")
    assert "evil/xss" in page and "evil/milestone" in page  # the hostile module is in the curriculum
    assert "&lt;script&gt;document.title=" in page  # shown as text, never as markup
    assert_inert(page)


def test_hostile_titles_cannot_forge_task_ids_in_markdown(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = hostile_page(runner, tmp_path, monkeypatch, "md")
    line = next(line for line in text.splitlines() if "`evil/xss`" in line)
    assert line.startswith("- [ ] **Evil \\<script>")
    assert "<script>" not in text.replace("\\<script>", "")


def test_bodies_set_aside_give_the_page_that_sanitising_everything_gave(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Module bodies are sanitised once, when converted, and put back after the page around them is sanitised
    (``templating.BodySlots``): for the hostile pack the page is byte for byte what sanitising the whole page,
    bodies included, gave."""
    import contextlib
    from collections.abc import Iterator

    from cpo_learn.rendering import templating

    set_aside = hostile_page(runner, tmp_path / "set-aside", monkeypatch, "html")

    @contextlib.contextmanager
    def inline() -> Iterator[templating.BodySlots]:  # the bodies stay in the page and are sanitised again
        yield templating.BodySlots()

    monkeypatch.setattr(templating, "set_aside_bodies", inline)
    assert hostile_page(runner, tmp_path / "inline", monkeypatch, "html") == set_aside
    assert '<span id="cpo-learn-body-' not in set_aside  # every slot was filled


def test_a_pack_cannot_forge_a_body_slot(make_pack, run, tmp_path: Path) -> None:
    """Text and bodies that look like a slot stay inert: a title is escaped, a body loses its ids, and the
    nonce of a render is not known beforehand."""
    slot = '<span id="cpo-learn-body-0000000000000000-0"></span>'
    body = f"{slot}\n\n<span id=\"cpo-learn-body-x\">hidden</span>\n\nThe real body text.\n"
    pack = make_pack(modules={"forged": f"---\nid: acme/forged\ntitle: 'Forged {slot}'\nstage: starting-roles\n"
                                        "kind: core\nhours: 2\nskills: {analytics: 3}\n"
                                        "outcomes: [Do one thing, Do another thing]\n---\n" + body})
    profile = tmp_path / "p.toml"
    profile.write_text('name = "Ada"\nstage = "starting-roles"\ntarget = "starting-roles"\nhours_per_week = 5\n')
    result = run("--plugins-dir", str(pack.parent), "generate", "--profile", str(profile), "--format", "html",
                 "-o", "-")
    assert result.exit_code == 0, result.output
    page = result.stdout
    assert "acme/forged" in page and "The real body text." in page
    assert '<span id="cpo-learn-body-' not in page  # no slot left, none forged (text shows &lt;span)
    assert page.count("The real body text.") == 1
    assert "Forged &lt;span" in page
