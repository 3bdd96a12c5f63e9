"""Fuzzing the pack loader and validator: whatever a pack holds, the answer is success or problems.

Random front matter (YAML documents, mappings with known and unknown keys of the wrong types, huge and odd
numbers, unicode, control characters), random Markdown bodies, random file and folder names, bytes that are not
UTF-8, BOMs, CRLF line endings and random ``pack.toml`` files: loading and validating must never raise, and
every problem must print as one ``path:line: message`` line with a line number of at least 1.

The example counts keep the file to a few seconds in CI; ``CPO_LEARN_FUZZ_EXAMPLES=5000`` runs a long search.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpo_learn.app.context import App
from cpo_learn.app.validation import validate_everything
from cpo_learn.content.fields import KEYS, RESOURCE_KEYS
from cpo_learn.content.model import COSTS, MODULE_KINDS, RESOURCE_KINDS, STAGE_IDS, Problem
from cpo_learn.content.packs import FOLDERS, PACK_KEYS, parse_front_matter, read_item_file, read_pack_toml
from cpo_learn.content.registry import Registry
from cpo_learn.content.validate import build_catalog
from cpo_learn.default_plugins.vocabulary import SKILLS
from helpers import Invoke

EXAMPLES = int(os.environ.get("CPO_LEARN_FUZZ_EXAMPLES", "80"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
FEW = settings(FUZZ, max_examples=max(12, EXAMPLES // 8))

PROBLEM_LINE = re.compile(r"^(?P<path>.+):(?P<line>[0-9]+): (?P<message>\S.*)$")
SKILL_IDS = [skill_id for skill_id, _, _ in SKILLS]
KNOWN_KEYS = sorted({key for keys in KEYS.values() for key in keys} | set(RESOURCE_KEYS))
NAMESPACE = "fuzz"


def assert_well_formed(problems: list[Problem]) -> None:
    """Each problem is a single ``path:line: message`` line with a line of at least 1."""
    for problem in problems:
        assert isinstance(problem.line, int) and problem.line >= 1, problem
        text = str(problem)
        assert len(text.splitlines()) == 1, text
        assert PROBLEM_LINE.match(text), text
        text.encode("utf-8")  # printable on any UTF-8 terminal: no lone surrogates from undecodable file names


# -- values -------------------------------------------------------------------------------------------------
RTL_AND_FRIENDS = "\u202e\u200f\u061c\u2066\u2069\ufeff\u0000\u0085\u2028\u2029\U0001f4a5\U0001f469\u200d\U0001f4bb"
texts = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.sampled_from(RTL_AND_FRIENDS + "ab-/ :\r\n\t\"'#&*!|>%@`"), max_size=20),
    st.builds(lambda part, times: part * times, st.text(min_size=1, max_size=4), st.integers(1_000, 20_000)),
    st.sampled_from(["", " ", "core", "elective", "mid-level", "fuzz/a", "fuzz/b", "analytics", "book",
                     "https://example.com/x", "http://[::1", "javascript:alert(1)", "http://ex\uff03ample.com",
                     "free", "paid", "2026-02-30", "0x" + "f" * 4000, "~", "null", "yes", ".nan"]),
)
numbers = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, -1, 1, 5, 6, 2000, 2001, 1e309, -1e309, 10**308, 2**64]),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts, st.dates(), st.datetimes(), st.binary(max_size=8))
keys = st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=12), st.integers(), st.booleans(), st.dates())
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(keys, children, max_size=4),
    max_leaves=12,
)


@st.composite
def item_like(draw: st.DrawFn, ids: list[str], kind: str = "module") -> dict[Any, Any]:
    """An item of ``kind`` that is valid, or nearly: in half of them a few fields replaced, dropped or added.

    The ids point at each other, so valid ones build catalogs with prerequisites, cycles, duplicates,
    replacements and milestones resting on modules.
    """
    ident = draw(st.sampled_from(ids))
    stage = draw(st.sampled_from([*STAGE_IDS, "mid-level", "mid-level", "nowhere"]))
    data: dict[Any, Any]
    if kind == "milestone":
        data = {"id": ident, "title": f"Reached {ident}", "stage": stage,
                "criteria": ["Did it"], "requires": draw(st.lists(st.sampled_from(ids), min_size=1, max_size=2)),
                "evidence": "A link"}
    elif kind in ("stage", "track", "skill", "practice"):
        slug = draw(st.sampled_from(["fuzz-one", "fuzz-two", "analytics", "mid-level", "Bad Slug"]))
        data = {"id": slug, "title": f"The {slug}", "order": draw(st.integers(-3, 12)), "summary": "S"}
        if kind in ("skill", "practice"):
            del data["order"], data["summary"]
    else:
        data = {
            "id": ident, "title": f"Title of {ident}", "stage": stage,
            "kind": draw(st.sampled_from(MODULE_KINDS)), "hours": draw(st.sampled_from([1, 2.5, 8, 40])),
            "skills": draw(st.dictionaries(st.sampled_from(SKILL_IDS), st.integers(1, 5), min_size=1,
                                           max_size=3)),
            "prerequisites": draw(st.lists(st.sampled_from(ids), max_size=3)),
            "outcomes": ["Do one thing", "Do another"],
            "resources": [{"kind": draw(st.sampled_from(RESOURCE_KINDS)), "title": "A book", "year": 2020,
                           "url": "https://example.com/", "cost": draw(st.sampled_from(COSTS))}],
        }
        if draw(st.integers(0, 5)) == 0:
            data["replaces"] = draw(st.sampled_from(ids))
        if draw(st.integers(0, 5)) == 0:
            data["track"] = draw(st.sampled_from(["mentorship", "continuous-learning", "nowhere"]))
    if draw(st.booleans()):
        for key in draw(st.lists(st.sampled_from(sorted(data)), max_size=3)):
            data[key] = draw(values)
        for key in draw(st.lists(st.sampled_from(sorted(data)), max_size=2)):
            data.pop(key, None)
        data.update(draw(st.dictionaries(keys, values, max_size=2)))
    return data


def dump(data: Any, allow_unicode: bool, flow: bool | None) -> str:
    return yaml.safe_dump(data, allow_unicode=allow_unicode, default_flow_style=flow, sort_keys=False)


HOSTILE_YAML = [
    "id: fuzz/a\nwhen: 2026-02-30\n",                      # a date that does not exist
    "id: fuzz/a\nhours: " + "9" * 5000 + "\n",              # more digits than Python converts
    "id: fuzz/a\nhours: 0x" + "f" * 5000 + "\n",            # an int too large for a float or for str()
    "id: 0x" + "f" * 5000 + "\n",
    "skills: {analytics: 0x" + "f" * 5000 + "}\n",
    "hours: 1e309\nyear: .nan\n",
    "resources: [{kind: book, title: t, url: 'http://[::1'}]\n",
    "resources: [{kind: book, title: t, url: 'http://ex\uff03ample.com/'}]\n",
    "a: &x [1]\nb: *x\n",
    "a: " + "[" * 400 + "]" * 400 + "\n",
    "skills: {analytics: " + "[" * 900 + "]" * 900 + "}\n",
    "a: " + "[" * 5000 + "\n",
    "? [a, b]\n: c\n",
    "!!python/object:os.system x\n",
    "x: !!binary aGVsbG8=\ny: !!set {a, b}\nz: !!omap [a: 1]\n",
    "a: 1\n---\nb: 2\n",
    "- just\n- a list\n",
    "\"unterminated\n",
    "\ta: tab\n",
    "id: fuzz/a\n\"bad\\nkey\": 1\n\"\\u202eevil\": 2\n",
    "id: fuzz/a\nhours: 190:20:30\nyear: 0o777\n",
    "a: !!timestamp abc\n", "a: !!bool maybe\n", "a: !!int 0b\n", "a: !!float x\n", "a: !!timestamp 2020-13-01\n",
]


@st.composite
def front_matters(draw: st.DrawFn, ids: list[str], kind: str = "module") -> str:
    """The text between the ``---`` lines: mostly an item of ``kind``, else anything at all."""
    allow_unicode, flow = draw(st.booleans()), draw(st.sampled_from([None, True, False]))
    choice = draw(st.integers(0, 9))
    if choice <= 4:
        return dump(draw(item_like(ids, kind)), allow_unicode, flow)
    if choice == 5:
        return dump(draw(st.dictionaries(keys, values, max_size=8)), allow_unicode, flow)
    if choice == 6:
        return dump(draw(values), allow_unicode, flow)
    if choice == 7:
        return draw(st.sampled_from(HOSTILE_YAML))
    if choice == 8:
        return draw(st.sampled_from(HOSTILE_YAML)) + dump(draw(item_like(ids, kind)), allow_unicode, flow)
    return draw(st.text(max_size=200))


bodies = st.one_of(st.text(max_size=200), st.sampled_from(["", "## Why\n", "---\n", "<script>x</script>\n"]))


@st.composite
def item_bytes(draw: st.DrawFn, ids: list[str], kind: str = "module") -> bytes:
    """A whole item file as bytes: usually front matter and body, sometimes broken in one way or another."""
    shape = draw(st.integers(0, 11))
    if shape == 0:
        return draw(st.binary(max_size=300))
    front, body = draw(front_matters(ids, kind)), draw(bodies)
    closing = draw(st.sampled_from(["---", "---", "---", "...", "--- ", ""]))
    text = f"---\n{front}{closing}\n{body}"
    if shape == 1:
        text = text.replace("\n", "\r\n")
    elif shape == 2:
        text = "\ufeff" + text
    elif shape == 3:
        text = front + body  # no front matter at all
    elif shape == 4:
        text = text.replace("\n", "\r")
    raw = text.encode("utf-8", "surrogatepass")
    if shape == 5 and raw:  # one bad byte somewhere
        where = draw(st.integers(0, len(raw) - 1))
        raw = raw[:where] + draw(st.sampled_from([b"\xff", b"\xc3", b"\x00", b"\xed\xa0\x80"])) + raw[where:]
    return raw


file_names = st.one_of(
    st.text(st.characters(exclude_characters="/\x00", exclude_categories=("Cs",)), min_size=1, max_size=30)
    .map(lambda name: name + ".md"),
    st.binary(min_size=1, max_size=30).filter(lambda name: b"/" not in name and b"\x00" not in name)
    .map(lambda name: os.fsdecode(name + b".md")),
).filter(lambda name: name not in (".md",) and len(os.fsencode(name)) <= 255)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)  # TOML spells inf and nan as Python does
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return '"' + "".join(ch if ch.isprintable() and ch not in '"\\' else f"\\u{ord(ch):04x}" for ch in str(value)
                         if not 0xD800 <= ord(ch) <= 0xDFFF) + '"'


toml_scalars = st.one_of(st.booleans(), st.integers(-(2**63), 2**63 - 1), st.floats(), texts.filter(
    lambda s: len(s) < 200), st.lists(st.text(max_size=10), max_size=3),
    st.sampled_from(["mid-level>=1.0", "fuzz", "nowhere<1", "!!!", "education>=0.1,<9"]))


@st.composite
def pack_tomls(draw: st.DrawFn) -> bytes:
    """A ``pack.toml``: usually the right keys, some of wrong types or unknown, sometimes not TOML at all."""
    shape = draw(st.integers(0, 9))
    if shape == 0:
        return draw(st.binary(max_size=200))
    if shape == 1:
        return draw(st.text(max_size=200)).encode("utf-8", "surrogatepass")
    meta: dict[str, Any] = {"name": NAMESPACE, "version": "1.0", "namespace": NAMESPACE, "description": "d"}
    if shape == 4:  # keys of the wrong type, unknown or missing
        for key in draw(st.lists(st.sampled_from([*PACK_KEYS, "nmae", "extra"]), min_size=1, max_size=3)):
            meta[key] = draw(toml_scalars)
        for key in draw(st.lists(st.sampled_from(PACK_KEYS), max_size=2)):
            meta.pop(key, None)
    lines = [f"{key} = {toml_value(value)}" for key, value in meta.items()]
    if draw(st.integers(0, 3)) == 0:
        requires = draw(st.dictionaries(st.sampled_from(["mid-level", "fuzz", "x y", ""]), toml_scalars,
                                        max_size=2))
        lines.append("[requires]")
        lines += [f"{toml_value(k)} = {toml_value(v)}" for k, v in requires.items()]
    text = "\n".join(lines) + "\n"
    if shape == 2:
        text = "\ufeff" + text
    elif shape == 3:
        text = text.replace("\n", "\r\n")
    return text.encode("utf-8")


IDS = [f"{NAMESPACE}/{slug}" for slug in ("a", "b", "c", "d")] + ["mid-level/continuous-discovery", "Bad Id"]
FOLDER_CHOICES = [*FOLDERS, *["modules"] * 8, *["milestones"] * 3, "module"]


@st.composite
def pack_items(draw: st.DrawFn) -> tuple[str, str, bytes]:
    """(folder, file name, content): mostly modules and milestones in their folders, named after their ids."""
    folder = draw(st.sampled_from(FOLDER_CHOICES)) if draw(st.integers(0, 9)) else draw(file_names)
    kind = FOLDERS.get(folder, "module")
    name = draw(st.sampled_from(["a.md", "b.md", "c.md", "d.md"])) if draw(st.integers(0, 3)) else draw(file_names)
    return folder, name, draw(item_bytes(IDS, kind))


@st.composite
def packs(draw: st.DrawFn) -> tuple[bytes, list[tuple[str, str, bytes]]]:
    """``pack.toml`` and (folder, file name, content) for a handful of item files."""
    return draw(pack_tomls()), draw(st.lists(pack_items(), min_size=1, max_size=6))


@contextmanager
def written(pack: tuple[bytes, list[tuple[str, str, bytes]]]) -> Iterator[Path]:
    toml, items = pack
    with tempfile.TemporaryDirectory(prefix="fuzz-pack-") as directory:
        root = Path(directory) / "pack"
        root.mkdir()
        (root / "pack.toml").write_bytes(toml)
        for folder, name, content in items:
            where = root / folder.removesuffix(".md")
            if where.name in ("", ".", "..") or (where.exists() and not where.is_dir()):
                continue
            where.mkdir(exist_ok=True)
            (where / name).write_bytes(content)
        yield root


# -- properties ---------------------------------------------------------------------------------------------
@FUZZ
@given(st.one_of(front_matters(["fuzz/a", "fuzz/b"]), st.sampled_from(HOSTILE_YAML)))
def test_front_matter_parses_or_says_what_is_wrong_with_a_line(text: str) -> None:
    from cpo_learn.content.packs import _FrontMatterError

    try:
        data, lines = parse_front_matter(text)
    except _FrontMatterError as exc:
        assert exc.line >= 1 and exc.message.startswith(("malformed YAML", "front matter", "YAML anchors"))
        return
    assert isinstance(data, dict)
    assert all(line >= 1 for line in lines.values())


@FUZZ
@given(item_bytes(["fuzz/a", "fuzz/b", "fuzz/c"]), st.sampled_from(sorted(set(FOLDERS.values()))), file_names)
def test_any_item_file_reads_as_an_item_or_one_problem(content: bytes, kind: str, name: str) -> None:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / name
        path.write_bytes(content)
        item, problem = read_item_file(path, kind, "fuzz")
    assert (item is None) != (problem is None)
    if problem is not None:
        assert_well_formed([problem])
    else:
        assert item is not None and isinstance(item.data, dict) and item.line >= 1


@FUZZ
@given(pack_tomls())
def test_any_pack_toml_reads_as_pack_info_or_problems(toml: bytes) -> None:
    with tempfile.TemporaryDirectory() as directory:
        (Path(directory) / "pack.toml").write_bytes(toml)
        info, problems = read_pack_toml(Path(directory), "fuzz")
    assert_well_formed(problems)
    assert info is not None or problems


@FUZZ
@given(packs())
def test_any_pack_validates_to_success_or_problems(pack: tuple[bytes, list[tuple[str, str, bytes]]]) -> None:
    with written(pack) as root:
        report = validate_everything(App(), [str(root)])
    assert_well_formed(report.problems)


@FEW
@given(packs())
def test_validate_command_exits_0_or_1_with_one_line_per_problem(
    run: Invoke, pack: tuple[bytes, list[tuple[str, str, bytes]]]
) -> None:
    with written(pack) as root:
        result = run("validate", str(root))
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    lines = result.stdout.splitlines()
    if result.exit_code == 0:
        assert lines[-1].startswith("ok: ")
    else:
        assert lines and all(PROBLEM_LINE.match(line) for line in lines), lines
        knock_ons = sum(PROBLEM_LINE.match(line)["message"].startswith("knock-on: ") for line in lines)
        more = f" ({knock_ons} of them knock-on)" if knock_ons else ""
        assert result.stderr.strip() == f"{len(lines)} problem(s) found{more}"


class Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no text for you")

    __repr__ = __str__


# What a plugin's code can hand the registry goes beyond YAML: ints of any size, any object.
plugin_values = st.one_of(values, st.just(10**5000), st.builds(Unprintable), st.lists(st.just(10**5000), max_size=2))


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(sorted(KEYS)),
                          st.dictionaries(st.one_of(st.sampled_from(KNOWN_KEYS), st.text(max_size=8)),
                                          plugin_values, max_size=8)),
                min_size=1, max_size=4))
def test_anything_a_plugin_registers_validates_to_success_or_problems(
    items: list[tuple[str, dict[str, Any]]],
) -> None:
    registry = Registry()
    registry.begin("fuzz")
    for kind, fields in items:
        try:
            getattr(registry, f"add_{kind}")(**fields)
        except (ValueError, RuntimeError):  # str() of the body: raised in the plugin's own hook, reported there
            continue
    catalog = build_catalog(registry)
    assert_well_formed(list(catalog.problems))


# -- the crashes the fuzzing found, kept as plain examples -------------------------------------------------
def module_file(front: str) -> str:
    return f"---\n{front}---\nBody.\n"


VALID = "id: fuzz/a\ntitle: T\nstage: mid-level\nkind: core\nhours: 2\nskills: {analytics: 3}\n"


@pytest.mark.parametrize(("front", "line", "message"), [
    ("id: fuzz/a\nwhen: 2026-02-30\n", 3, "'2026-02-30' is not a valid date"),
    ("id: fuzz/a\nhours: " + "9" * 5000 + "\n", 3, "is too large a number"),
    ("id: fuzz/a\nhours: 0x" + "f" * 5000 + "\n", 3, "is too large a number"),
    ("id: fuzz/a\ntitle: T\nstage: mid-level\nkind: core\nskills: {analytics: 3}\nhours: 1.0e+400\n", 7,
     "hours must be more than 0 and at most 2000 (got inf)"),
    ("id: fuzz/a\nskills: {analytics: " + "[" * 900 + "]" * 900 + "}\n", 3, "nested too deeply"),
    (VALID + "resources: [{kind: book, title: t, url: 'http://[::1'}]\n", 8, "malformed URL 'http://[::1'"),
    (VALID + "resources: [{kind: book, title: t, url: 'http://ex\uff03ample.com/'}]\n", 8, "malformed URL"),
    (VALID + "\"bad\\nkey\": 1\n", 8, "unknown module key 'bad\\nkey'"),
    (VALID + "\"\\u202eevil\": 1\n", 8, "unknown module key '\\u202eevil'"),
])
def test_values_that_used_to_crash_are_problems(run: Invoke, make_pack: Any, front: str, line: int,
                                                 message: str) -> None:
    pack = make_pack(NAMESPACE, {"a": module_file(front)})
    result = run("validate", str(pack))
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert len(lines) >= 1
    assert lines[0].startswith(f"{pack}/modules/a.md:{line}: "), lines
    assert message in lines[0], lines[0]


def test_a_byte_order_mark_is_not_an_error(run: Invoke, make_pack: Any) -> None:
    pack = make_pack(NAMESPACE, {})
    (pack / "modules").mkdir()
    (pack / "modules" / "a.md").write_bytes(("\ufeff" + module_file(VALID)).replace("\n", "\r\n").encode())
    (pack / "pack.toml").write_bytes(b"\xef\xbb\xbf" + (pack / "pack.toml").read_bytes())
    result = run("validate", str(pack))
    assert result.exit_code == 0, result.output


def test_an_undecodable_file_name_is_shown_escaped(run: Invoke, make_pack: Any) -> None:
    pack = make_pack(NAMESPACE, {})
    (pack / "modules").mkdir()
    name = os.fsdecode(b"bad-\xff-name.md")
    (pack / "modules" / name).write_text("no front matter\n", encoding="utf-8")
    result = run("validate", str(pack))
    assert result.exit_code == 1, result.output
    assert f"{pack}/modules/bad-\\udcff-name.md:1: no front matter" in result.stdout


def test_a_toml_error_names_its_line(make_pack: Any) -> None:
    pack = make_pack(NAMESPACE, toml='name = "fuzz"\nversion = "1"\nnamespace = "fuzz"\nbroken =\n')
    info, problems = read_pack_toml(pack)
    assert info is None
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [(4, "malformed pack.toml")]


def test_dates_and_datetimes_are_values_not_crashes() -> None:
    data, _ = parse_front_matter("a: 2026-01-31\nb: 2026-01-31 10:00:00\n")
    assert data == {"a": date(2026, 1, 31), "b": datetime(2026, 1, 31, 10, 0)}
