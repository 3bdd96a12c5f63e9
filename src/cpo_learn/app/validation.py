"""What ``cpo-learn validate`` does: load plugins and packs quietly and collect every problem."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cpo_learn.app.context import App
from cpo_learn.content.model import Problem
from cpo_learn.content.packs import read_pack_toml


@dataclass
class Report:
    """Every problem found, and a one-line summary of what was checked."""

    problems: list[Problem]
    summary: str


def validate_everything(app: App, paths: list[str]) -> Report:
    """Validate the installed plugins, or only ``paths`` (checked on top of the installed content)."""
    from cpo_learn.host.plugins import PluginHost

    load_errors: list[str] = []
    host = PluginHost(app.plugins_dirs, strict=False, warn=load_errors.append)
    targets: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir() and (path / "pack.toml").is_file():
            info, _ = read_pack_toml(path)
            targets.append((path, info.name if info else path.name))
        elif path.is_file() and path.suffix == ".py":
            targets.append((path, path.stem.replace("_", "-")))
        elif path.is_dir():
            problems.append(Problem(str(path), 1, "not a content pack: pack.toml is missing; "
                                    "run 'cpo-learn plugin new' for a template"))
        else:
            problems.append(Problem(str(path), 1, "not a pack directory or a plugin .py file"))
    # A pack being validated stands in for an installed plugin of the same name (e.g. a checkout of it).
    host.blocked.update(name for _, name in targets)
    host.load()
    for path, _ in targets:
        host.load_path(path)
    catalog = host.catalog()
    wanted = {name for _, name in targets}
    for record in host.records.values():
        if paths and record.name not in wanted:
            continue
        for plugin_problem in record.problems:
            if not plugin_problem.content:  # invalid content is listed item by item below
                problems.append(Problem(record.path or record.name, 1, plugin_problem.message, record.name))
    for problem in catalog.problems:
        if not paths or problem.plugin in wanted:
            problems.append(problem)
    checked = ", ".join(sorted(wanted)) if paths else f"{len(host.records)} plugins"
    summary = (f"ok: {checked}: {len(catalog.stages)} stages, {len(catalog.tracks)} tracks, "
               f"{len(catalog.modules)} modules, {len(catalog.milestones)} milestones")
    return Report(problems, summary)
