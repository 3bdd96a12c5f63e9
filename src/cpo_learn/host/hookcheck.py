"""Checking a plugin's hook implementations before pluggy registers them, so each problem is one clear line.

pluggy's own messages span several lines and print the plugin object; these name the closest hook for a
misspelt one and the parameters a hook gives for one that asks for more.
"""

from __future__ import annotations

import inspect

import pluggy

from cpo_learn.host import hookspecs
from cpo_learn.text import suggestion


def hook_problem(pm: pluggy.PluginManager, plugin: object) -> str | None:
    """A misspelt hook (with the closest hook name) or a hook taking a parameter its spec does not give,
    as one line; None when every hook the plugin implements is sound."""
    for attribute in sorted(dir(plugin)):
        try:
            options = pm.parse_hookimpl_opts(plugin, attribute)
        except Exception:  # an attribute that cannot even be read is not a hook
            continue
        if options is None:
            continue
        function = getattr(plugin, attribute)
        if attribute not in hookspecs.HOOK_NAMES:
            return (f"unknown hook '{attribute}'{suggestion(attribute, hookspecs.HOOK_NAMES)}; "
                    "the hooks are listed in docs/hooks.md")
        wanted = list(inspect.signature(getattr(hookspecs, attribute)).parameters)
        try:
            given = [name for name in inspect.signature(function).parameters if name != "self"]
        except (TypeError, ValueError):
            continue
        extra = [name for name in given if name not in wanted]
        if extra:
            names = ", ".join(f"'{name}'" for name in extra)
            return (f"hook {attribute}({', '.join(given)}): {names} "
                    f"{'is not a parameter' if len(extra) == 1 else 'are not parameters'} of this hook; "
                    f"it takes ({', '.join(wanted)}), or any of them")
    return None
