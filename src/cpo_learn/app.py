"""The state one command invocation works with: options, plugins, catalog, home and learner.

Nothing here imports click; the CLI layer builds an ``App`` and hands it to the commands.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cpo_learn.catalog import Catalog
    from cpo_learn.plugins import PluginHost


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
