"""The ``Registry`` that plugins fill from ``cpo_learn_register_content``.

Plugins add raw items (keyword arguments named like the front-matter keys of a pack) or load a pack; nothing
is checked here. ``validate.build_catalog`` turns the registry into an immutable ``Catalog``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from cpo_learn.content.model import Problem
from cpo_learn.content.packs import PackInfo, RawItem


class Registry:
    """Collects what every plugin registers, remembering which plugin added each item."""

    def __init__(self) -> None:
        self.items: list[RawItem] = []
        self.problems: list[Problem] = []
        self.packs: list[tuple[str, PackInfo]] = []
        self.current_plugin = ""

    def begin(self, plugin: str) -> None:
        """Attribute everything added from now on to ``plugin`` (called by the core, not by plugins)."""
        self.current_plugin = plugin

    def discard(self, plugin: str) -> None:
        """Forget everything ``plugin`` added (its hook raised half-way)."""
        self.items = [item for item in self.items if item.plugin != plugin]
        self.problems = [problem for problem in self.problems if problem.plugin != plugin]
        self.packs = [(owner, info) for owner, info in self.packs if owner != plugin]

    def _add(self, kind: str, fields: dict[str, Any]) -> None:
        caller = sys._getframe(2)
        data = dict(fields)
        body = data.pop("body", "")
        item = RawItem(
            kind=kind,
            data=data,
            path=caller.f_code.co_filename,
            line=caller.f_lineno,
            plugin=self.current_plugin,
            body=body if isinstance(body, str) else str(body),
        )
        self.items.append(item)

    def add_stage(self, **fields: Any) -> None:
        """Add a stage: ``id``, ``title``, ``order``, ``summary``, ``typical_years``, ``roles``, ``body``."""
        self._add("stage", fields)

    def add_track(self, **fields: Any) -> None:
        """Add a track running beside the stages; same fields as ``add_stage``."""
        self._add("track", fields)

    def add_skill(self, **fields: Any) -> None:
        """Add a skill: ``id``, ``title``, ``description``, ``levels`` (level 1-5 -> what a person at that level
        does; all five)."""
        self._add("skill", fields)

    def add_practice(self, **fields: Any) -> None:
        """Add a practice: ``id``, ``title``."""
        self._add("practice", fields)

    def add_module(self, **fields: Any) -> None:
        """Add a module with the fields of a module file's front matter, plus ``body`` (Markdown)."""
        self._add("module", fields)

    def add_milestone(self, **fields: Any) -> None:
        """Add a milestone: ``id``, ``title``, ``stage``, ``criteria``, ``requires``, ``evidence``,
        ``body``."""
        self._add("milestone", fields)

    def load_pack(self, path: str | Path) -> PackInfo | None:
        """Load a data-only content pack (a directory with ``pack.toml``) on behalf of the current plugin."""
        from cpo_learn.content.packcache import read_pack  # lazily: a plugin that only adds items needs no packs

        contents = read_pack(Path(path), self.current_plugin)
        self.problems.extend(contents.problems)
        if contents.info is None:
            return None
        for item in contents.items:
            item.namespace = contents.info.namespace
        self.items.extend(contents.items)
        self.packs.append((self.current_plugin, contents.info))
        return contents.info
