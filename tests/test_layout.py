"""Curricula that lead with now (issue 14): the Markdown's order, length and folds, sync through folded and
repeated lines, the path diagram's nodes, milestones in date order, and the SVG pictures of the HTML.

The browser checks (widths at 1280 and 390 px, screenshots, print pages) are in tests/test_layout_browser.py.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from cpo_learn.tracking.sync import task_lines

README_LEARNER = ("init", "--name", "Ada", "--stage", "starting-roles", "--hours", "6", "--skill", "analytics=4",
                  "--skill", "empathy=3", "--degree", "engineering", "--company-size", "startup",
                  "--function", "engineering", "--start", "2026-12-01")
TODAY = "2026-12-01"
MARKDOWN_LINES = 600


@pytest.fixture
def ada(run: Any) -> str:
    """The README's learner."""
    assert run(*README_LEARNER).exit_code == 0
    return "ada"


def generate(run: Any, fmt: str, today: str = TODAY) -> str:
    result = run("generate", "--today", today, "--format", fmt, "-o", "-")
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def test_the_markdown_leads_with_the_summary_then_the_next_four_weeks_then_the_path(ada: str, run: Any) -> None:
    text = generate(run, "md")
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings[:3] == ["## Summary", "## The next four weeks", "## The path"]
    assert headings[3].startswith("## Stage ")
    soon = text.split("## The next four weeks", 1)[1].split("## The path", 1)[0]
    plan = json.loads(generate(run, "json"))
    in_window = [m for s in plan["stages"] for m in s["modules"]
                 if any(w["week"] <= 4 for w in m["weeks"])]
    assert in_window, "the README learner has work in her first four weeks"
    for module in in_window:  # each as a task line with its hours in these weeks
        assert re.search(rf"^- \[ \] .*`{re.escape(module['id'])}`.* h in these weeks$", soon, re.MULTILINE)


@pytest.mark.parametrize("today", [TODAY, "2027-06-01", "2028-03-01"])
def test_the_readme_learners_markdown_is_short_and_loses_no_task(ada: str, run: Any, today: str) -> None:
    text = generate(run, "md", today)
    assert len(text.splitlines()) < MARKDOWN_LINES
    plan = json.loads(generate(run, "json", today))
    listed = {m["id"] for s in plan["stages"] for m in s["modules"] if m["status"] != "waived"}
    milestones = {m["id"] for s in plan["stages"] for m in s["milestones"]}
    assert listed | milestones <= {t.id for t in task_lines(text)}  # every one keeps its task line for sync


def test_modules_beyond_twelve_months_are_one_line_with_their_details_folded(ada: str, run: Any) -> None:
    text = generate(run, "md")
    plan = json.loads(generate(run, "json"))
    horizon = date(2027, 12, 1)
    modules = [m for s in plan["stages"] for m in s["modules"] if m["status"] != "waived"]
    far = [m for m in modules if m["start"] and date.fromisoformat(m["start"]) > horizon]
    near = [m for m in modules if m["start"] and date.fromisoformat(m["start"]) <= horizon]
    assert far and near
    lines = text.splitlines()
    for module in far:
        [number] = [i for i, line in enumerate(lines) if line.startswith("- [") and f"`{module['id']}`" in line
                    and "in these weeks" not in line]
        line = lines[number]
        assert "<details><summary>" in line and line.endswith("</details>"), line
        assert "Why: " in line
        assert not lines[number + 1].startswith("  - "), "a folded module has no indented detail lines"
    for module in near:
        [number] = [i for i, line in enumerate(lines) if line.startswith("- [") and f"`{module['id']}`" in line
                    and "in these weeks" not in line]
        assert "<details>" not in lines[number] and lines[number + 1].startswith("  - Why: ")


def test_sync_reads_a_tick_on_a_folded_module_and_on_either_copy_of_a_soon_one(ada: str, run: Any,
                                                                                 tmp_path: Path) -> None:
    path = tmp_path / "ada.md"
    assert run("generate", "--today", TODAY, "-o", str(path)).exit_code == 0
    text = path.read_text(encoding="utf-8")
    folded = next(line for line in text.splitlines() if line.startswith("- [ ]") and "<details>" in line)
    folded_id = re.search(r"`([a-z0-9-]+/[a-z0-9-]+)`", folded)
    assert folded_id is not None
    soon_line = next(line for line in text.split("## The next four weeks", 1)[1].splitlines()
                     if line.startswith("- [ ]"))
    soon_id = re.search(r"`([a-z0-9-]+/[a-z0-9-]+)`", soon_line)
    assert soon_id is not None
    # tick the folded module, and the soon module in "The next four weeks" only (its stage line stays unticked)
    edited = text.replace(folded, folded.replace("- [ ]", "- [x]", 1), 1)
    edited = edited.replace(soon_line, soon_line.replace("- [ ]", "- [x]", 1), 1)
    path.write_text(edited, encoding="utf-8")
    result = run("sync", str(path))
    assert result.exit_code == 0, result.output
    assert f"recorded: completed {folded_id.group(1)}" in result.stdout
    assert f"recorded: completed {soon_id.group(1)}" in result.stdout
    done = {e["target"] for e in json.loads(run("log", "--json").stdout) if e["type"] == "completed"}
    assert done == {folded_id.group(1), soon_id.group(1)}
    # generated again, both are ticked on every line they have, and a second sync records nothing
    assert run("generate", "--today", TODAY, "-o", str(path), "--force").exit_code == 0
    again = path.read_text(encoding="utf-8")
    for item in done:
        boxes = {t.ticked for t in task_lines(again) if t.id == item}
        assert boxes == {True}
    assert "nothing new to record" in run("sync", str(path)).stdout


def mermaid_block(text: str) -> str:
    return text.split("```mermaid\n", 1)[1].split("```", 1)[0]


@pytest.mark.parametrize("stage", ["education", "starting-roles", "mid-level", "leadership"])
def test_the_path_diagram_has_one_box_per_stage_and_at_most_one_milestone_node_each(run: Any, stage: str) -> None:
    assert run("init", "--name", "Kim", "--stage", stage, "--hours", "5").exit_code == 0
    diagram = mermaid_block(generate(run, "md"))
    plan = json.loads(generate(run, "json"))
    assert "flowchart LR" in diagram.splitlines()
    groups = re.findall(r"subgraph (g\d+) \[\" \"\]\n(.*?)\n    end", diagram, re.DOTALL)
    shown = [s for s in plan["stages"] if s["modules"] or s["milestones"]]
    assert len(groups) >= 1 and len(groups) <= len(shown)
    for name, body in groups:
        index = name[1:]
        nodes = re.findall(r"^    ([sm]\d+)[\[(]", body, re.MULTILINE)
        assert nodes.count(f"s{index}") == 1
        assert nodes.count(f"m{index}") <= 1 and set(nodes) <= {f"s{index}", f"m{index}"}
    for s in shown:
        if s["milestones"] and any(n in diagram for n in (s["title"][:12],)):
            assert f"{len(s['milestones'])} milestone" in diagram.replace("<br/>", " ")


def test_milestones_are_in_date_order_in_json_markdown_and_html(ada: str, run: Any) -> None:
    plan = json.loads(generate(run, "json"))
    md, html = generate(run, "md"), generate(run, "html")
    for stage in plan["stages"]:
        dues = [m["due"] for m in stage["milestones"] if m["due"]]
        assert dues == sorted(dues), stage["id"]
        ids = [m["id"] for m in stage["milestones"]]
        for text in (md, html):
            positions = [text.index(f"{i}`" if text is md else f'id="{i.replace("/", "--")}"') for i in ids]
            assert positions == sorted(positions)


def test_an_achieved_milestone_comes_first_and_ready_ones_before_dated(run: Any) -> None:
    assert run("init", "--name", "Bo", "--stage", "starting-roles", "--target", "mid-level",
               "--hours", "6").exit_code == 0
    first = json.loads(generate(run, "json"))["stages"][1]["milestones"]
    last = first[-1]["id"]
    assert run("achieve", last, "--evidence", "done early").exit_code == 0
    after = json.loads(generate(run, "json"))["stages"][1]["milestones"]
    assert after[0]["id"] == last and after[0]["status"] == "achieved"
    dues = [m["due"] for m in after[1:]]
    assert [d for d in dues if d] == sorted(d for d in dues if d)
    assert dues.index(None) < dues.index(next(d for d in dues if d)) if None in dues and any(dues) else True


def test_the_html_draws_its_charts_as_inline_svg_and_runs_no_script(ada: str, run: Any) -> None:
    html = generate(run, "html")
    assert "<script" not in html.lower() and "script-src" not in html
    assert "default-src 'none'" in html
    assert html.count('<svg class="chart"') == 3
    assert "nothing recorded yet" in html
    assert '<nav class="stage-nav"' in html and 'href="#stage-starting-roles"' in html


def test_the_activity_calendar_counts_the_recorded_days(ada: str, run: Any) -> None:
    plan = json.loads(generate(run, "json"))
    first = plan["stages"][1]["modules"][0]["id"]
    second = plan["stages"][1]["modules"][1]["id"]
    assert run("start", first).exit_code == 0
    assert run("done", first).exit_code == 0
    assert run("start", second).exit_code == 0
    assert run("undo").exit_code == 0  # the start is undone: not counted
    result = run("generate", "--format", "html", "-o", "-")
    html = result.stdout
    day = datetime.now(UTC).date()
    assert "nothing recorded yet" not in html
    assert f"<title>{day}: 2 recorded</title>" in html
    assert "1 day with work recorded" in html


def test_chart_text_from_content_is_escaped(run: Any, tmp_path: Path) -> None:
    from cpo_learn.rendering.charts import _svg, _text

    svg = _svg(10, 10, 'a "b" <c>', [_text(0, 0, "<script>alert(1)</script>")])
    assert "<script>" not in svg and "&lt;script&gt;" in svg and 'aria-label="a &quot;b&quot; &lt;c&gt;"' in svg
