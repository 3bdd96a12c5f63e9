"""Organisation policy: let ``cpo_learn_adjust_plan`` implementations change a plan, then re-validate it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cpo_learn.errors import ContentError
from cpo_learn.planning.plan import Plan

if TYPE_CHECKING:
    from collections.abc import Sequence

    from cpo_learn.host.plugins import PluginHost
    from cpo_learn.planning.plan import Unavailable
    from cpo_learn.planning.profile import Profile

HOOK = "cpo_learn_adjust_plan"


def adjust_plan(host: PluginHost, plan: Plan, profile: Profile) -> Plan:
    """Pass the plan through every ``cpo_learn_adjust_plan`` implementation, in plugin order.

    A plugin that raises is reported (fatal in strict mode) and its change ignored. A plugin that returns
    something other than a plan, or a plan in which a module comes before one of its prerequisites, is a
    ``ContentError`` naming the plugin: a broken policy must not hand a learner an impossible order.
    """
    for plugin, function in host.implementations(HOOK):
        ok, result = host.call_one(HOOK, plugin, function, plan=plan, profile=profile)
        if not ok or result is None:
            continue
        if not isinstance(result, Plan):
            raise ContentError(f"plugin '{plugin}': {HOOK} must return a Plan or None, "
                               f"not {type(result).__name__}")
        _report_unavailable(host, plugin, result.unavailable[len(plan.unavailable):])
        problems = result.order_problems()
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise ContentError(f"plugin '{plugin}': {HOOK} made an invalid plan: {problems[0]}{more}; "
                               "prerequisites must come before the modules that need them")
        plan = result
    return plan


def _report_unavailable(host: PluginHost, plugin: str, skipped: Sequence[Unavailable]) -> None:
    """One line per policy for the ids its helpers skipped: a warning when they belong to a disabled plugin
    (never fatal: the user chose that), a plugin problem (fatal in strict mode) when nothing defines them."""
    if not skipped:
        return
    known = [s for s in skipped if s.known]
    unknown = [s for s in skipped if not s.known]
    if known:
        ids = ", ".join(f"'{s.id}'" for s in known)
        host.warn(plugin, f"{HOOK} skipped {ids}: {known[0].reason}")
    if unknown:
        ids = ", ".join(f"'{s.id}' ({s.helper}: {s.reason})" for s in unknown)
        host.report(plugin, f"{HOOK} names modules that are not in the catalog: {ids}; its other changes apply")
