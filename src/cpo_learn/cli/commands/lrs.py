"""``cpo-learn lrs push`` and ``lrs status``: send xAPI statements to a learning record store, once each."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from cpo_learn.app.context import App
from cpo_learn.cli.options import echo_json, say

if TYPE_CHECKING:
    from cpo_learn.tracking.lrs_settings import LrsSettings

ENDPOINT_HELP = ("The LRS's xAPI endpoint, e.g. https://lrs.example.com/xAPI/ (default: env CPO_LEARN_LRS_ENDPOINT, "
                 "else endpoint in [lrs] of <home>/config.toml). Credentials: env CPO_LEARN_LRS_USER and "
                 "CPO_LEARN_LRS_PASSWORD, else user and password in [lrs].")


@click.group()
def lrs() -> None:
    """Send your progress to a learning record store (xAPI 1.0.3), as an organisation collects it.

    Each recorded event is one statement with a stable id; the statements an LRS has acknowledged are
    remembered per learner, so a push sends only what is new, and a push interrupted and repeated stores
    nothing twice.

    \b
    Example:
        export CPO_LEARN_LRS_ENDPOINT=https://lrs.example.com/xAPI/
        export CPO_LEARN_LRS_USER=cpo CPO_LEARN_LRS_PASSWORD=...
        cpo-learn lrs push --dry-run        what would be sent
        cpo-learn lrs push                  send it
        cpo-learn lrs status                endpoint, last push, statements waiting
    """


@lrs.command()
@click.option("--endpoint", metavar="URL", help=ENDPOINT_HELP)
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send nothing.")
@click.option("--batch-size", type=click.IntRange(1, 1000), metavar="N",
              help="Statements per request (default 50, or batch_size in [lrs]).")
@click.option("--timeout", type=click.FloatRange(0.01, 600), metavar="SECONDS",
              help="How long to wait for the LRS on each try (default 30, or timeout in [lrs]).")
@click.option("--retries", type=click.IntRange(0, 10), metavar="N",
              help="Tries after the first on connection errors, timeouts and 5xx, with back-off "
                   "(default 4, or retries in [lrs]).")
@click.option("--all-learners", is_flag=True,
              help="Push every learner in the home, one after the other (a trainer's or a team's home).")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON: with --dry-run the statements that would be sent, else what the push did.")
@click.pass_obj
def push(app: App, endpoint: str | None, dry_run: bool, batch_size: int | None, timeout: float | None,
         retries: int | None, all_learners: bool, as_json: bool) -> None:
    """Send the statements the LRS has not acknowledged yet (all of them the first time).

    Stops with one line (exit 1) when the LRS cannot be reached after the retries, or refuses a statement
    (named, with the LRS's reason); what was acknowledged before stays acknowledged, the rest waits.

    \b
    Example:
        cpo-learn lrs push --endpoint http://127.0.0.1:8100/xAPI/ --dry-run
        CPO_LEARN_LRS_USER=cpo CPO_LEARN_LRS_PASSWORD=secret cpo-learn lrs push --endpoint http://127.0.0.1:8100/xAPI/
        cpo-learn lrs push --all-learners            every learner of the home
    """
    from cpo_learn.app.lrs import lrs_settings, pending
    from cpo_learn.app.lrs import push as push_statements
    from cpo_learn.tracking.lrs import describe

    settings = lrs_settings(app, endpoint, batch_size=batch_size, timeout=timeout, retries=retries)
    if all_learners:
        if dry_run:
            raise click.UsageError("--dry-run shows one learner: use it with --learner NAME")
        _push_all(app, settings, as_json)
        return
    if dry_run:
        found = pending(app, settings)
        if as_json:
            echo_json(found.waiting)
            return
        for statement in found.waiting:
            say(f"would send {describe(statement)}")
        say(f"{len(found.waiting)} of {len(found.statements)} statements of '{found.learner}' would be "
            f"sent to {settings.endpoint} (dry run: nothing sent)")
        return

    learner, report = push_statements(app, settings, on_retry=_retrying)
    if report.conflicts:
        say(f"Note: the LRS already held {report.conflicts} of these statements with other content (a "
            "title changed since they were sent); xAPI keeps the first, so they count as sent", err=True)
    if as_json:
        echo_json({"learner": learner, "endpoint": settings.endpoint, "sent": report.acknowledged,
                  "batches": report.batches, "retries": report.retried, "waiting": report.waiting,
                  "conflicts": report.conflicts})
        return
    if report.acknowledged == 0:
        say(f"nothing to push: the LRS at {settings.endpoint} has acknowledged every statement of "
            f"'{learner}'")
        return
    batches = f"{report.batches} {'batch' if report.batches == 1 else 'batches'}"
    say(f"pushed {report.acknowledged} statements of '{learner}' to {settings.endpoint} in {batches}; "
        f"{report.waiting} waiting")


def _retrying(problem: str, delay: float) -> None:
    say(f"LRS: {problem}; trying again in {delay:g} s", err=True)


def _push_all(app: App, settings: LrsSettings, as_json: bool) -> None:
    """``--all-learners``: one line per learner, exit 1 at the end when any of them failed."""
    from cpo_learn.app.lrs import push_all

    results = push_all(app, settings, on_retry=_retrying)
    if as_json:
        echo_json([{"learner": r.learner, "sent": r.report.acknowledged if r.report else 0,
                    "waiting": r.report.waiting if r.report else None, "error": r.error}
                   for r in results])
    else:
        for result in results:
            if result.report is not None:
                say(f"{result.learner}: pushed {result.report.acknowledged} statements; "
                    f"{result.report.waiting} waiting")
            else:
                say(f"{result.learner}: {result.error}", err=True)
        sent = sum(r.report.acknowledged for r in results if r.report)
        say(f"pushed {sent} statements of {len(results)} learners to {settings.endpoint}")
    failed = [r.learner for r in results if r.error]
    if failed:
        raise click.ClickException(f"{len(failed)} of {len(results)} learners could not push: {', '.join(failed)}")


@lrs.command()
@click.option("--endpoint", metavar="URL", help=ENDPOINT_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print JSON: endpoint, learner, last_push, waiting, ...")
@click.pass_obj
def status(app: App, endpoint: str | None, as_json: bool) -> None:
    """Show the LRS in use, when this learner last pushed to it, and how many statements wait (no network).

    \b
    Example:
        cpo-learn lrs status
        cpo-learn lrs status --endpoint https://lrs.example.com/xAPI/ --json
    """
    from cpo_learn.app.lrs import lrs_settings, pending

    settings = lrs_settings(app, endpoint)
    found = pending(app, settings)
    if as_json:
        echo_json({
            "endpoint": settings.endpoint, "learner": found.learner, "push": settings.push,
            "last_push": found.last_push, "statements": len(found.statements), "waiting": len(found.waiting),
            "acknowledged": len(found.statements) - len(found.waiting)})
        return
    say(f"endpoint:  {settings.endpoint} (push: {settings.push})")
    say(f"learner:   {found.learner}")
    say(f"last push: {found.last_push or 'never'}")
    say(f"waiting:   {len(found.waiting)} of {len(found.statements)} statements")
