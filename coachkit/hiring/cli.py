"""`flask hiring ...`: housekeeping for hiring records."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from coachkit.extensions import db
from coachkit.hiring.candidates import deletion
from coachkit.hiring.screening import answering

hiring_cli = AppGroup("hiring", help="Housekeeping for hiring records.")


def purge_candidates(days: int | None = None) -> int:
    """Delete candidates inactive for `days` (default HIRING_RETENTION_DAYS); commit."""
    removed = deletion.purge(days or current_app.config["HIRING_RETENTION_DAYS"])
    db.session.commit()
    return removed


@hiring_cli.command("purge")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    help="Delete candidates inactive for this many days (default: HIRING_RETENTION_DAYS).",
)
def purge_command(days: int | None) -> None:
    """Delete candidates (with answers, scores and invites) nobody has touched for a
    while. Hand-overs to teams are kept."""
    removed = purge_candidates(days)
    click.echo(
        f"Deleted {removed} candidate{'' if removed == 1 else 's'} inactive for "
        f"{days or current_app.config['HIRING_RETENTION_DAYS']} days or more."
    )


def hand_in_lapsed() -> int:
    """Hand in attempts whose time or link ran out while the candidate was away; commit."""
    handed_in = answering.hand_in_lapsed()
    db.session.commit()
    return handed_in


@hiring_cli.command("hand-in")
def hand_in_command() -> None:
    """Hand in what candidates saved when their time limit or link ran out before they
    handed in themselves, so their answers can be scored."""
    handed_in = hand_in_lapsed()
    click.echo(f"Handed in {handed_in} attempt{'' if handed_in == 1 else 's'} that had run out.")
