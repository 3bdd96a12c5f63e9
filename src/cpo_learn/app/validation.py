"""What ``cpo-learn validate`` does: load plugins and packs quietly and collect every problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cpo_learn.app.context import App
from cpo_learn.content.model import Problem
from cpo_learn.content.packs import read_pack_toml

COUNTED = ("stages", "tracks", "skills", "practices", "modules", "milestones")


@dataclass
class Report:
    """Every problem found (knock-on problems last), what was checked, and what each checked plugin added."""

    problems: list[Problem]
    summary: str
    checked: list[str] = field(default_factory=list)
    registered: dict[str, dict[str, int]] = field(default_factory=dict)
    left_out: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The report as ``validate --json`` prints it."""
        return {
            "ok": not self.problems,
            "checked": self.checked,
            "registered": self.registered,
            "problems": [
                {"path": p.path, "line": p.line, "message": p.message, "plugin": p.plugin, "knock_on": p.knock_on}
                for p in self.problems
            ],
            "left_out": self.left_out,
            "summary": self.summary,
        }


def find_pack(path: Path) -> Path | None:
    """The pack a PATH means: the folder itself, or the one inside a plugin folder ``plugin new`` made
    (``src/<package>/pack``), or a ``pack/`` sub-folder; None when there is none."""
    if (path / "pack.toml").is_file():
        return path
    for candidate in (path / "pack", *sorted(path.glob("src/*/pack")), *sorted(path.glob("*/pack"))):
        if (candidate / "pack.toml").is_file():
            return candidate
    return None


def _summary(names: list[str], registered: dict[str, dict[str, int]]) -> str:
    parts = []
    for name in names:
        counts = registered.get(name, {})
        text = ", ".join(f"{counts[k]} {k}" for k in COUNTED if counts.get(k)) or "nothing registered"
        parts.append(f"{name} ({text})")
    return "ok: " + "; ".join(parts)


def validate_everything(app: App, paths: list[str]) -> Report:
    """Validate the installed plugins, or only ``paths`` (checked on top of the installed content)."""
    from cpo_learn.host.plugins import PluginHost

    load_errors: list[str] = []
    host = PluginHost(app.plugins_dirs, strict=False, warn=load_errors.append)
    targets: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        pack = find_pack(path) if path.is_dir() else None
        if pack is not None:
            info, _ = read_pack_toml(pack)
            targets.append((pack, info.name if info else pack.name))
        elif path.is_file() and path.suffix == ".py":
            targets.append((path, path.stem.replace("_", "-")))
        elif path.is_dir():
            problems.append(Problem(str(path), 1, "not a content pack: pack.toml is missing; "
                                    "run 'cpo-learn plugin new' for a template"))
        else:
            problems.append(Problem(str(path), 1, "not a pack directory or a plugin .py file"))
    # A pack being validated stands in for an installed plugin of the same name (e.g. a checkout of it).
    for path, name in targets:
        host.stand_ins[name] = path
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
    problems.sort(key=lambda p: p.knock_on)  # stable: the causes first, in the order found
    names = sorted(wanted) if paths else sorted(name for name in host.records if name not in _defaults())
    registered = {name: host.records[name].registered for name in names if name in host.records}
    if paths:
        summary = _summary(names, registered)
    else:
        summary = (f"ok: {len(host.records)} plugins: {len(catalog.stages)} stages, {len(catalog.tracks)} "
                   f"tracks, {len(catalog.modules)} modules, {len(catalog.milestones)} milestones")
    if catalog.left_out:
        summary += (f"; {len(catalog.left_out)} items of other plugins left out quietly because they need the "
                    f"disabled plugin(s) {', '.join(sorted(catalog.disabled))} (--json lists them)")
    return Report(problems, summary, names, registered, dict(catalog.left_out))


def _defaults() -> set[str]:
    from cpo_learn.host.plugins import DEFAULT_PLUGINS

    return {name.rsplit(".", 1)[1] for name in DEFAULT_PLUGINS}
