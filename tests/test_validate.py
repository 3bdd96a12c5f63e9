"""``cpo-learn validate``: every problem at once, each as path:line: message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Invoke, module_text, write

# Each case makes the module acme/advanced (beside a valid acme/basics) wrong in one way; tests/test_schema.py
# checks that the JSON Schema rejects them too.
MODULE_CASES: list[tuple[dict[str, object], int, str]] = [
    ({"prerequisites": "[acme/basic]"}, 8, "unknown prerequisite 'acme/basic' (did you mean 'acme/basics'?)"),
    ({"stage": "mid-levle"}, 4, "unknown stage 'mid-levle' (did you mean 'mid-level'?)"),
    ({"track": "mentorshp"}, 10, "unknown track 'mentorshp' (did you mean 'mentorship'?)"),
    ({"skills": "{analytcs: 3}"}, 7, "unknown skill 'analytcs' (did you mean 'analytics'?)"),
    ({"kind": "optional"}, 5, "unknown kind 'optional'"),
    ({"hours": 0}, 6, "hours must be more than 0"),
    ({"hours": -3}, 6, "hours must be more than 0"),
    ({"hours": "lots"}, 6, "'hours' must be a number"),
    ({"skills": "{analytics: 9}"}, 7, "skill 'analytics' level must be a whole number from 1 to 5"),
    ({"prerequisits": "[]"}, 10, "unknown module key 'prerequisits' (did you mean 'prerequisites'?)"),
    ({"title": None}, 2, "missing required key 'title'"),
    ({"id": "Acme Advanced"}, 2, "must be 'namespace/slug'"),
    ({"id": "other/advanced"}, 2, "must start with the pack's namespace 'acme/'"),
    ({"resources": "[{kind: book, title: T, url: 'javascript:alert(1)'}]"}, 10, "malformed URL"),
    ({"resources": "[{kind: scroll, title: T}]"}, 10, "unknown resource kind 'scroll'"),
    ({"practices": "[kpi-reveiw]"}, 10, "unknown practice 'kpi-reveiw' (did you mean 'kpi-review'?)"),
    ({"credited_by": "{functions: [customer-servce]}"}, 10,
     "unknown credited_by functions value 'customer-servce' (did you mean 'customer-service'?)"),
    ({"credited_by": "{company_size: [startup]}"}, 10,
     "unknown credited_by key 'company_size' (did you mean 'company_sizes'?)"),
    ({"credited_by": "{degree: [art-history]}"}, 10, "unknown credited_by degree value 'art-history'"),
    ({"credited_by": "{mba: often}"}, 10, "credited_by 'mba' must be true or false"),
]


PACK_TOML_CASES: list[tuple[str, str]] = [
    ('name = "acme"\nversion = \n', "malformed pack.toml"),
    ('name = "acme"\nversion = "1.0"\n', "'namespace' is required"),
    ('name = "acme"\nversion = "1.0"\nnamespace = "acme"\nnamespce = "x"\n', "unknown key 'namespce'"),
]


def problems(run: Invoke, *paths: str) -> list[str]:
    result = run("validate", *paths)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.stdout.strip().splitlines()


def test_everything_built_in_is_valid(run: Invoke) -> None:
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("ok:")


def test_cycle_is_printed_with_file_and_line(run: Invoke, make_pack: Callable[..., Path]) -> None:
    pack = make_pack("acme", {
        "a": module_text("acme/a", prerequisites="[acme/b]"),
        "b": module_text("acme/b", prerequisites="[acme/c]"),
        "c": module_text("acme/c", prerequisites="[acme/a]"),
    })
    lines = problems(run, str(pack))
    assert lines == [f"{pack}/modules/a.md:8: prerequisite cycle: acme/a -> acme/b -> acme/c -> acme/a"]


@pytest.mark.parametrize(("fields", "line", "message"), MODULE_CASES)
def test_module_problems(run: Invoke, make_pack: Callable[..., Path], fields: dict[str, object], line: int,
                         message: str) -> None:
    pack = make_pack("acme", {
        "basics": module_text("acme/basics"),
        "advanced": module_text("acme/advanced", **fields),
    })
    lines = problems(run, str(pack))
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{pack}/modules/advanced.md:{line}: "), lines[0]
    assert message in lines[0]


def test_every_problem_is_reported_at_once(run: Invoke, make_pack: Callable[..., Path]) -> None:
    pack = make_pack("acme", {
        "one": module_text("acme/one", hours=0),
        "two": module_text("acme/two", stage="nowhere"),
        "three": module_text("acme/three", prerequisites="[acme/missing]"),
    })
    lines = problems(run, str(pack))
    assert len(lines) == 3
    assert {line.split(":")[0].rsplit("/", 1)[1] for line in lines} == {"one.md", "two.md", "three.md"}


def test_duplicate_ids_name_both_places(run: Invoke, make_pack: Callable[..., Path]) -> None:
    pack = make_pack("acme", {"one": module_text("acme/one"), "copy": module_text("acme/one")})
    lines = problems(run, str(pack))
    assert len(lines) == 1
    assert "duplicate module id 'acme/one'" in lines[0]
    assert "also registered by plugin 'acme'" in lines[0] and "replaces" in lines[0]


def test_same_id_as_a_builtin_without_replaces_is_an_error(run: Invoke, make_pack: Callable[..., Path]) -> None:
    pack = make_pack("mid-level-extra", toml='name = "extra"\nversion = "1.0"\nnamespace = "mid-level"\n',
                     modules={"x": module_text("mid-level/continuous-discovery")})
    lines = problems(run, str(pack))
    assert len(lines) == 1
    assert lines[0].startswith(f"{pack}/modules/x.md:2: duplicate module id 'mid-level/continuous-discovery'")
    assert "plugin 'mid-level'" in lines[0]


def test_malformed_yaml_gives_the_line(run: Invoke, make_pack: Callable[..., Path]) -> None:
    pack = make_pack("acme", {"bad": "---\nid: acme/bad\ntitle: [unclosed\nstage: mid-level\n---\nBody\n"})
    lines = problems(run, str(pack))
    assert len(lines) == 1
    assert lines[0].startswith(f"{pack}/modules/bad.md:") and "malformed YAML" in lines[0]


@pytest.mark.parametrize(("text", "message"), [
    ("no front matter at all\n", "no front matter"),
    ("---\nid: acme/x\n", "front matter is not closed"),
    ("---\n- a list\n---\n", "must be a mapping"),
    ("---\na: &x [1]\nb: *x\n---\n", "anchors and aliases are not allowed"),
    ("---\nid: !!python/object:os.system echo\n---\n", "malformed YAML"),
])
def test_front_matter_shape_problems(run: Invoke, make_pack: Callable[..., Path], text: str,
                                     message: str) -> None:
    pack = make_pack("acme", {"bad": text})
    lines = problems(run, str(pack))
    assert any(message in line for line in lines), lines


def test_pack_without_pack_toml(run: Invoke, tmp_path: Path) -> None:
    write(tmp_path / "loose" / "modules" / "a.md", module_text("loose/a"))
    lines = problems(run, str(tmp_path / "loose"))
    assert lines == [f"{tmp_path / 'loose'}:1: not a content pack: pack.toml is missing; run 'cpo-learn plugin "
                     "new' for a template"]


@pytest.mark.parametrize(("toml", "message"), PACK_TOML_CASES)
def test_bad_pack_toml(run: Invoke, make_pack: Callable[..., Path], toml: str, message: str) -> None:
    pack = make_pack("acme", {"a": module_text("acme/a")}, toml=toml)
    lines = problems(run, str(pack))
    assert any(line.startswith(f"{pack}/pack.toml:") and message in line for line in lines), lines


def test_unknown_folder_is_suggested(run: Invoke, make_pack: Callable[..., Path]) -> None:
    pack = make_pack("acme")
    write(pack / "modul" / "a.md", module_text("acme/a"))
    lines = problems(run, str(pack))
    assert "unknown folder 'modul' (did you mean 'modules'?)" in lines[0]


def test_milestone_requiring_unknown_module(run: Invoke, make_pack: Callable[..., Path]) -> None:
    pack = make_pack("acme", {"a": module_text("acme/a")}, milestones={
        "m": "---\nid: acme/m\ntitle: M\nstage: mid-level\ncriteria: [x]\nrequires: [acme/b]\nevidence: e\n---\n",
    })
    lines = problems(run, str(pack))
    assert lines[0].startswith(f"{pack}/milestones/m.md:6: requires unknown module 'acme/b'")


def test_later_stage_prerequisite_is_rejected(run: Invoke, make_pack: Callable[..., Path]) -> None:
    pack = make_pack("acme", {"a": module_text("acme/a", stage="starting-roles",
                                               prerequisites="[cpo/company-product-strategy]")})
    lines = problems(run, str(pack))
    assert "is in the later stage 'cpo'" in lines[0]


def test_valid_pack_builds_on_installed_content(run: Invoke, make_pack: Callable[..., Path]) -> None:
    pack = make_pack("acme", {"a": module_text("acme/a", prerequisites="[mid-level/continuous-discovery]")})
    result = run("validate", str(pack))
    assert result.exit_code == 0, result.output
    assert "ok: acme" in result.stdout


def test_python_plugin_problems_point_at_the_plugin_file(run: Invoke, tmp_path: Path) -> None:
    plugin = write(tmp_path / "acme.py", """
        import cpo_learn

        @cpo_learn.hookimpl
        def cpo_learn_register_content(registry):
            registry.add_module(id="acme/x", title="X", stage="mid-level", kind="core", hours=-1,
                                skills={"analytics": 2})
    """)
    lines = problems(run, str(plugin))
    assert lines[0].startswith(f"{plugin}:5: hours must be more than 0")


def test_replaces_overrides_explicitly_and_is_listed(run: Invoke, make_pack: Callable[..., Path]) -> None:
    make_pack("acme", {"discovery": module_text("acme/discovery", replaces="mid-level/continuous-discovery",
                                                title="Acme discovery")})
    shown = run("--plugins-dir", "plugins", "show", "mid-level/continuous-discovery")
    assert shown.exit_code == 0 and shown.stderr == ""
    assert "Acme discovery" in shown.stdout
    assert "replaces: mid-level/continuous-discovery (from mid-level at " in shown.stdout
    listing = run("--plugins-dir", "plugins", "plugins")
    assert "acme: acme/discovery replaces mid-level/continuous-discovery" in listing.stdout
    ids = [m["id"] for m in __import__("json").loads(run("--plugins-dir", "plugins", "modules", "--json").stdout)]
    assert "acme/discovery" in ids and "mid-level/continuous-discovery" not in ids


def test_replaces_unknown_module(run: Invoke, make_pack: Callable[..., Path]) -> None:
    pack = make_pack("acme", {"x": module_text("acme/x", replaces="mid-level/continuous-discovry")})
    lines = problems(run, str(pack))
    assert "replaces unknown module 'mid-level/continuous-discovry' (did you mean" in lines[0]


@pytest.mark.parametrize(("requires", "message"), [
    ('requires = ["nowhere>=1.0"]', "requires pack 'nowhere' >=1.0, which is not installed"),
    ('requires = ["mid-level>=2.0"]', "requires pack 'mid-level' >=2.0, but version 0.1.0 is installed"),
    ('requires = {mid-level = "~~1"}', "is not a version range"),
])
def test_pack_requirements(run: Invoke, make_pack: Callable[..., Path], requires: str, message: str) -> None:
    toml = f'name = "acme"\nversion = "1.0"\nnamespace = "acme"\n{requires}\n'
    pack = make_pack("acme", {"a": module_text("acme/a")}, toml=toml)
    lines = problems(run, str(pack))
    assert lines[0].startswith(f"{pack}/pack.toml:1: ") and message in lines[0], lines


def test_pack_requirement_met(run: Invoke, make_pack: Callable[..., Path]) -> None:
    toml = 'name = "acme"\nversion = "1.0"\nnamespace = "acme"\nrequires = ["mid-level>=0.1,<1"]\n'
    pack = make_pack("acme", {"a": module_text("acme/a", prerequisites="[mid-level/continuous-discovery]")},
                     toml=toml)
    assert run("validate", str(pack)).exit_code == 0
