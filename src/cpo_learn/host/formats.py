"""Output formats and template directories, as the installed plugins provide them.

``cpo_learn_register_exporters`` implementations each get an ``ExporterRegistrar`` bound to their plugin;
``cpo_learn_template_dirs`` implementations return the folders searched before the built-in templates.
"""

from __future__ import annotations

from pathlib import Path

from cpo_learn.host.plugins import PluginHost
from cpo_learn.rendering.exporters import Exporter, ExporterRegistrar


def load_exporters(host: PluginHost) -> dict[str, Exporter]:
    """Every registered format by name; a plugin whose registration fails is reported and skipped."""
    table: dict[str, Exporter] = {}
    for plugin, function in host.implementations("cpo_learn_register_exporters"):
        register = ExporterRegistrar(plugin, table)
        host.call_one("cpo_learn_register_exporters", plugin, function, register=register)
    return table


def template_dirs(host: PluginHost) -> tuple[str, ...]:
    """Template dirs from ``cpo_learn_template_dirs``, in plugin order (searched before the built-ins)."""
    dirs: list[str] = []
    for plugin, result in host.call_each("cpo_learn_template_dirs"):
        if result is None:
            continue
        if isinstance(result, str | Path):
            result = [result]
        for directory in result:
            if Path(directory).is_dir():
                dirs.append(str(directory))
            else:
                host.report(plugin, f"template dir '{directory}' does not exist")
    return tuple(dirs)
