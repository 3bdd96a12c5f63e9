"""The state one command invocation works with: options, plugins, catalog, home and learner.

Nothing here imports click; the CLI layer builds an ``App`` and hands it to the commands.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from cpo_learn.catalog import Catalog
    from cpo_learn.plugins import PluginHost
    from cpo_learn.profile import Profile
    from cpo_learn.state import LearnerState

    # The learner store is the tracking work's (issue 5, briefs/interfaces.md). These stand-ins let this
    # branch type-check on its own; they go, with App's declarations below, when the two are merged.
    class _LearnerStore(Protocol):
        def load_profile(self) -> dict[str, Any] | None: ...
        def save_profile(self, data: dict[str, Any]) -> None: ...
        def state(self) -> LearnerState: ...

    class _Tracker(Protocol):
        def learners(self) -> list[str]: ...
        def resolve_learner(self, option: str | None) -> str: ...
        def store(self, learner: str) -> _LearnerStore: ...


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

    @property
    def home(self) -> Path:
        """``--home``, else ``CPO_LEARN_HOME``, else the platform's user data dir."""
        chosen = self.home_option or os.environ.get("CPO_LEARN_HOME")
        return Path(chosen).expanduser() if chosen else default_home()

    @property
    def host(self) -> PluginHost:
        """The plugin host, loading plugins on first use."""
        if self._host is None:
            from cpo_learn.plugins import PluginHost

            self._host = PluginHost(self.plugins_dirs, strict=self.strict)
            self._host.load()
        return self._host

    def catalog(self) -> Catalog:
        """The validated catalog (built once per invocation)."""
        return self.host.catalog()

    if TYPE_CHECKING:  # provided by the tracking work (issue 5); see the stand-ins above

        @property
        def tracker(self) -> _Tracker: ...

        def learner(self) -> str: ...

    def profile_and_state(self) -> tuple[str, Profile, LearnerState]:
        """The current learner's id, validated profile and recorded progress, from the learner store."""
        from cpo_learn.errors import CpoLearnError
        from cpo_learn.profile import ProfileError, profile_from_mapping

        learner = self.learner()
        store = self.tracker.store(learner)
        data = store.load_profile()
        if data is None:
            raise CpoLearnError(f"learner '{learner}' has no profile yet: "
                                f"run 'cpo-learn --learner {learner} init'")
        catalog = self.catalog()
        try:
            profile = profile_from_mapping(data, catalog.stage_ids, catalog.skills)
        except ProfileError as exc:
            raise CpoLearnError(f"the stored profile of '{learner}' is not valid: {exc}; "
                                f"fix it with 'cpo-learn --learner {learner} init'") from None
        return learner, profile, store.state()
