"""`flask greenhouse key create --name N`, `flask greenhouse key revoke`, `flask
greenhouse key list`."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from coachkit.extensions import db
from coachkit.hiring.greenhouse import keys
from coachkit.hiring.greenhouse.models import PartnerKey

greenhouse_cli = AppGroup("greenhouse", help="The Greenhouse Assessment Partner API.")
key_cli = AppGroup("key", help="Partner keys Greenhouse calls coachkit with.")
greenhouse_cli.add_command(key_cli)


@key_cli.command("create")
@click.option("--name", required=True, help="Who will use it, e.g. 'Greenhouse (Acme)'.")
def create_key(name: str) -> None:
    """Make a key and print it, once: only its hash is kept."""
    if not name.strip() or len(name) > 120:
        raise click.BadParameter("give a name of 1 to 120 characters", param_hint="--name")
    plain, key = keys.create(name)
    db.session.commit()
    click.echo(f"Partner key {key.id} “{key.name}” (shown once, give it to Greenhouse):")
    click.echo(plain)


@key_cli.command("revoke")
@click.option("--id", "key_id", type=int, help="The key's number (see `list`).")
@click.option("--name", help="Revoke every live key with this name.")
def revoke_key(key_id: int | None, name: str | None) -> None:
    """Revoke keys: they stop working at once."""
    if (key_id is None) == (name is None):
        raise click.UsageError("Give --id or --name.")
    statement = select(PartnerKey).where(PartnerKey.revoked_at.is_(None))
    if key_id is not None:
        statement = statement.where(PartnerKey.id == key_id)
    else:
        statement = statement.where(PartnerKey.name == name)
    found = list(db.session.scalars(statement))
    if not found:
        raise click.ClickException("No live key matches.")
    for key in found:
        keys.revoke(key)
    db.session.commit()
    click.echo(f"Revoked {len(found)} key{'' if len(found) == 1 else 's'}.")


@key_cli.command("list")
def list_keys() -> None:
    """Every key: number, name, made, last used, revoked."""
    for key in keys.listed():
        state = f"revoked {key.revoked_at:%Y-%m-%d}" if key.revoked_at else "live"
        used = f"{key.last_used_at:%Y-%m-%d %H:%M}" if key.last_used_at else "never"
        click.echo(f"{key.id}\t{key.name}\tmade {key.created_at:%Y-%m-%d}\tused {used}\t{state}")
