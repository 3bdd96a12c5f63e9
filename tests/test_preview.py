"""``cpo-learn preview``: a pack's modules and milestones as a learner sees them, without any learner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from helpers import Invoke, module_text

MILESTONE = "---\nid: acme/m\ntitle: Ran a review\nstage: mid-level\ncriteria: [Held it]\nrequires: [acme/a]\n" \
            "evidence: The notes\n---\n"


def test_preview_of_a_pack_renders_its_modules_and_milestones_without_a_learner(
        run: Invoke, make_pack: Callable[..., Path], home: Path) -> None:
    text = module_text("acme/a", title="Run a data review", outcomes="[Decide one thing]")
    pack = make_pack("acme", {"a": text}, milestones={"m": MILESTONE})
    result = run("preview", str(pack))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("# Preview: pack acme\n")
    assert "## Stage 3: " in out and "### Modules" in out and "### Milestones" in out
    assert "- [ ] **Run a data review** · 4 h · `acme/a` · core · dated for each learner" in out
    assert "brings Analytical skills to 3" in out and "  - Outcomes: Decide one thing" in out
    assert "<details><summary>About this module</summary>" in out and "## Why it matters" in out
    assert "- [ ] **Ran a review** · milestone · `acme/m`" in out and "Builds on: Run a data review" in out
    assert "mid-level/continuous-discovery" not in out  # only the pack's own items
    assert not home.exists() or not any(home.rglob("*.json"))  # no learner was made or needed


def test_preview_html_is_a_sanitised_standalone_page(run: Invoke, make_pack: Callable[..., Path]) -> None:
    text = module_text("acme/a").replace("Because.", "Because.\n\n<script>alert(1)</script>")
    pack = make_pack("acme", {"a": text})
    result = run("preview", str(pack), "--format", "html")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>") and "<h1>Preview: pack acme</h1>" in result.stdout
    assert "<script" not in result.stdout
    assert 'id="acme--a"' in result.stdout


def test_preview_by_id_and_to_a_file(run: Invoke, tmp_path: Path) -> None:
    module = run("preview", "mid-level/continuous-discovery")
    assert module.exit_code == 0 and "`mid-level/continuous-discovery`" in module.stdout
    track = run("preview", "mentorship")
    assert track.exit_code == 0 and "## Track: " in track.stdout
    out = tmp_path / "cpo.html"
    written = run("preview", "cpo", "--format", "html", "-o", str(out))
    assert written.exit_code == 0 and out.read_text("utf-8").startswith("<!DOCTYPE html>")


def test_preview_of_a_pack_with_problems_shows_the_valid_items_and_one_warning(
        run: Invoke, make_pack: Callable[..., Path]) -> None:
    pack = make_pack("acme", {"a": module_text("acme/a"), "b": module_text("acme/b", hours=-1)})
    result = run("preview", str(pack))
    assert result.exit_code == 0
    assert "`acme/a`" in result.stdout and "`acme/b`" not in result.stdout
    assert len(result.stderr.strip().splitlines()) == 1 and "cpo-learn validate" in result.stderr


def test_preview_of_an_unknown_id_is_one_line(run: Invoke) -> None:
    result = run("preview", "mid-level/continous-discovery")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "did you mean 'mid-level/continuous-discovery'" in result.stderr
