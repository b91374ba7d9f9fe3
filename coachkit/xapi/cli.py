"""`flask xapi backfill --since DATE [--until DATE]`: queue history for the LRS."""

from __future__ import annotations

from datetime import date, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from coachkit.extensions import db
from coachkit.xapi import backfill

xapi_cli = AppGroup("xapi", help="Learning records sent to an LRS (xAPI).")


@xapi_cli.command("backfill")
@click.option("--since", required=True, type=click.DateTime(["%Y-%m-%d"]), help="First day.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Day after the last one.")
def backfill_command(since: datetime, until: datetime | None) -> None:
    """Queue the statements of the attempts begun from --since up to (not including)
    --until, and of the coaching sessions held then with XAPI_COACHING on. Statements
    queued before are not queued again; `flask send` or the worker sends them."""
    if not current_app.config["XAPI_ENDPOINT"]:
        raise click.UsageError("XAPI_ENDPOINT is not set: there is no LRS to send to.")
    first: date = since.date()
    last = until.date() if until else None
    if last is not None and last <= first:
        raise click.BadParameter("must be after --since", param_hint="--until")
    done = backfill.Backfilled()
    for _batch in backfill.batches(first, last, done):
        db.session.commit()
    click.echo(
        f"Queued {done.queued} statements for {done.attempts} attempts"
        + (f" and {done.sessions} coaching sessions." if done.sessions else ".")
    )
