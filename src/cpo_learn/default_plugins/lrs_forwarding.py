"""Live forwarding to a learning record store: with ``push = "on-record"`` under ``[lrs]`` in
``<home>/config.toml``, every event is pushed (with whatever else waits) right after it is durably recorded.

A default plugin on the ``cpo_learn_progress_event`` hook, like any organisation's forwarder. It never makes a
recording fail: when the LRS cannot be reached or refuses, it says so in one line on stderr and the statements
wait for the next ``cpo-learn lrs push``. A recording command waits at most a few seconds for the LRS (one
try, a short timeout), and after one failure it does not try again for the other events of the same command
(the same catalog: every command builds its own).
"""

from __future__ import annotations

import os
import sys
import weakref
from dataclasses import replace
from typing import TYPE_CHECKING

from cpo_learn import hookimpl

if TYPE_CHECKING:
    from cpo_learn.content.catalog import Catalog
    from cpo_learn.tracking.events import LearnerEvent

ON_RECORD_TIMEOUT = 5.0
CONFIG_FILE = "config.toml"  # tracking.lrs_settings.config_path: a test holds the two together
# (id of the command's catalog, endpoint) -> that catalog, for the endpoints that failed during a command
_given_up: dict[tuple[int, str], weakref.ref[Catalog]] = {}


@hookimpl
def cpo_learn_progress_event(event: LearnerEvent) -> None:
    """Push the learner's waiting statements when the home's LRS settings ask for it."""
    if event.home is None or event.catalog is None or not (event.home / CONFIG_FILE).is_file():
        return  # the common case costs one stat, not the import of the LRS code
    from cpo_learn.errors import CpoLearnError, one_line
    from cpo_learn.tracking.lrs import LrsError, push_learner
    from cpo_learn.tracking.lrs_settings import read_lrs_table, read_settings
    from cpo_learn.tracking.tracker import Tracker

    settings = None
    try:
        if read_lrs_table(event.home).get("push") != "on-record":
            return  # cheap: nothing else is read unless forwarding is on
        settings = read_settings(event.home, os.environ)
        if settings is None:
            return
        failed = _given_up.get((id(event.catalog), settings.endpoint))
        if failed is not None and failed() is event.catalog:
            return
        quick = replace(settings, retries=0, timeout=min(settings.timeout, ON_RECORD_TIMEOUT))
        push_learner(Tracker(event.home).store(event.learner), event.catalog, quick)
    except CpoLearnError as exc:
        if isinstance(exc, LrsError) and settings is not None:
            _given_up[(id(event.catalog), settings.endpoint)] = weakref.ref(event.catalog)
        sys.stderr.write(f"Note: recorded, not yet in the LRS: {one_line(str(exc))}\n")
