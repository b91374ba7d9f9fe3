"""`flask scim token create --name N`, `flask scim token revoke`, `flask scim token list`."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from coachkit.extensions import db
from coachkit.scim import tokens
from coachkit.scim.models import ScimToken

scim_cli = AppGroup("scim", help="SCIM provisioning.")
token_cli = AppGroup("token", help="Bearer tokens identity providers provision with.")
scim_cli.add_command(token_cli)
ACTOR = "the command line"


@token_cli.command("create")
@click.option("--name", required=True, help="What will use it, e.g. 'Entra ID'.")
def create_token(name: str) -> None:
    """Make a token and print it, once: only its hash is kept."""
    if not name.strip() or len(name) > 120:
        raise click.BadParameter("give a name of 1 to 120 characters", param_hint="--name")
    plain, token = tokens.create(name, by=ACTOR)
    db.session.commit()
    click.echo(f"Token {token.id} “{token.name}” (shown once, keep it in your provider):")
    click.echo(plain)


@token_cli.command("revoke")
@click.option("--id", "token_id", type=int, help="The token's number (see `list`).")
@click.option("--name", help="Revoke every live token with this name.")
def revoke_token(token_id: int | None, name: str | None) -> None:
    """Revoke tokens: they stop working at once."""
    if (token_id is None) == (name is None):
        raise click.UsageError("Give --id or --name.")
    statement = select(ScimToken).where(ScimToken.revoked_at.is_(None))
    if token_id is not None:
        statement = statement.where(ScimToken.id == token_id)
    else:
        statement = statement.where(ScimToken.name == name)
    found = list(db.session.scalars(statement))
    if not found:
        raise click.ClickException("No live token matches.")
    for token in found:
        tokens.revoke(token, by=ACTOR)
    db.session.commit()
    click.echo(f"Revoked {len(found)} token{'' if len(found) == 1 else 's'}.")


@token_cli.command("list")
def list_tokens() -> None:
    """Every token: number, name, made, last used, revoked."""
    for token in tokens.listed():
        state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "live"
        used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
        click.echo(
            f"{token.id}\t{token.name}\tmade {token.created_at:%Y-%m-%d}\tused {used}\t{state}"
        )
