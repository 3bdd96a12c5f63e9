"""The public API for plugins: everything a plugin may import, in one place.

Plugins import from ``cpo_learn`` (``hookimpl``, ``pack_hook``) or from here; every other module path is
internal and may change in any release. docs/plugins.md ("The public API") says what each object offers and
which attributes are stable. Names are imported on first use, so ``import cpo_learn.api`` costs nothing at
start-up::

    from cpo_learn.api import Plan, Profile, hookimpl

    @hookimpl
    def cpo_learn_adjust_plan(plan: Plan, profile: Profile) -> Plan | None:
        return plan.with_required("acme/security-basics", reason="mandatory at Acme")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cpo_learn import hookimpl, pack_hook
    from cpo_learn.app.context import App
    from cpo_learn.cli.main import cli
    from cpo_learn.content.catalog import Catalog
    from cpo_learn.content.model import CreditedBy, Milestone, Module, Origin, Practice, Resource, Skill, Stage
    from cpo_learn.content.registry import Registry
    from cpo_learn.errors import ContentError, CpoLearnError, PluginError, UnknownIdError, UsageError
    from cpo_learn.planning.plan import (
        LeftOut,
        Plan,
        PlannedMilestone,
        PlannedModule,
        StageSummary,
        Unavailable,
        Week,
    )
    from cpo_learn.planning.profile import Background, Experience, Profile
    from cpo_learn.planning.state import ItemState, LearnerState, Status
    from cpo_learn.rendering.exporters import ExportContext, ExporterRegistrar
    from cpo_learn.tracking.events import Event, EventType, LearnerEvent

_HOMES: dict[str, str] = {
    "hookimpl": "cpo_learn", "pack_hook": "cpo_learn",
    "App": "cpo_learn.app.context",
    "cli": "cpo_learn.cli.main",
    "Catalog": "cpo_learn.content.catalog",
    **dict.fromkeys(("CreditedBy", "Milestone", "Module", "Origin", "Practice", "Resource", "Skill", "Stage"),
                    "cpo_learn.content.model"),
    "Registry": "cpo_learn.content.registry",
    **dict.fromkeys(("ContentError", "CpoLearnError", "PluginError", "UnknownIdError", "UsageError"),
                    "cpo_learn.errors"),
    **dict.fromkeys(("LeftOut", "Plan", "PlannedMilestone", "PlannedModule", "StageSummary", "Unavailable",
                     "Week"),
                    "cpo_learn.planning.plan"),
    **dict.fromkeys(("Background", "Experience", "Profile"), "cpo_learn.planning.profile"),
    **dict.fromkeys(("ItemState", "LearnerState", "Status"), "cpo_learn.planning.state"),
    **dict.fromkeys(("ExportContext", "ExporterRegistrar"), "cpo_learn.rendering.exporters"),
    **dict.fromkeys(("Event", "EventType", "LearnerEvent"), "cpo_learn.tracking.events"),
}

__all__ = [
    "App", "Background", "Catalog", "ContentError", "CpoLearnError", "CreditedBy", "Event", "EventType",
    "Experience", "ExportContext", "ExporterRegistrar", "ItemState", "LearnerEvent", "LearnerState", "LeftOut",
    "Milestone", "Module", "Origin", "Plan", "PlannedMilestone", "PlannedModule", "PluginError", "Practice", "Profile",
    "Registry", "Resource", "Skill", "Stage", "StageSummary", "Status", "Unavailable", "UnknownIdError",
    "UsageError", "Week",
    "cli", "hookimpl", "pack_hook",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'cpo_learn.api' has no attribute '{name}'")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
