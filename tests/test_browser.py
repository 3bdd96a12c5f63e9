"""A real browser loads the HTML curricula (an example and a hostile pack's) and no script runs in them.

Needs Debian's ``chromium`` (``apt-get install chromium``); skipped when it is not installed.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from hostile import generate_hostile

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
EXAMPLES = Path(__file__).resolve().parent.parent / "curricula" / "examples"
pytestmark = [pytest.mark.browser, pytest.mark.skipif(CHROMIUM is None, reason="needs headless chromium")]
CSP = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')


def dump_dom(page: Path, profile_dir: Path) -> str:
    """The DOM after the page loaded and its timers had a few (virtual) seconds to run."""
    assert CHROMIUM is not None
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile_dir}",
            "--virtual-time-budget=3000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "<html" in result.stdout, result.stderr[-2000:]
    return result.stdout


def title_of(dom: str) -> str:
    match = re.search(r"<title>(.*?)</title>", dom, re.DOTALL)
    assert match is not None
    return html.unescape(match.group(1))


def assert_no_script_ran(dom: str, expected_title: str) -> None:
    assert title_of(dom) == expected_title
    assert not re.search(r"<[a-z]+[^<>]*\bid=\"pwned\"", dom)
    assert "PWNED" not in title_of(dom)


def hostile_html(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("CPO_LEARN_LOAD_PLUGINS", raising=False)
    out = tmp_path / "eve.html"
    out.write_text(generate_hostile(tmp_path, "Eve", "html"), encoding="utf-8")
    return out


def test_example_page_loads_with_its_checkboxes(tmp_path: Path) -> None:
    page = EXAMPLES / "mid-level-pm.html"
    dom = dump_dom(page, tmp_path / "chromium")
    assert_no_script_ran(dom, "Curriculum for Mia Analyst")
    source = page.read_text()
    assert dom.count('type="checkbox"') == source.count('type="checkbox"') > 50
    assert "<progress" in dom


@pytest.mark.parametrize("keep_csp", [True, False], ids=["as-generated", "without-csp"])
def test_hostile_pack_runs_no_script(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, keep_csp: bool) -> None:
    page = hostile_html(tmp_path, monkeypatch)
    if not keep_csp:  # the sanitiser alone must be enough, so take the page's second line of defence away
        page.write_text(CSP.sub("", page.read_text()))
        assert "Content-Security-Policy" not in page.read_text()
    dom = dump_dom(page, tmp_path / "chromium")
    assert_no_script_ran(dom, "Curriculum for Eve")
    assert 'id="evil--xss"' in dom and 'id="evil--milestone"' in dom
    module = dom[dom.index('id="evil--xss"') :]
    assert re.search(r'<input type="checkbox" disabled=""', module)
