"""Browsing the catalog: ``stages``, ``modules``, ``milestones``, ``show``."""

from __future__ import annotations

import click

from cpo_learn.app.context import App
from cpo_learn.cli import completion
from cpo_learn.cli.options import echo_json, json_option, say, show_table
from cpo_learn.errors import UnknownIdError
from cpo_learn.quantities import hours_text


@click.command()
@json_option
@click.option("--markdown", is_flag=True, help="Print the path at a glance as Markdown (docs/path.md).")
@click.pass_obj
def stages(app: App, as_json: bool, markdown: bool) -> None:
    """List the stages of the path in order, then the tracks beside them.

    \b
    Example:
        cpo-learn stages
        cpo-learn stages --json
        cpo-learn stages --markdown > docs/path.md
    """
    from cpo_learn.quantities import hours_number
    from cpo_learn.rendering.json_data import stage_json

    catalog = app.catalog()
    if markdown:
        from cpo_learn.rendering.catalog_text import path_overview

        say(path_overview(catalog), nl=False)
        return
    if as_json:
        echo_json([stage_json(s) for s in catalog.stages])
        return
    rows = []
    for stage in (*catalog.stages, *catalog.tracks):
        modules = catalog.select(stage=stage.id)
        hours = hours_number(sum(m.hours for m in modules), None)
        label = "track" if stage.is_track else str(stage.order)
        rows.append([label, stage.id, stage.typical_years, str(len(modules)), str(hours), stage.title])
    show_table(rows, ["#", "id", "years", "modules", "hours", "title"], flex=["title"])


@click.command()
@click.option("--stage", metavar="ID", shell_complete=completion.stage_and_track_ids,
              help="Only modules of this stage or track.")
@click.option("--skill", metavar="ID", shell_complete=completion.skill_ids,
              help="Only modules that develop this skill.")
@json_option
@click.pass_obj
def modules(app: App, stage: str | None, skill: str | None, as_json: bool) -> None:
    """List modules, optionally of one stage or track, or developing one skill.

    \b
    Example:
        cpo-learn modules --stage mid-level
        cpo-learn modules --skill analytics --json
    """
    from cpo_learn.rendering.json_data import module_json
    from cpo_learn.text import unknown_id_message

    catalog = app.catalog()
    if stage is not None:
        catalog.stage(stage)
    if skill is not None and skill not in catalog.skills:
        raise UnknownIdError(unknown_id_message("skill", skill, catalog.skills, "skills: "
                                                + ", ".join(catalog.skills)))
    found = catalog.select(stage=stage, skill=skill)
    if as_json:
        echo_json([module_json(m) for m in found])
        return
    rows = [[m.id, m.stage, hours_text(m.hours), m.kind, m.title] for m in found]
    show_table(rows, ["id", "stage", "hours", "kind", "title"], flex=["title"])
    say(f"\n{len(found)} modules, {hours_text(sum(m.hours for m in found))} hours")


@click.command()
@click.option("--stage", metavar="ID", shell_complete=completion.stage_and_track_ids,
              help="Only milestones of this stage.")
@json_option
@click.pass_obj
def milestones(app: App, stage: str | None, as_json: bool) -> None:
    """List milestones: observable achievements that show readiness for the next step.

    \b
    Example:
        cpo-learn milestones --stage leadership
        cpo-learn milestones --json
    """
    from cpo_learn.rendering.json_data import milestone_json

    catalog = app.catalog()
    if stage is not None:
        catalog.stage(stage)
    found = [m for m in catalog.milestones.values() if stage is None or m.stage == stage]
    if as_json:
        echo_json([milestone_json(m) for m in found])
        return
    show_table([[m.id, m.stage, m.title] for m in found], ["id", "stage", "title"], flex=["title"])


@click.command()
@click.argument("item_id", metavar="ID", shell_complete=completion.item_ids)
@json_option
@click.pass_obj
def show(app: App, item_id: str, as_json: bool) -> None:
    """Show one module, milestone, stage, track, skill or practice in full.

    \b
    Example:
        cpo-learn show mid-level/continuous-discovery
        cpo-learn show cpo --json
        cpo-learn show mentoring
    """
    from cpo_learn.rendering.catalog_text import describe_milestone, describe_module, describe_stage
    from cpo_learn.rendering.json_data import milestone_json, module_json, stage_json
    from cpo_learn.text import unknown_id_message

    catalog = app.catalog()
    resolved = catalog.resolve(item_id)
    if resolved in catalog.modules:
        module = catalog.modules[resolved]
        if as_json:
            echo_json(module_json(module))
        else:
            say(describe_module(catalog, module))
    elif item_id in catalog.milestones:
        milestone = catalog.milestones[item_id]
        echo_json(milestone_json(milestone)) if as_json else say(describe_milestone(milestone))
    elif any(s.id == item_id for s in (*catalog.stages, *catalog.tracks)):
        stage = catalog.stage(item_id)
        echo_json(stage_json(stage)) if as_json else say(describe_stage(catalog, stage))
    elif item_id in catalog.skills or item_id in catalog.practices:
        from cpo_learn.app.vocabulary import vocabulary

        data = vocabulary(catalog)
        what = "skill" if item_id in catalog.skills else "practice"
        found = next(x for x in data[what + "s"] if x["id"] == item_id)
        if as_json:
            echo_json({"type": what, **found})
        else:
            meaning = found.get("description") or ""
            say(f"{found['title']}\n{'=' * len(found['title'])}\nid: {item_id} ({what}, from plugin "
                       f"{found['plugin']})" + (f"\n\n{meaning}" if meaning else ""))
    else:
        why = catalog.unavailable(item_id)
        if why is not None:
            raise UnknownIdError(f"'{item_id}' is not available: {why}")
        ids = [*catalog.all_ids(), *catalog.skills, *catalog.practices]
        raise UnknownIdError(unknown_id_message("id", item_id, ids, "see 'cpo-learn modules' and "
                                                "'cpo-learn vocabulary'"))
