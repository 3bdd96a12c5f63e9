"""The HTML curriculum in a real (headless) Chromium: nothing wider than the screen at 1280 and 390 px, the SVG
charts drawn, no script, and the README learner's page printing on at most 20 pages.

Screenshots are kept as test artefacts in ``tests/artifacts/`` (gitignored). Needs Debian's ``chromium``;
skipped cleanly when it is not installed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from browser_page import CHROMIUM, Browser, print_pages
from test_layout import README_LEARNER, TODAY

pytestmark = [pytest.mark.browser, pytest.mark.skipif(CHROMIUM is None, reason="needs headless chromium")]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
EXAMPLES = Path(__file__).resolve().parent.parent / "curricula" / "examples"
PRINT_PAGES = 20


@pytest.fixture
def ada_html(run: Any, tmp_path: Path) -> Path:
    """The README learner's HTML curriculum."""
    assert run(*README_LEARNER).exit_code == 0
    page = tmp_path / "ada.html"
    assert run("generate", "--today", TODAY, "--format", "html", "-o", str(page)).exit_code == 0
    return page


@pytest.mark.parametrize("name", ["ada", *sorted(p.stem for p in EXAMPLES.glob("*.html"))])
def test_the_page_fits_the_screen_at_1280_and_390_px(name: str, request: pytest.FixtureRequest,
                                                       tmp_path: Path) -> None:
    page = request.getfixturevalue("ada_html") if name == "ada" else EXAMPLES / f"{name}.html"
    ARTIFACTS.mkdir(exist_ok=True)
    with Browser(tmp_path / "chromium") as browser:
        for width in (1280, 390):
            browser.open(page, width)
            scroll_width = browser.evaluate("document.documentElement.scrollWidth")
            assert scroll_width <= width, f"{name} at {width} px is {scroll_width} px wide"
            charts = browser.evaluate(
                "[...document.querySelectorAll('svg.chart')].map(s => s.getBoundingClientRect().width)")
            assert len(charts) == 3 and all(0 < w <= width for w in charts)
            assert browser.evaluate("document.scripts.length") == 0
            browser.screenshot(ARTIFACTS / f"{name}-{width}.png")
        browser.open(page, 1280)
        nav = browser.evaluate("getComputedStyle(document.querySelector('nav.stage-nav')).position")
        assert nav == "sticky"


def test_the_readme_learner_prints_on_at_most_twenty_pages(ada_html: Path, tmp_path: Path) -> None:
    pages = print_pages(ada_html, tmp_path / "ada.pdf", tmp_path / "chromium")
    assert 0 < pages <= PRINT_PAGES
