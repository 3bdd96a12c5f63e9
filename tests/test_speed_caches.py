"""The caches and fast paths added for speed give exactly what the long way gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cpo_learn.rendering import templating
from cpo_learn.terminal import _escape, terminal_text
from helpers import Invoke

pytestmark = pytest.mark.cold_cache  # tests of the caches: each starts with an empty cache dir


def render(folder: Path, template: str = "page.md.j2", **values: object) -> str:
    templating._environment.cache_clear()  # a new process: only the bytecode cache is left
    return templating.environment([str(folder)], autoescape=False).get_template(template).render(**values)


def compiled(tmp_path: Path) -> list[Path]:
    return sorted(p for p in (tmp_path / "cache").glob("templates-*/*") if p.is_file())


def test_compiled_templates_are_kept_and_follow_every_edit(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.md.j2").write_text("Hello {{ name }}\n")
    assert render(folder, name="Ada") == "Hello Ada\n"
    assert compiled(tmp_path)
    assert render(folder, name="Ada") == "Hello Ada\n"
    (folder / "page.md.j2").write_text("Goodbye {{ name }}\n")
    assert render(folder, name="Ada") == "Goodbye Ada\n"


def test_a_damaged_compiled_template_is_compiled_again(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.md.j2").write_text("{% for i in items %}{{ i }},{% endfor %}\n")
    assert render(folder, items=[1, 2]) == "1,2,"
    for path in compiled(tmp_path):
        path.write_bytes(path.read_bytes()[:-7] + b"garbage")
    assert render(folder, items=[1, 2]) == "1,2,"
    for path in compiled(tmp_path):
        path.write_bytes(b"j2" + b"\x00" * 40)
    assert render(folder, items=[1, 2]) == "1,2,"


def test_no_cache_keeps_no_compiled_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CPO_LEARN_NO_CACHE", "1")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "page.md.j2").write_text("x\n")
    assert render(folder) == "x\n"
    assert not compiled(tmp_path)


def test_the_curriculum_is_the_same_with_compiled_templates(run: Invoke) -> None:
    assert run("init", "--name", "Ada", "--stage", "starting-roles", "--hours", "6", "--start",
               "2026-01-05").exit_code == 0
    outputs = []
    for env in ({}, {}, {"CPO_LEARN_NO_CACHE": "1"}):
        for fmt in ("md", "html"):
            templating._environment.cache_clear()
            result = run("generate", "--format", fmt, "-o", "-", env=env)
            assert result.exit_code == 0, result.output
            outputs.append(result.stdout)
    assert outputs[0:2] == outputs[2:4] == outputs[4:6]


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\n\t\r\x1b\u202e\x85\x7f"), max_size=60))
def test_terminal_text_escapes_exactly_what_the_rule_says(text: str) -> None:
    def by_hand(part: str) -> str:
        return "".join(ch if ch.isprintable() or ch in "\n\t" else _escape(ch) for ch in part)

    assert terminal_text(text) == "\r\n".join(by_hand(part) for part in text.split("\r\n"))


def test_module_bodies_are_kept_and_an_edited_body_is_converted_again(tmp_path: Path) -> None:
    def convert(text: str) -> str:
        templating._bodies_in.cache_clear()  # a new process
        html = templating.markdown_html(text)
        templating.save_bodies()
        return html

    first = convert("## Why\nSome *text*.")
    assert (tmp_path / "cache" / "bodies.pickle").is_file()
    assert convert("## Why\nSome *text*.") == first == templating._convert("## Why\nSome *text*.")
    assert convert("## Why\nOther **text**.") == templating._convert("## Why\nOther **text**.")
    (tmp_path / "cache" / "bodies.pickle").write_bytes(b"\x80\x05garbage")
    assert convert("## Why\nSome *text*.") == first


def test_a_stale_body_cache_is_not_used(tmp_path: Path) -> None:
    import pickle

    templating._bodies_in.cache_clear()
    templating.markdown_html("plain")
    templating.save_bodies()
    path = tmp_path / "cache" / "bodies.pickle"
    entry = pickle.loads(path.read_bytes())
    entry["bodies"]["plain"] = "<p>forged</p>"
    entry["key"][0] = -1  # as if written by another version of the converter
    path.write_bytes(pickle.dumps(entry))
    templating._bodies_in.cache_clear()
    assert templating.markdown_html("plain") == "<p>plain</p>"


def test_no_cache_keeps_no_bodies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CPO_LEARN_NO_CACHE", "1")
    templating._bodies_in.cache_clear()
    assert templating.markdown_html("plain") == "<p>plain</p>"
    templating.save_bodies()
    assert not (tmp_path / "cache" / "bodies.pickle").exists()
