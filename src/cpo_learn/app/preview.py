"""What ``cpo-learn preview`` does: find the items a path or an id means and render them without a learner."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cpo_learn.app.context import App
from cpo_learn.content.catalog import Catalog
from cpo_learn.content.model import Milestone, Module
from cpo_learn.errors import CpoLearnError, UnknownIdError


@dataclass(frozen=True)
class Preview:
    """The rendered preview and the number of problems in what was asked for (those items are left out)."""

    text: str
    problems: int
    first_problem: str | None


def _load_path(app: App, path: Path) -> tuple[Catalog, str, int, str | None]:
    """Load a pack folder (or plugin folder, or plugin file) on top of the installed content."""
    from cpo_learn.app.validation import find_pack
    from cpo_learn.content.packs import read_pack_toml
    from cpo_learn.host.plugins import PluginHost

    pack = find_pack(path) if path.is_dir() else None
    if pack is not None:
        info, _ = read_pack_toml(pack)
        target, name = pack, info.name if info else pack.name
    elif path.is_file() and path.suffix == ".py":
        target, name = path, path.stem.replace("_", "-")
    else:
        raise CpoLearnError(f"{path} is not a content pack (no pack.toml in it, nor in src/*/pack) or a plugin "
                            ".py file; give a pack folder or an id such as mid-level/continuous-discovery")
    host = PluginHost(app.plugins_dirs, strict=False, warn=lambda line: None)
    host.stand_ins[name] = target
    host.load()
    host.load_path(target)
    catalog = host.catalog()
    mine = [p for p in catalog.problems if p.plugin == name]
    return catalog, name, len(mine), str(mine[0]) if mine else None


def _items(catalog: Catalog, app: App, wanted: str) -> tuple[str, list[Module], list[Milestone]]:
    """The items an id means: a module, a milestone, a stage or track, or a plugin's whole content."""
    resolved = catalog.resolve(wanted)
    if resolved in catalog.modules:
        module = catalog.modules[resolved]
        return module.title, [module], []
    if wanted in catalog.milestones:
        milestone = catalog.milestones[wanted]
        return milestone.title, [], [milestone]
    for stage in (*catalog.stages, *catalog.tracks):
        if stage.id == wanted:
            return (stage.title, catalog.select(stage=wanted),
                    [m for m in catalog.milestones.values() if m.stage == wanted])
    if wanted in app.host.records:
        return (f"plugin {wanted}", [m for m in catalog.modules.values() if m.plugin == wanted],
                [m for m in catalog.milestones.values() if m.plugin == wanted])
    from cpo_learn.text import unknown_id_message

    why = catalog.unavailable(wanted)
    if why is not None:
        raise UnknownIdError(f"'{wanted}' is not available: {why}")
    raise UnknownIdError(unknown_id_message("id or pack folder", wanted, [*catalog.all_ids(), *app.host.records],
                                            "give a module, milestone, stage, plugin name or a pack folder"))


def preview(app: App, wanted: str, fmt: str) -> Preview:
    """Render the pack at ``wanted`` (a path), or the items an id names, as ``fmt`` (``md`` or ``html``)."""
    from cpo_learn.host.formats import template_dirs
    from cpo_learn.rendering.preview import preview_view, render_preview

    path = Path(wanted)
    problems, first = 0, None
    if path.exists():
        catalog, name, problems, first = _load_path(app, path)
        title = f"pack {name}"
        modules = [m for m in catalog.modules.values() if m.plugin == name]
        milestones = [m for m in catalog.milestones.values() if m.plugin == name]
    else:
        catalog = app.catalog()
        title, modules, milestones = _items(catalog, app, wanted)
    view = preview_view(catalog, title, modules, milestones)
    return Preview(render_preview(view, fmt, template_dirs(app.host), app.today()), problems, first)
