"""Credit for experience and background: a module that declares ``credited_by`` is credited to a learner whose
profile matches it, shown with the reason, counted like a waiver, never silently dropped, and planned again
once the learner reopens it."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import MappingProxyType

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpo_learn.content.catalog import Catalog
from cpo_learn.content.model import COMPANY_SIZES, CREDIT_DEGREES, DEGREES, FUNCTIONS, CreditedBy
from cpo_learn.planning.credit import credit_for
from cpo_learn.planning.planner import make_plan
from cpo_learn.planning.profile import Background, Experience, Profile
from cpo_learn.planning.state import EMPTY_STATE, ItemState, LearnerState, Status
from cpo_learn.rendering.curriculum import render_html, render_json, render_markdown
from cpo_learn.rendering.exporters import ExportContext
from helpers import Invoke, module_text
from synthetic import catalogs, profiles

TODAY = date(2026, 1, 5)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SUPPORT = "diversify-experience/shadow-customer-support"
SOFTWARE = "education/how-software-is-built"
AGILE = "education/agile-ways-of-working"
SALES = "diversify-experience/sit-in-on-sales-conversations"
MOVE = "diversify-experience/plan-a-move-to-a-different-company-size"

credits = st.builds(
    CreditedBy,
    functions=st.lists(st.sampled_from(FUNCTIONS), max_size=2, unique=True).map(tuple),
    company_sizes=st.lists(st.sampled_from(COMPANY_SIZES), max_size=3, unique=True).map(tuple),
    degree=st.lists(st.sampled_from(CREDIT_DEGREES), max_size=2, unique=True).map(tuple),
    mba=st.booleans(),
)


@st.composite
def credited_catalogs(draw: st.DrawFn) -> Catalog:
    """A synthetic catalog in which some modules declare ``credited_by``."""
    catalog = draw(catalogs())
    modules = {mid: replace(m, credited_by=draw(st.one_of(st.none(), credits)))
               for mid, m in catalog.modules.items()}
    return replace(catalog, modules=MappingProxyType(modules))


@st.composite
def learners(draw: st.DrawFn) -> Profile:
    """A synthetic profile with a background and experience."""
    return replace(
        draw(profiles()),
        background=Background(draw(st.one_of(st.none(), st.sampled_from(DEGREES))), draw(st.booleans())),
        experience=Experience(
            tuple(draw(st.lists(st.sampled_from(COMPANY_SIZES), max_size=3, unique=True))),
            tuple(draw(st.lists(st.sampled_from([*FUNCTIONS, "legal"]), max_size=3, unique=True))),
        ),
    )


@st.composite
def records(draw: st.DrawFn, catalog: Catalog) -> LearnerState:
    """Recorded progress, reopened modules ("planned") included."""
    ids = list(catalog.modules)
    chosen = draw(st.lists(st.sampled_from(ids), unique=True, max_size=min(6, len(ids))))
    return LearnerState(modules=MappingProxyType({
        mid: ItemState(draw(st.sampled_from(["planned", "planned", "started", "done", "skipped", "waived"])),
                       date(2025, 6, 1))
        for mid in chosen
    }))


@SETTINGS
@given(st.data())
def test_a_credited_module_is_never_to_do_unless_reopened(data: st.DataObject) -> None:
    catalog = data.draw(credited_catalogs())
    profile = data.draw(learners())
    state = data.draw(records(catalog))
    plan = make_plan(catalog, profile, state, data.draw(st.dates(date(2025, 1, 1), date(2028, 12, 31))))
    scope = {s.id for s in plan.stages}
    for entry in plan.entries:
        credit = credit_for(entry.module, profile)
        recorded = state.modules.get(entry.id)
        if credit is not None and recorded is None:
            assert entry.status is Status.WAIVED and entry.credited, entry
            assert entry.credit == credit and entry.reason.startswith(f"credited: {credit}")
        if credit is not None and entry.to_do:
            # only the learner's own record (a reopen, or work started) brings a credited module back
            assert recorded is not None and recorded.status in (Status.PLANNED, Status.STARTED), entry
        if entry.credited:
            assert credit is not None and recorded is None
    # never silently dropped: every credited module of the stages in scope is listed, as credited
    for module in catalog.modules.values():
        if module.stage in scope and credit_for(module, profile) and module.id not in state.modules:
            found = plan.entry(module.id)
            assert found is not None and found.credited, module.id
    # counted like a waiver: no hours to do, none in the totals
    credited = {e.id for e in plan.credited}
    assert plan.remaining_hours == sum(e.hours for e in plan.entries if e.to_do and e.id not in credited)
    assert all(not e.to_do and e.week is None for e in plan.entries if e.id in credited)


@SETTINGS
@given(st.data())
def test_a_reopened_credited_module_is_wanted_again(data: st.DataObject) -> None:
    catalog = data.draw(credited_catalogs())
    profile = data.draw(learners())
    plan = make_plan(catalog, profile, EMPTY_STATE, TODAY)
    if not plan.credited:
        return
    chosen = data.draw(st.sampled_from(plan.credited))
    state = LearnerState(modules=MappingProxyType({chosen.id: ItemState("planned", TODAY)}))
    again = make_plan(catalog, profile, state, TODAY)
    entry = again.entry(chosen.id)
    left = {item.module.id for item in again.not_fitted}
    assert chosen.id in left or (entry is not None and entry.to_do and not entry.credited), entry
    if entry is not None:
        assert "reopened by you" in entry.reason


def switcher(stage: str = "education", target: str = "starting-roles", **changes: object) -> Profile:
    """A career switcher from customer service and engineering, with a computer-science degree."""
    profile = Profile(
        name="Sam Switcher", stage=stage, target=target, hours_per_week=6,
        background=Background("computer-science", False),
        experience=Experience(("startup", "large"), ("customer-service", "engineering")),
    )
    return replace(profile, **changes)  # type: ignore[arg-type]


def test_the_rule_for_each_part_of_credited_by(catalog: Catalog) -> None:
    module = catalog.modules[MOVE]
    assert module.credited_by == CreditedBy(company_sizes=("startup", "mid-size", "large"))
    one_size = replace(switcher(), experience=Experience(("startup",), ()))
    assert credit_for(module, one_size) is None  # one company size is no move between sizes
    assert credit_for(module, switcher()) == "you have worked at a startup and a large company"
    startup_only = replace(module, credited_by=CreditedBy(company_sizes=("startup",)))
    assert credit_for(startup_only, one_size) == "you have worked at a startup"
    business = catalog.modules["education/business-and-market-basics"]
    assert credit_for(business, switcher()) is None
    assert credit_for(business, replace(switcher(), background=Background("business", True))) == (
        "you have a business degree and you have an MBA")
    assert credit_for(business, replace(switcher(), background=Background("none", True))) == "you have an MBA"
    assert credit_for(catalog.modules[SOFTWARE], switcher()) == (
        "you have worked in engineering and you have a computer-science degree")
    assert credit_for(catalog.modules[SOFTWARE], replace(switcher(), experience=Experience(), background=Background(
        "engineering"))) == "you have an engineering degree"
    assert credit_for(catalog.modules[SALES], switcher()) is None


def test_a_career_switcher_sees_those_stints_credited_in_markdown_html_and_json(catalog: Catalog) -> None:
    plan = make_plan(catalog, switcher(), EMPTY_STATE, TODAY)
    context = ExportContext("sam-switcher", TODAY)
    expected = {
        SUPPORT: "credited: you have worked in customer service",
        SOFTWARE: "credited: you have worked in engineering and you have a computer-science degree",
        AGILE: "credited: you have worked in engineering",
    }
    by_id = {e.id: e for e in plan.credited}
    assert set(expected) <= set(by_id)
    for module_id, reason in expected.items():
        assert by_id[module_id].reason == reason and by_id[module_id].status is Status.WAIVED
    assert SALES not in by_id  # no sales experience: the sales stint stays to do
    markdown = render_markdown(plan, context)
    appendix = markdown.split("## Credited modules", 1)[1]
    for module_id, reason in expected.items():
        line = next(line for line in appendix.splitlines() if f"`{module_id}`" in line)
        assert line.endswith(f"· credited — {reason}"), line  # one line: the task (for sync) and the reason
    assert f"{len(plan.credited)} credited" in markdown
    waived_appendix = markdown.split("## Waived modules", 1)[1].split("## Credited modules", 1)[0]
    assert SUPPORT not in waived_appendix
    assert "credited by your experience or background: see [credited modules](#credited-modules)" in markdown
    html = render_html(plan, context)
    assert 'id="credited-modules"' in html and "credited: you have worked in customer service" in html
    data = json.loads(render_json(plan, context))
    modules = {m["id"]: m for s in data["stages"] for m in s["modules"]}
    for module_id, reason in expected.items():
        assert modules[module_id]["status"] == "waived" and modules[module_id]["reason"] == reason
        assert modules[module_id]["credit"] == reason.removeprefix("credited: ")
    assert {c["id"] for c in data["credited"]} == set(by_id)
    assert all(m["credit"] is None for m in modules.values() if m["id"] not in by_id)
    # counted like a waiver: without the credits the plan holds their hours
    plain = make_plan(catalog, replace(switcher(), experience=Experience(), background=Background()),
                      EMPTY_STATE, TODAY)
    credited_hours = sum(e.hours for e in plan.credited)
    assert plan.remaining_hours == plain.remaining_hours - credited_hours


def test_a_credited_prerequisite_from_an_earlier_stage_says_what_needs_it(catalog: Catalog) -> None:
    plan = make_plan(catalog, switcher(stage="starting-roles", target="mid-level"), EMPTY_STATE, TODAY)
    entry = plan.entry(SOFTWARE)
    assert entry is not None and entry.credited and entry.catch_up
    assert entry.reason.startswith("credited: you have worked in engineering") and "prerequisite of" in entry.reason


def test_an_organisation_can_still_require_a_credited_module(catalog: Catalog) -> None:
    plan = make_plan(catalog, switcher(), EMPTY_STATE, TODAY)
    required = plan.with_required(SUPPORT, reason="mandatory at Acme")
    entry = required.entry(SUPPORT)
    assert entry is not None and entry.to_do and not entry.credited and entry.reason == "mandatory at Acme"
    assert SUPPORT not in {e.id for e in required.credited}


def init_switcher(run: Invoke) -> None:
    result = run("init", "--name", "Sam Switcher", "--stage", "education", "--target", "starting-roles",
                 "--hours", "6", "--degree", "computer-science", "--company-size", "startup",
                 "--company-size", "large", "--function", "customer-service", "--function", "engineering")
    assert result.exit_code == 0, result.output


def plan_json(run: Invoke) -> dict[str, object]:
    result = run("generate", "--format", "json", "-o", "-")
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def modules_of(data: dict[str, object]) -> dict[str, dict[str, object]]:
    stages = data["stages"]
    assert isinstance(stages, list)
    return {m["id"]: m for s in stages for m in s["modules"]}


def test_reopen_plans_a_credited_module_again_and_undo_credits_it_again(run: Invoke) -> None:
    init_switcher(run)
    before = plan_json(run)
    assert modules_of(before)[SUPPORT]["status"] == "waived"
    assert SUPPORT not in [m["id"] for m in json.loads(run("next", "--json", "-n", "100").stdout)]
    result = run("reopen", SUPPORT, "--note", "my support days were long ago")
    assert result.exit_code == 0, result.output
    assert "was credited: you have worked in customer service; it is in your plan now" in result.stdout
    after = plan_json(run)
    entry = modules_of(after)[SUPPORT]
    assert entry["status"] == "planned" and entry["credit"] is None and "reopened by you" in str(entry["reason"])
    assert SUPPORT not in {c["id"] for c in after["credited"]}  # type: ignore[union-attr]
    assert after["remaining_hours"] == before["remaining_hours"] + entry["hours"]  # type: ignore[operator]
    progress = json.loads(run("progress", "--json").stdout)
    assert progress["total_hours"] == after["total_hours"]
    assert run("reopen", SUPPORT).stdout.startswith(f"{SUPPORT} is already reopened")
    assert run("undo").exit_code == 0
    assert modules_of(plan_json(run))[SUPPORT]["status"] == "waived"


def test_markdown_of_a_switcher_on_the_command_line(run: Invoke) -> None:
    init_switcher(run)
    result = run("generate", "-o", "-")
    assert result.exit_code == 0, result.output
    assert "## Credited modules" in result.stdout
    assert f"`{SUPPORT}`" in result.stdout.split("## Credited modules", 1)[1]
    assert "· credited — credited: you have worked in customer service" in result.stdout


def test_vocabulary_lists_what_may_credit_a_module(run: Invoke) -> None:
    data = json.loads(run("vocabulary", "--json").stdout)
    assert data["credited_by"] == {"functions": list(FUNCTIONS), "company_sizes": list(COMPANY_SIZES),
                                   "degree": list(CREDIT_DEGREES)}
    text = run("vocabulary").stdout
    assert "credited_by" in text and "customer-service" in text


BAD_CREDITS = [
    ("{functions: [customer-servce]}",
     "unknown credited_by functions value 'customer-servce' (did you mean 'customer-service'?)"),
    ("{function: [sales]}", "unknown credited_by key 'function' (did you mean 'functions'?)"),
    ("{company_sizes: [tiny]}", "unknown credited_by company_sizes value 'tiny'"),
    ("{degree: [none]}", "unknown credited_by degree value 'none'"),
    ("{mba: often}", "credited_by 'mba' must be true or false (got 'often')"),
    ("{mba: false}", "'credited_by' credits nothing"),
    ("{functions: {sales: 1}}", "credited_by 'functions' must be a list of names"),
    ("[sales]", "'credited_by' must be a mapping"),
]


def test_each_bad_credited_by_is_one_line_naming_the_file(run: Invoke, make_pack) -> None:  # type: ignore[no-untyped-def]
    for number, (value, message) in enumerate(BAD_CREDITS):
        pack: Path = make_pack(f"acme{number}", {"basics": module_text(f"acme{number}/basics", credited_by=value)})
        result = run("validate", str(pack))
        assert result.exit_code == 1, value
        lines = [line for line in result.output.splitlines() if line.startswith(str(pack))]
        assert len(lines) == 1, (value, result.output)
        assert lines[0].startswith(f"{pack}/modules/basics.md:10: "), lines[0]
        assert message in lines[0], (message, lines[0])
        assert "Traceback" not in result.output


def test_a_good_credited_by_validates_from_a_pack_and_from_a_hook(run: Invoke, make_pack, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pack = make_pack("acme", {"basics": module_text("acme/basics", credited_by="{functions: sales, mba: true}")})
    assert run("validate", str(pack)).exit_code == 0
    plugin = tmp_path / "hooked" / "acme_hook.py"
    plugin.parent.mkdir()
    plugin.write_text(
        "import cpo_learn\n\n"
        "@cpo_learn.hookimpl\n"
        "def cpo_learn_register_content(registry):\n"
        "    registry.add_module(id='hook/sales-basics', title='Sales basics', stage='mid-level', kind='core',\n"
        "                        hours=3, skills={'communication': 2}, credited_by={'functions': ['sales']})\n",
        encoding="utf-8")
    result = run("--plugins-dir", str(plugin.parent), "show", "hook/sales-basics")
    assert result.exit_code == 0, result.output
    result = run("--plugins-dir", str(plugin.parent), "init", "--name", "Sal", "--stage", "mid-level",
                 "--target", "mid-level", "--hours", "5", "--function", "sales")
    assert result.exit_code == 0, result.output
    data = json.loads(run("--plugins-dir", str(plugin.parent), "generate", "--format", "json", "-o", "-").stdout)
    assert modules_of(data)["hook/sales-basics"]["reason"] == "credited: you have worked in sales"


def test_show_and_modules_json_say_what_credits_a_module(run: Invoke) -> None:
    shown = run("show", MOVE)
    assert shown.exit_code == 0
    assert "credited by: worked at two or more company sizes of startup, mid-size, large" in shown.stdout
    assert "credited by: a business degree; an MBA" in run("show", "education/business-and-market-basics").stdout
    modules = {m["id"]: m for m in json.loads(run("modules", "--json").stdout)}
    assert modules[SUPPORT]["credited_by"] == {"functions": ["customer-service"], "company_sizes": [],
                                               "degree": [], "mba": False}
    assert modules["mid-level/continuous-discovery"]["credited_by"] is None


def test_why_this_plan_counts_the_credits_by_what_credits_them(catalog: Catalog) -> None:
    from collections import Counter

    from cpo_learn.planning.why import why_this_plan

    plan = make_plan(catalog, switcher(), EMPTY_STATE, TODAY)
    line = next(line for line in why_this_plan(plan) if line.startswith("Credited from your experience"))
    assert f": {len(plan.credited)} modules, " in line
    for credit, count in Counter(e.credit for e in plan.credited).items():
        assert f"{count} because {credit}" in line
    data = json.loads(render_json(plan, ExportContext("sam-switcher", TODAY)))
    assert line in data["why"]
    nobody = make_plan(catalog, replace(switcher(), background=Background(), experience=Experience()), EMPTY_STATE,
                       TODAY)
    assert not nobody.credited and not any(line.startswith("Credited") for line in why_this_plan(nobody))
