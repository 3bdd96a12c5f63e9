"""The memos a process keeps between two looks at one learner: the plan (``plan_for``) and the parsed events of
the learner file's bytes (``LearnerStore._parse_events``). Each gives what the long way gives, and any change to
what it is keyed on makes it work again."""

from __future__ import annotations

from datetime import date

import pytest

from cpo_learn.app import learner as learner_module
from cpo_learn.app.learner import load_learner, plan_for
from cpo_learn.host.plugins import PluginHost
from cpo_learn.tracking import events as events_module
from cpo_learn.tracking.events import fold
from cpo_learn.tracking.tracker import Tracker

TALKING = "education/talking-to-users"
TODAY = date(2026, 3, 2)


@pytest.fixture
def host() -> PluginHost:
    loaded = PluginHost(env={})
    loaded.load()
    return loaded


def test_the_same_learner_is_planned_once_and_a_change_plans_again(tracker: Tracker, ada: str,
                                                                     host: PluginHost) -> None:
    catalog = host.catalog()
    store = tracker.store(ada)
    first = load_learner(host, catalog, store, TODAY)
    again = load_learner(host, catalog, store, TODAY)
    assert again.plan is first.plan  # memoised
    tomorrow = load_learner(host, catalog, store, date(2026, 3, 3))
    assert tomorrow.plan is not first.plan and tomorrow.plan.today == date(2026, 3, 3)
    store.record("completed", TALKING)
    done = load_learner(host, catalog, store, TODAY)
    assert done.plan is not first.plan
    assert done.plan.entry(TALKING) is not None and str(done.plan.entry(TALKING).status) == "done"
    other = PluginHost(env={})
    other.load()
    assert load_learner(other, other.catalog(), store, TODAY).plan is not done.plan  # another host


def test_a_memoised_plan_is_the_plan_made_afresh(tracker: Tracker, ada: str, host: PluginHost,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = host.catalog()
    store = tracker.store(ada)
    store.record("started", TALKING)
    current = load_learner(host, catalog, store, TODAY)
    memoised = plan_for(host, catalog, current.profile, current.state, TODAY)
    monkeypatch.setenv("CPO_LEARN_NO_CACHE", "1")
    fresh = plan_for(host, catalog, current.profile, current.state, TODAY)
    assert fresh is not memoised
    assert fresh == memoised


def test_no_cache_keeps_no_plan(tracker: Tracker, ada: str, host: PluginHost,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CPO_LEARN_NO_CACHE", "1")
    monkeypatch.setattr(learner_module, "_plans", {})
    catalog = host.catalog()
    store = tracker.store(ada)
    assert load_learner(host, catalog, store, TODAY).plan is not load_learner(host, catalog, store, TODAY).plan
    assert learner_module._plans == {}


def test_the_memo_holds_at_most_its_size(tracker: Tracker, ada: str, host: PluginHost,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(learner_module, "_plans", {})
    catalog = host.catalog()
    store = tracker.store(ada)
    for day in range(1, learner_module.PLAN_MEMO_SIZE + 6):
        load_learner(host, catalog, store, date(2026, 1, day))
    assert len(learner_module._plans) == learner_module.PLAN_MEMO_SIZE


def test_unchanged_bytes_are_parsed_once_and_new_bytes_again(tracker: Tracker, ada: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    store = tracker.store(ada)
    store.record("started", TALKING)
    parsed: list[str] = []
    original = events_module.Event.from_dict

    def counting(data: dict[str, object]) -> events_module.Event:
        parsed.append(str(data.get("id")))
        return original(data)

    monkeypatch.setattr(events_module.Event, "from_dict", staticmethod(counting))
    first = store.events()  # the bytes the record wrote: parsed, every event
    count = len(parsed)
    assert count == len(first) == 1
    assert store.events() == first and len(parsed) == count  # the same bytes: not parsed again
    store.record("completed", TALKING)  # under the lock: the bytes read are the ones parsed above
    assert len(parsed) == count
    events = store.events()  # new bytes
    assert len(parsed) > count
    assert [e.type for e in events][-2:] == ["started", "completed"]
    assert fold(events).modules[TALKING].status == "done"


def test_the_same_bytes_of_another_file_are_parsed_for_that_file(tracker: Tracker, ada: str) -> None:
    first = tracker.store(ada)
    first.record("started", TALKING)
    second = tracker.store("grace")
    second.path.parent.mkdir(parents=True, exist_ok=True)
    second.path.write_bytes(first.path.read_bytes())
    assert second.events() == first.events()
    second.path.write_bytes(b"{}")
    with pytest.raises(Exception, match="not a cpo-learn learner file"):
        second.events()
