"""The state one command invocation works with: options, plugins, catalog, home and learner.

Nothing here imports click; the CLI layer builds an ``App`` and hands it to the commands.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cpo_learn.app.learner import LearnerPlan
    from cpo_learn.content.catalog import Catalog
    from cpo_learn.host.plugins import PluginHost
    from cpo_learn.tracking.events import Event
    from cpo_learn.tracking.tracker import LearnerStore, Tracker


def default_home() -> Path:
    """The platform's user data dir for cpo-learn (``~/.local/share/cpo-learn`` on Linux)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("cpo-learn", appauthor=False))


@dataclass
class App:
    """Options shared by every command, and lazily built plugin host and catalog."""

    home_option: str | None = None
    learner_option: str | None = None
    plugins_dirs: list[str] = field(default_factory=list)
    strict: bool = False
    _host: PluginHost | None = None
    _tracker: Tracker | None = None

    @property
    def home(self) -> Path:
        """``--home``, else ``CPO_LEARN_HOME``, else the platform's user data dir."""
        chosen = self.home_option or os.environ.get("CPO_LEARN_HOME")
        return Path(chosen).expanduser() if chosen else default_home()

    @property
    def host(self) -> PluginHost:
        """The plugin host, loading plugins on first use."""
        if self._host is None:
            from cpo_learn.host.plugins import PluginHost

            self._host = PluginHost(self.plugins_dirs, strict=self.strict)
            self._host.load()
        return self._host

    def catalog(self) -> Catalog:
        """The validated catalog (built once per invocation)."""
        return self.host.catalog()

    @property
    def tracker(self) -> Tracker:
        """The learners' store in the home (nothing is read until asked)."""
        if self._tracker is None:
            import shlex

            from cpo_learn.tracking.tracker import Tracker

            command = "cpo-learn" + (f" --home {shlex.quote(str(self.home))}" if self.home_option else "")
            self._tracker = Tracker(self.home, command)
        return self._tracker

    def today(self) -> date:
        """Today's date (from ``cpo_learn.clock``, the one place the clock is read)."""
        from cpo_learn import clock

        return clock.today()

    def learner(self, existing: bool = True) -> str:
        """The learner's slug: ``--learner``/``CPO_LEARN_LEARNER``, else the only learner in the home.

        With ``existing`` (the default) the learner must have a file; the error lists who is there or says to
        run ``cpo-learn init``.
        """
        if existing:
            return self.tracker.existing(self.learner_option).slug
        return self.tracker.resolve_learner(self.learner_option)

    def store(self, existing: bool = True) -> LearnerStore:
        """The chosen learner's store (see ``learner``)."""
        return self.tracker.store(self.learner(existing))

    def notify(self, events: list[Event], learner: str) -> None:
        """Tell every ``cpo_learn_progress_event`` implementation about events already durably recorded.

        Each implementation receives a ``LearnerEvent``: the event plus the learner it belongs to. A failing
        implementation is reported on stderr (an error in strict mode); the events stay recorded.
        """
        from cpo_learn.errors import PluginError
        from cpo_learn.tracking.events import LearnerEvent

        if not events or not self.host.implementations("cpo_learn_progress_event"):
            return
        catalog = self.catalog()
        for event in events:
            try:
                self.host.call_each("cpo_learn_progress_event",
                                    event=LearnerEvent.of(event, learner, self.home, catalog))
            except PluginError as exc:
                raise PluginError(f"{exc}; the {event.type} event for {event.target} is recorded") from None

    def learner_plan(self, today: date | None = None) -> LearnerPlan:
        """The current learner (``learner()``), their validated profile, log, state and plan from today."""
        from cpo_learn.app.learner import load_learner

        return load_learner(self.host, self.catalog(), self.store(), today or self.today())
