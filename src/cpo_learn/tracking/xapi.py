"""A learner's history as xAPI (Experience API 1.0.3) statements, ready to send to a learning record store.

One statement per event, with the event's id as the statement id (so sending twice stores once):

| event                | verb                                                       | object                |
| -------------------- | ---------------------------------------------------------- | --------------------- |
| `started`            | http://adlnet.gov/expapi/verbs/attempted                   | the module            |
| `completed`          | http://adlnet.gov/expapi/verbs/completed                   | the module            |
| `skipped`            | http://id.tincanapi.com/verb/skipped                       | the module            |
| `waived`             | https://w3id.org/xapi/adl/verbs/waived (reason: see below) | the module            |
| `reopened`           | http://adlnet.gov/expapi/verbs/progressed (not complete)   | the module/milestone  |
| `milestone_achieved` | http://adlnet.gov/expapi/verbs/completed (evidence)        | the milestone         |
| `undone`             | http://adlnet.gov/expapi/verbs/voided                      | the reversed statement|
| `assessed`           | http://adlnet.gov/expapi/verbs/scored (the level 0-5)      | the skill             |

Strict xAPI 1.0.3 (checked in the tests against Ralph's strict statement models): a completion carries
``result.duration`` (ISO 8601, the module's hours, e.g. ``PT6H`` or ``PT1H30M``); a waiver carries its reason
in the cmi5 ``https://w3id.org/xapi/cmi5/result/extensions/reason`` result extension (and in ``response``);
``context.platform`` is given only when the object is an Activity (xAPI 1.0.3 section 2.4.6 forbids it on a
voiding statement, whose object is a StatementRef); no statement holds an empty value. A self-assessment
carries its level as ``result.score`` (``raw`` 0-5 with ``min`` 0, ``max`` 5 and ``scaled`` = level / 5).

Activity ids are IRIs under a base (``https://cpo-learn.invalid`` unless an organisation gives its own):
``<base>/modules/<namespace>/<slug>``, ``<base>/milestones/<namespace>/<slug>`` and ``<base>/skills/<id>``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from cpo_learn.errors import UsageError
from cpo_learn.tracking.events import RATING_RANGE, Event, EventType

if TYPE_CHECKING:
    from cpo_learn.content.catalog import Catalog

DEFAULT_BASE = "https://cpo-learn.invalid"
ADL = "http://adlnet.gov/expapi/verbs/"
VERBS: Mapping[str, tuple[str, str]] = {
    "started": (ADL + "attempted", "attempted"),
    "completed": (ADL + "completed", "completed"),
    "skipped": ("http://id.tincanapi.com/verb/skipped", "skipped"),
    "waived": ("https://w3id.org/xapi/adl/verbs/waived", "waived"),
    "reopened": (ADL + "progressed", "progressed"),
    "milestone_achieved": (ADL + "completed", "completed"),
    "undone": (ADL + "voided", "voided"),
    "assessed": (ADL + "scored", "scored"),
}
MODULE_TYPE = "http://adlnet.gov/expapi/activities/module"
MILESTONE_TYPE = "http://adlnet.gov/expapi/activities/objective"
SKILL_TYPE = "http://adlnet.gov/expapi/activities/assessment"
LANGUAGE = "en-US"
CMI5_REASON = "https://w3id.org/xapi/cmi5/result/extensions/reason"
PLATFORM = "cpo-learn"


def check_base(base: str | None) -> None:
    """A ``UsageError`` unless ``base`` (when given) is an http(s) address."""
    if base is not None and not re.match(r"https?://[^/\s]+", base):
        raise UsageError(f"--base must be an http(s) address like https://lrs.example.com/cpo (got {base!r})")


def check_mbox(mbox: str | None) -> None:
    """A ``UsageError`` unless ``mbox`` (when given) is an e-mail address (``mailto:`` optional)."""
    if mbox is not None and not re.fullmatch(r"(mailto:)?[^@\s]+@[^@\s]+", mbox):
        raise UsageError(f"--mbox must be an e-mail address like ada@example.com (got {mbox!r})")


def activity_iri(base: str, kind: str, item_id: str) -> str:
    """``<base>/<kind>/<id>`` with the id's characters made IRI-safe (``/`` kept as a path separator)."""
    return f"{base.rstrip('/')}/{kind}/{quote(item_id, safe='/')}"


def actor(name: str, account: str, base: str, mbox: str | None = None) -> dict[str, Any]:
    """The learner as an xAPI Agent: by e-mail when given, else by an account named after their slug."""
    agent: dict[str, Any] = {"objectType": "Agent", "name": name}
    if mbox:
        agent["mbox"] = mbox if mbox.startswith("mailto:") else f"mailto:{mbox}"
    else:
        agent["account"] = {"homePage": base.rstrip("/") + "/", "name": account}
    return agent


def iso_duration(hours: float) -> str:
    """Hours as an ISO 8601 duration to the minute: ``6`` -> ``PT6H``, ``1.5`` -> ``PT1H30M``, ``0`` -> ``PT0M``."""
    whole, minutes = divmod(round(hours * 60), 60)
    text = (f"{whole}H" if whole else "") + (f"{minutes}M" if minutes or not whole else "")
    return "PT" + text


def statements(events: Sequence[Event], *, name: str, account: str, titles: Mapping[str, str],
               milestones: set[str], base: str = DEFAULT_BASE, mbox: str | None = None,
               hours: Mapping[str, float] | None = None) -> list[dict[str, Any]]:
    """xAPI statements for ``events`` (log order).

    ``titles`` gives display names by id (missing ones show the id); ``milestones`` says which targets are
    milestones; ``hours`` gives modules' hours (a completion of a module with hours carries them as
    ``result.duration``). An ``undone`` that reverses another ``undone`` cannot be said in xAPI (a voiding statement
    cannot be voided) and is left out.
    """
    by_id = {event.id: event for event in events}
    who = actor(name, account, base, mbox)
    result: list[dict[str, Any]] = []
    for event in events:
        verb_id, verb_name = VERBS[event.type]
        statement: dict[str, Any] = {
            "id": event.id, "actor": who,
            "verb": {"id": verb_id, "display": {LANGUAGE: verb_name}},
        }
        if event.type == EventType.UNDONE:
            reversed_event = by_id.get(event.reverses or "")
            if reversed_event is not None and reversed_event.type == EventType.UNDONE:
                continue
            statement["object"] = {"objectType": "StatementRef", "id": event.reverses}
        else:
            is_milestone = event.target in milestones or event.type == EventType.MILESTONE_ACHIEVED
            kind, activity_type = ("milestones", MILESTONE_TYPE) if is_milestone else ("modules", MODULE_TYPE)
            if event.type == EventType.ASSESSED:
                kind, activity_type = "skills", SKILL_TYPE
            statement["object"] = {
                "objectType": "Activity", "id": activity_iri(base, kind, event.target),
                "definition": {"name": {LANGUAGE: titles.get(event.target, event.target)},
                               "type": activity_type},
            }
            outcome = _result(event, (hours or {}).get(event.target))
            if outcome:
                statement["result"] = outcome
        context_extensions: dict[str, Any] = {f"{base.rstrip('/')}/xapi/recorded": event.timestamp}
        if event.plugin:
            context_extensions[f"{base.rstrip('/')}/xapi/plugin"] = event.plugin
        context: dict[str, Any] = {"extensions": context_extensions}
        if statement["object"]["objectType"] == "Activity":  # xAPI 1.0.3 2.4.6.s4.b2: only then
            context = {"platform": PLATFORM, **context}
        statement["context"] = context
        # xAPI's timestamp is when the experience happened: the learner's --on day when they gave one.
        statement["timestamp"] = f"{event.on.isoformat()}T00:00:00Z" if event.on else event.timestamp
        result.append(statement)
    return result


def catalog_statements(events: Sequence[Event], catalog: Catalog, *, name: str, account: str,
                       base: str = DEFAULT_BASE, mbox: str | None = None) -> list[dict[str, Any]]:
    """``statements`` with titles, milestones and hours from the catalog (``export`` and ``lrs push`` alike, so
    one event is always the same statement)."""
    titles = {**{s.id: s.title for s in catalog.skills.values()},
              **{m.id: m.title for m in catalog.modules.values()},
              **{m.id: m.title for m in catalog.milestones.values()}}
    hours = {m.id: m.hours for m in catalog.modules.values()}
    return statements(events, name=name, account=account, titles=titles, milestones=set(catalog.milestones),
                      base=base, mbox=mbox, hours=hours)


def _result(event: Event, hours: float | None) -> dict[str, Any]:
    outcome: dict[str, Any] = {}
    if event.type in (EventType.COMPLETED, EventType.MILESTONE_ACHIEVED):
        outcome["completion"] = True
        if event.type == EventType.COMPLETED and hours:
            outcome["duration"] = iso_duration(hours)
    elif event.type == EventType.REOPENED:
        outcome["completion"] = False
    elif event.type == EventType.ASSESSED and event.level is not None:
        low, high = RATING_RANGE
        outcome["score"] = {"raw": event.level, "min": low, "max": high, "scaled": (event.level - low) / (high - low)}
    text = event.reason if event.type == EventType.WAIVED else event.evidence or event.note
    if text:
        outcome["response"] = text
    if event.type == EventType.WAIVED and event.reason:
        outcome["extensions"] = {CMI5_REASON: event.reason}
    return outcome
