"""``lrs push`` and ``lrs status``: which LRS (options, environment, ``[lrs]`` in config.toml) and what waits."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cpo_learn.errors import UsageError

if TYPE_CHECKING:
    from cpo_learn.app.context import App
    from cpo_learn.tracking.lrs import PushReport, Statement
    from cpo_learn.tracking.lrs_settings import LrsSettings


def lrs_settings(app: App, endpoint: str | None, **overrides: Any) -> LrsSettings:
    """The LRS to use: ``--endpoint``, else ``CPO_LEARN_LRS_ENDPOINT``, else ``[lrs]`` in ``<home>/config.toml``."""
    from cpo_learn.tracking.lrs_settings import ENV_ENDPOINT, config_path, read_settings

    found = read_settings(app.home, os.environ, endpoint, **overrides)
    if found is None:
        raise UsageError(f"no LRS endpoint: give --endpoint URL, set {ENV_ENDPOINT}, or put endpoint = \"URL\" "
                         f"under [lrs] in {config_path(app.home)}")
    return found


@dataclass(frozen=True)
class Pending:
    """The learner's statements and those the endpoint has not acknowledged yet."""

    learner: str
    settings: LrsSettings
    statements: list[Statement]
    waiting: list[Statement]
    last_push: str | None


def pending(app: App, settings: LrsSettings) -> Pending:
    """What a push would send for the current learner (nothing is sent)."""
    from cpo_learn.tracking.lrs import EndpointRecord, learner_statements, read_record, record_path, waiting

    store = app.store()
    statements = learner_statements(store, app.catalog(), settings)
    record = read_record(record_path(store.path)).get(settings.endpoint, EndpointRecord())
    return Pending(store.slug, settings, statements, waiting(statements, record), record.last_push)


def push(app: App, settings: LrsSettings,
         on_retry: Callable[[str, float], None] | None = None) -> tuple[str, PushReport]:
    """Push what waits of the current learner's statements; the learner and what the push did."""
    from cpo_learn.tracking.lrs import push_learner

    store = app.store()
    return store.slug, push_learner(store, app.catalog(), settings, on_retry=on_retry)


@dataclass(frozen=True)
class LearnerPush:
    """One learner's part of ``lrs push --all-learners``: what the push did, or why it stopped."""

    learner: str
    report: PushReport | None
    error: str | None


def push_all(app: App, settings: LrsSettings,
             on_retry: Callable[[str, float], None] | None = None) -> list[LearnerPush]:
    """Push every learner of the home in turn (sorted). A learner whose file or statements fail is reported and
    the others go on; an endpoint that fails (unreachable, credentials) stops the rest, which would fail too."""
    from cpo_learn.errors import CpoLearnError
    from cpo_learn.tracking.lrs import EndpointError, push_learner

    catalog = app.catalog()
    done: list[LearnerPush] = []
    for slug in app.tracker.learners():
        try:
            report = push_learner(app.tracker.store(slug), catalog, settings, on_retry=on_retry)
        except EndpointError:
            raise
        except CpoLearnError as exc:
            done.append(LearnerPush(slug, None, str(exc)))
            continue
        done.append(LearnerPush(slug, report, None))
    return done
