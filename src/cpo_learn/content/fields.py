"""Checking one raw item's fields and turning it into a model record (``Stage``, ``Module``, ...).

Every problem found is a ``Problem`` at the line of the offending key. Cross references between items (stages,
prerequisites, cycles, duplicates) are checked afterwards, over the whole catalog, in ``validate``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from cpo_learn.content.model import (
    COMPANY_SIZES,
    COSTS,
    CREDIT_DEGREES,
    FUNCTIONS,
    MODULE_KINDS,
    RESOURCE_KINDS,
    CreditedBy,
    Habit,
    Milestone,
    Module,
    Origin,
    Practice,
    Problem,
    Resource,
    Skill,
    Stage,
    isbn13_ok,
)
from cpo_learn.content.packs import RawItem
from cpo_learn.terminal import first_control, has_control, one_line
from cpo_learn.text import suggestion

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
PLAIN_ID = re.compile(rf"^{SLUG}$")
FULL_ID = re.compile(rf"^{SLUG}/{SLUG}$")
MAX_HOURS = 2000.0
MAX_WEEKS = 520
"""The longest calendar time a module or milestone may declare (ten years), in weeks."""
HABIT_KEYS = ("hours_per_week", "what")
CREDIT_CHOICES: dict[str, tuple[str, ...]] = {
    "functions": FUNCTIONS, "company_sizes": COMPANY_SIZES, "degree": CREDIT_DEGREES,
}
"""The lists ``credited_by`` may hold, and the values each may name."""
CREDIT_KEYS: tuple[str, ...] = (*CREDIT_CHOICES, "mba")
"""The keys of ``credited_by``."""

KEYS: dict[str, tuple[str, ...]] = {
    "stage": ("id", "title", "order", "summary", "typical_years", "roles"),
    "track": ("id", "title", "order", "summary", "typical_years", "roles"),
    "skill": ("id", "title", "description", "levels"),
    "practice": ("id", "title", "description"),
    "module": (
        "id", "title", "stage", "track", "hours", "kind", "skills", "practices", "prerequisites",
        "outcomes", "resources", "replaces", "roles", "weeks", "in_role", "habit", "credited_by",
    ),
    "milestone": ("id", "title", "stage", "criteria", "requires", "evidence", "replaces", "weeks", "in_role"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "stage": ("id", "title", "order"),
    "track": ("id", "title", "order"),
    "skill": ("id", "title"),
    "practice": ("id", "title"),
    "module": ("id", "title", "stage", "hours", "kind", "skills"),
    "milestone": ("id", "title", "stage", "requires"),
}
RESOURCE_KEYS = ("kind", "title", "authors", "year", "provider", "url", "cost", "isbn")
RESOURCE_REQUIRED = ("kind", "title")
LEVELS = (1, 5)
"""The lowest and highest skill level a module may bring a learner to."""
YEARS = (1000, 2200)
"""The range of a resource's year of publication."""
URL_PATTERN = r"^https?://[^/?#\s]+[^\s]*$"
"""An http(s) address with a host and no whitespace (what ``_check_url`` accepts, for the JSON Schema)."""


@dataclass(frozen=True)
class Rule:
    """What one front-matter field holds: the checks below enforce it and ``schema`` turns it into JSON Schema.

    ``type`` is one of ``text``, ``texts`` (a list of text, or one text), ``names`` (a list of names, or
    one), ``number``, ``whole``, ``levels`` (skill id -> level), ``statements`` (level 1-5 -> text),
    ``resources``, ``credits`` (``credited_by``: the lists of ``CREDIT_CHOICES`` and ``mba``), ``id``
    (``namespace/slug`` for modules and milestones, a plain slug otherwise), ``ref`` (the id of a ``refers_to``
    item: stage, track, module, ...), ``requires`` (pack.toml's list or table of packs) or ``any``; ``choices``
    limits a text to some values, ``pattern`` is a regular expression it must match, and ``minimum``/``maximum``
    (``above``:
    strictly more than the minimum) bound a number.
    """

    type: str
    description: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    above: bool = False
    pattern: str | None = None
    refers_to: str | None = None


_STAGE_RULES = {
    "id": Rule("id", "Plain id (lower-case words joined by '-')."),
    "title": Rule("text", "Human title."),
    "order": Rule("whole", "Position on the path (stages) or in the list of tracks."),
    "summary": Rule("text", "One or two sentences."),
    "typical_years": Rule("text", "Rough time spent in the stage, as text: '2-4', '15+', 'ongoing'."),
    "roles": Rule("texts", "Job titles the stage covers."),
}
RULES: dict[str, dict[str, Rule]] = {
    "stage": _STAGE_RULES,
    "track": _STAGE_RULES,
    "skill": {"id": Rule("id", "Plain skill id."), "title": Rule("text", "Human title."),
              "description": Rule("text", "What the skill is."),
              "levels": Rule("statements", "Level 1-5 -> what a person at that level does (observable "
                             "behaviour), all five levels; 0 always means 'never done it'.",
                             minimum=LEVELS[0], maximum=LEVELS[1])},
    "practice": {"id": Rule("id", "Plain practice id."), "title": Rule("text", "Human title."),
                 "description": Rule("text", "What doing the practice means, in a sentence.")},
    "module": {
        "id": Rule("id", "namespace/slug, starting with the pack's namespace."),
        "title": Rule("text", "What the learner will do, as a short phrase."),
        "stage": Rule("ref", "The stage at which the module should be done (see 'cpo-learn vocabulary').",
                      refers_to="stage"),
        "track": Rule("ref", "A track id, for modules of a cross-cutting track.", refers_to="track"),
        "hours": Rule("number", "Realistic hours for reading and doing.", minimum=0, maximum=MAX_HOURS,
                      above=True),
        "kind": Rule("text", "core (everyone on the stage does it) or elective (chosen by skill gap).",
                     choices=MODULE_KINDS),
        "skills": Rule("levels", "Skill id -> the level 1-5 this module brings the learner to.",
                       minimum=LEVELS[0], maximum=LEVELS[1], refers_to="skill"),
        "practices": Rule("texts", "Practice ids the module exercises (see 'cpo-learn vocabulary').",
                          refers_to="practice"),
        "prerequisites": Rule("texts", "Module ids that must come first; same or earlier stage only."),
        "outcomes": Rule("texts", "Things the learner can do afterwards."),
        "resources": Rule("resources", "Books, courses, articles, ... the module points to."),
        "replaces": Rule("ref", "Id of a module this one overrides explicitly.", refers_to="module"),
        "roles": Rule("texts", "Roles of its stage the module prepares for (the stage's roles, exactly)."),
        "weeks": Rule("whole", "The least calendar weeks its work takes; it runs beside other modules.",
                      minimum=1, maximum=MAX_WEEKS),
        "in_role": Rule("any", "true when the work needs a role of its stage (dated from the arrival there)."),
        "habit": Rule("any", "A practice kept weekly once done: {hours_per_week: N, what: text}."),
        "credited_by": Rule("credits", "Experience or background that credits the module (any one is enough): "
                            "{functions: [...], company_sizes: [...], degree: [...], mba: true}."),
    },
    "milestone": {
        "id": Rule("id", "namespace/slug, starting with the pack's namespace."),
        "title": Rule("text", "The achievement, in the past tense."),
        "stage": Rule("ref", "The stage it belongs to.", refers_to="stage"),
        "criteria": Rule("texts", "Observable facts that show it is reached."),
        "requires": Rule("texts", "Module ids it rests on."),
        "evidence": Rule("text", "What proves it."),
        "replaces": Rule("texts", "Ids of milestones merged into this one; they resolve to it."),
        "weeks": Rule("whole", "The least calendar weeks from the start of its first required module.",
                      minimum=1, maximum=MAX_WEEKS),
        "in_role": Rule("any", "true when it can only be achieved in a role of its stage."),
    },
}
"""The rule of every field of ``KEYS`` (a field without one is accepted as anything by the JSON Schema)."""
PACK_RULES: dict[str, Rule] = {
    "name": Rule("text", "The pack's name; also its plugin name when loaded from a folder."),
    "version": Rule("text", "Only for a pack that is not installed as a package (PEP 440, e.g. 1.2.0); an "
                    "installed plugin's version is its distribution's."),
    "description": Rule("text", "One sentence shown by 'cpo-learn plugins'."),
    "namespace": Rule("text", "The prefix of every module and milestone id in the pack."),
    "requires": Rule("requires", "Other packs this one builds on: ['mid-level>=0.1,<1'] or "
                     "{mid-level = '>=0.1'}."),
}
"""The rule of every key of pack.toml (``packs.PACK_KEYS``)."""
RESOURCE_RULES: dict[str, Rule] = {
    "kind": Rule("text", "What the resource is.", choices=RESOURCE_KINDS),
    "title": Rule("text", "Title of the resource."),
    "authors": Rule("names", "Names of the authors (a single name is accepted too)."),
    "year": Rule("whole", "Four-digit year of publication.", minimum=YEARS[0], maximum=YEARS[1]),
    "provider": Rule("text", "Publisher, school or organisation."),
    "url": Rule("text", "An http:// or https:// address with a host.", pattern=URL_PATTERN),
    "cost": Rule("text", "free or paid.", choices=COSTS),
    "isbn": Rule("any", "ISBN-13 of a book's edition (hyphens allowed); the check digit is validated."),
}


MAX_PROBLEMS_PER_FILE = 50
"""Problems reported for one item file; past it, one line says how many more there are (a file of a million
unknown keys costs one check each, not a suggestion each)."""


class _Checker:
    """Field checks for one raw item; collects problems with the line of the offending key."""

    def __init__(self, item: RawItem) -> None:
        self.item = item
        self.problems: list[Problem] = []
        self.more = 0

    @property
    def full(self) -> bool:
        """Whether the item has as many problems as are reported for one file."""
        return len(self.problems) >= MAX_PROBLEMS_PER_FILE

    def fail(self, message: str, *keys: str | int) -> None:
        if self.full:
            self.more += 1
            return
        self.problems.append(Problem(self.item.path, self.item.line_of(*keys), message, self.item.plugin))

    def finish(self) -> list[Problem]:
        """The problems, with one line for those past the cap."""
        if self.more:
            self.problems.append(Problem(self.item.path, 1, f"{self.more:,} more problems in this file (only "
                                         f"the first {MAX_PROBLEMS_PER_FILE} are listed); fix these first",
                                         self.item.plugin))
            self.more = 0
        return self.problems

    def text(self, key: str, default: str = "") -> str:
        value = self.item.data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.fail(f"'{key}' must be text", key)
            return default
        return str(value).strip()

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self.item.data.get(key, [])
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.fail(f"'{key}' must be a list", key)
            return ()
        out: list[str] = []
        for index, entry in enumerate(value):
            if not isinstance(entry, str | int | float) or isinstance(entry, bool) or not str(entry).strip():
                self.fail(f"'{key}' item {index + 1} must be non-empty text", key, index)
                continue
            out.append(str(entry).strip())
        return tuple(out)

    def number(self, key: str) -> float | None:
        value = self.item.data.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(f"'{key}' must be a number", key)
            return None
        try:
            return float(value)
        except OverflowError:  # an int from a plugin's code may be any size
            self.fail(f"'{key}' is too large a number", key)
            return None


def _weeks(c: _Checker) -> int | None:
    value = c.item.data.get("weeks")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_WEEKS:
        c.fail(f"'weeks' must be a whole number of weeks from 1 to {MAX_WEEKS} (got {value!r})", "weeks")
        return None
    return value


def _in_role(c: _Checker) -> bool:
    value = c.item.data.get("in_role", False)
    if not isinstance(value, bool):
        c.fail(f"'in_role' must be true or false (got {value!r})", "in_role")
        return False
    return value


def _habit(c: _Checker) -> Habit | None:
    value = c.item.data.get("habit")
    if value is None:
        return None
    if not isinstance(value, dict):
        c.fail("'habit' must be a mapping with hours_per_week and what", "habit")
        return None
    for key in value:
        if str(key) not in HABIT_KEYS:
            c.fail(f"unknown habit key '{key}'{suggestion(str(key), HABIT_KEYS)}", "habit", str(key))
    hours, what = value.get("hours_per_week"), value.get("what")
    if isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 < hours <= 40:
        c.fail(f"habit hours_per_week must be more than 0 and at most 40 (got {hours!r})", "habit", "hours_per_week")
        return None
    if not isinstance(what, str) or not what.strip():
        c.fail("habit 'what' must say what the practice is, in words", "habit", "what")
        return None
    return Habit(float(hours), what.strip())


def _credited_by(c: _Checker) -> CreditedBy | None:
    """``credited_by``: known keys, known names in each list, ``mba`` true or false; None when absent."""
    value = c.item.data.get("credited_by")
    if value is None:
        return None
    if not isinstance(value, dict):
        c.fail(f"'credited_by' must be a mapping with any of {', '.join(CREDIT_KEYS)}", "credited_by")
        return None
    problems = len(c.problems) + c.more
    for key in value:
        if str(key) not in CREDIT_KEYS:
            c.fail(f"unknown credited_by key '{key}'{suggestion(str(key), CREDIT_KEYS)}; use "
                   f"{', '.join(CREDIT_KEYS)}", "credited_by", str(key))
    lists: dict[str, tuple[str, ...]] = {}
    for key, choices in CREDIT_CHOICES.items():
        raw = value.get(key)
        if raw is None:
            lists[key] = ()
            continue
        names = [raw] if isinstance(raw, str) else raw
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            c.fail(f"credited_by '{key}' must be a list of names from: {', '.join(choices)}", "credited_by", key)
            lists[key] = ()
            continue
        found: list[str] = []
        for index, name in enumerate(names):
            word = name.strip()
            if word not in choices:
                c.fail(f"unknown credited_by {key} value '{word}'{suggestion(word, choices)}; use one of "
                       f"{', '.join(choices)}", "credited_by", key, index)
            elif word not in found:
                found.append(word)
        lists[key] = tuple(found)
    mba = value.get("mba", False)
    if not isinstance(mba, bool):
        c.fail(f"credited_by 'mba' must be true or false (got {mba!r})", "credited_by", "mba")
        mba = False
    credit = CreditedBy(functions=lists["functions"], company_sizes=lists["company_sizes"],
                        degree=lists["degree"], mba=mba)
    if credit == CreditedBy():
        if len(c.problems) + c.more > problems:  # what was wrong is said already
            return None
        c.fail("'credited_by' credits nothing: name functions, company_sizes or a degree, or set mba: true",
               "credited_by")
        return None
    return credit


def _check_keys(item: RawItem, checker: _Checker) -> None:
    allowed = KEYS[item.kind]
    for key in item.data:
        if str(key) not in allowed:
            if checker.full:  # counted, not checked: a suggestion costs a fuzzy match against every key
                checker.more += 1
                continue
            checker.fail(f"unknown {item.kind} key '{key}'{suggestion(str(key), allowed)}", str(key))
    for key in REQUIRED[item.kind]:
        if item.data.get(key) in (None, ""):
            checker.fail(f"missing required key '{key}'", key)


def _check_id(item: RawItem, checker: _Checker) -> str:
    raw = item.data.get("id")
    if raw is None:
        return ""
    value = str(raw).strip()
    if item.kind in ("module", "milestone"):
        if not FULL_ID.match(value):
            checker.fail(f"id '{value}' must be 'namespace/slug' (lower-case words joined by '-')", "id")
            return ""
        if item.namespace and not value.startswith(item.namespace + "/"):
            checker.fail(f"id '{value}' must start with the pack's namespace '{item.namespace}/'", "id")
            return ""
    elif not PLAIN_ID.match(value):
        checker.fail(f"id '{value}' must be lower-case words joined by '-'", "id")
        return ""
    return value


_REFERENCE_KEYS = ("stage", "track", "skills", "practices", "prerequisites", "requires", "replaces", "roles")


def _origin(item: RawItem) -> Origin:
    key_lines = tuple((key, line) for key, line in item.lines.items()
                      if key.split(".", 1)[0] in _REFERENCE_KEYS and key.count(".") <= 1)
    return Origin(item.plugin, item.path, item.line, key_lines)


def index_of(values: tuple[str, ...], value: str) -> int:
    """Position of ``value`` in ``values`` (0 when absent): which list entry a problem's line points at."""
    return values.index(value) if value in values else 0


def _build_stage(item: RawItem, c: _Checker, ident: str) -> Stage:
    order = c.item.data.get("order")
    if isinstance(order, bool) or not isinstance(order, int):
        c.fail("'order' must be a whole number", "order")
        order = 0
    years = c.text("typical_years")
    roles = c.text_list("roles")
    return Stage(
        id=ident, title=c.text("title"), order=order, summary=c.text("summary"), typical_years=years,
        roles=roles, body=item.body, origin=_origin(item), is_track=item.kind == "track",
    )


def _check_url(url: str, c: _Checker, index: int) -> None:
    try:
        parts = urlsplit(url)
    except ValueError:  # 'http://[::1' (an unclosed IPv6 host), hosts that change under NFKC normalisation
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc or any(ch.isspace() for ch in url):
        c.fail(f"malformed URL '{url}': use an https:// address", "resources", index, "url")


def _build_resources(c: _Checker) -> tuple[Resource, ...]:
    value = c.item.data.get("resources", [])
    if value is None:
        return ()
    if not isinstance(value, list):
        c.fail("'resources' must be a list", "resources")
        return ()
    out: list[Resource] = []
    for index, raw in enumerate(value):
        if not isinstance(raw, dict):
            c.fail(f"resource {index + 1} must be a mapping with kind and title", "resources", index)
            continue
        for key in raw:
            if str(key) not in RESOURCE_KEYS:
                if c.full:
                    c.more += 1
                    continue
                c.fail(f"unknown resource key '{key}'{suggestion(str(key), RESOURCE_KEYS)}",
                       "resources", index, key)
        kind, title = str(raw.get("kind", "")).strip(), str(raw.get("title", "") or "").strip()
        if kind not in RESOURCE_KINDS:
            c.fail(f"unknown resource kind '{kind}'{suggestion(kind, RESOURCE_KINDS)}; use one of "
                   f"{', '.join(RESOURCE_KINDS)}", "resources", index, "kind")
        if not title:
            c.fail(f"resource {index + 1} needs a title", "resources", index)
        authors = raw.get("authors", [])
        if isinstance(authors, str):
            authors = [authors]
        if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
            c.fail("resource 'authors' must be a list of names", "resources", index, "authors")
            authors = []
        year = raw.get("year")
        bad_year = isinstance(year, bool) or not isinstance(year, int) or not YEARS[0] <= year <= YEARS[1]
        if year is not None and bad_year:
            c.fail(f"resource year '{year}' must be a four-digit year", "resources", index, "year")
            year = None
        url = raw.get("url")
        if url is not None:
            url = str(url).strip()
            _check_url(url, c, index)
        cost = raw.get("cost")
        if cost is not None and cost not in COSTS:
            c.fail(f"resource cost '{cost}' must be 'free' or 'paid'", "resources", index, "cost")
        provider = raw.get("provider")
        isbn = raw.get("isbn")
        if isbn is not None:
            # YAML reads an unquoted ISBN as a number; its digits are what matter.
            isbn = str(isbn).strip() if not isinstance(isbn, bool) else ""
            if not isbn13_ok(isbn):
                c.fail(f"resource isbn '{isbn}' is not a valid ISBN-13 (13 digits, the last a check digit)",
                       "resources", index, "isbn")
        out.append(Resource(
            kind=kind, title=title, authors=tuple(a.strip() for a in authors), year=year,
            provider=str(provider).strip() if provider is not None else None, url=url,
            cost=str(cost) if cost is not None else None, isbn=isbn.replace("-", "") if isbn else None,
        ))
    return tuple(out)


def _build_module(item: RawItem, c: _Checker, ident: str) -> Module:
    hours = c.number("hours") if "hours" in item.data else None
    if hours is not None and not 0 < hours <= MAX_HOURS:
        c.fail(f"hours must be more than 0 and at most {MAX_HOURS:g} (got {hours:g})", "hours")
    kind = c.text("kind")
    if kind and kind not in MODULE_KINDS:
        c.fail(f"unknown kind '{kind}'{suggestion(kind, MODULE_KINDS)}; use 'core' or 'elective'", "kind")
    skills_raw = item.data.get("skills", {})
    skills: dict[str, int] = {}
    if not isinstance(skills_raw, dict):
        c.fail("'skills' must map skill ids to levels 1-5", "skills")
    else:
        for skill, level in skills_raw.items():
            if isinstance(level, bool) or not isinstance(level, int) or not LEVELS[0] <= level <= LEVELS[1]:
                c.fail(f"skill '{skill}' level must be a whole number from 1 to 5 (got {level!r})",
                       "skills", str(skill))
                continue
            skills[str(skill)] = level
    practices = c.text_list("practices")
    prerequisites = c.text_list("prerequisites")
    outcomes = c.text_list("outcomes")
    resources = _build_resources(c)
    replaces = c.text("replaces") or None
    roles = c.text_list("roles")
    weeks, in_role, habit = _weeks(c), _in_role(c), _habit(c)
    credited_by = _credited_by(c)
    return Module(
        id=ident, title=c.text("title"), stage=c.text("stage"), track=c.text("track") or None,
        hours=hours or 0.0,
        kind=kind, skills=MappingProxyType(skills), practices=practices, prerequisites=prerequisites,
        outcomes=outcomes, resources=resources, replaces=replaces, body=item.body, origin=_origin(item),
        roles=roles, weeks=weeks, in_role=in_role, habit=habit, credited_by=credited_by,
    )


def _build_milestone(item: RawItem, c: _Checker, ident: str) -> Milestone:
    criteria = c.text_list("criteria")
    requires = c.text_list("requires")
    evidence = c.text("evidence")
    replaces = c.text_list("replaces")
    weeks, in_role = _weeks(c), _in_role(c)
    return Milestone(
        id=ident, title=c.text("title"), stage=c.text("stage"), criteria=criteria, requires=requires,
        evidence=evidence, body=item.body, origin=_origin(item), replaces=replaces, weeks=weeks,
        in_role=in_role,
    )


def _level_statements(c: _Checker) -> tuple[str, ...]:
    """A skill's ``levels``: a mapping of every level 1-5 to a non-empty statement (or a list of five), as the
    statements for levels 1..5; () when there are none or they are wrong (the problem is reported)."""
    raw = c.item.data.get("levels")
    if raw is None:
        return ()
    wanted = list(range(LEVELS[0], LEVELS[1] + 1))
    if isinstance(raw, list):
        raw = dict(zip(wanted, raw, strict=False)) if len(raw) == len(wanted) else raw
    if not isinstance(raw, dict):
        c.fail(f"'levels' must map each level {LEVELS[0]}-{LEVELS[1]} to what a person at that level does",
               "levels")
        return ()
    by_level: dict[int, str] = {}
    for key, text in raw.items():
        level = int(key) if isinstance(key, str) and key.strip().isdigit() and key.isascii() else key
        if isinstance(level, bool) or not isinstance(level, int) or level not in wanted:
            c.fail(f"'levels' has level {key!r}: levels are the whole numbers {LEVELS[0]}-{LEVELS[1]} "
                   "(0, 'never done it', is the same for every skill and is not given)", "levels", str(key))
            continue
        if level in by_level:
            c.fail(f"'levels' gives level {level} twice", "levels", str(key))
            continue
        if not isinstance(text, str) or not text.strip():
            c.fail(f"'levels' level {level} must be a non-empty statement of what a person at that level does",
                   "levels", str(key))
            continue
        by_level[level] = text.strip()
    missing = [str(level) for level in wanted if level not in by_level]
    if missing:
        c.fail(f"'levels' is missing level {', '.join(missing)}: give all of {LEVELS[0]}-{LEVELS[1]}", "levels")
        return ()
    return tuple(by_level[level] for level in wanted)


def read_item(item: RawItem) -> tuple[Any, list[Problem]]:
    """The model record for a raw item and every problem in its fields.

    The record is built even when some fields are wrong (a wrong field is left empty), so the cross-reference
    checks can still run on it and every problem of a file is reported at once; an item with problems never
    enters the catalog.
    """
    checker = _Checker(item)
    _check_keys(item, checker)
    _check_control_characters(item, checker)
    ident = _check_id(item, checker)
    builders: dict[str, Callable[[RawItem, _Checker, str], Any]] = {
        "stage": _build_stage, "track": _build_stage, "module": _build_module, "milestone": _build_milestone,
    }
    if item.kind in builders:
        built = builders[item.kind](item, checker, ident)
    elif item.kind == "skill":
        built = Skill(ident, checker.text("title"), checker.text("description"), _origin(item),
                      _level_statements(checker))
    else:
        built = Practice(ident, checker.text("title"), _origin(item), checker.text("description"))
    return built, checker.finish()


def check_item(item: RawItem) -> tuple[Any, list[Problem]]:
    """The model record for a raw item (None when it is invalid) and every problem in its fields."""
    built, problems = read_item(item)
    return (None if problems else built), problems


def _check_control_characters(item: RawItem, checker: _Checker) -> None:
    """Text holding a control character (an escape sequence that would retitle or clear a terminal, a bidi
    override that reorders what a reader sees) is refused wherever it is: keys, values and the body."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(item.data, ())]
    while stack:
        value, where = stack.pop()
        if isinstance(value, dict):
            for key, inner in value.items():
                stack.append((inner, (*where, key)))
                if isinstance(key, str) and has_control(key):
                    checker.fail(f"key {one_line(repr(key))} holds a control character; remove it",
                                 *where, key)
        elif isinstance(value, list):
            stack.extend((inner, (*where, index)) for index, inner in enumerate(value))
        elif isinstance(value, str) and has_control(value):
            name = ".".join(str(part) for part in where) or "front matter"
            checker.fail(f"'{name}' holds a control character ({one_line(first_control(value))}); "
                         "remove it", *where)
    if isinstance(item.body, str) and has_control(item.body):
        checker.fail(f"the Markdown body holds a control character ({one_line(first_control(item.body))}); "
                     "remove it")
