"""Bearer tokens for SCIM: made by an admin (in the app or with `flask scim token
create`), shown once, kept only as their SHA-256, revocable."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlalchemy import select

from coachkit.auth.models import User
from coachkit.auth.sessions import token_digest
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.scim import audit
from coachkit.scim.models import ScimToken

PREFIX = "coachkit_scim_"  # lets secret scanners and people recognise a leaked token
# A token's last use is written at most this often, not on every request.
USE_RECORDED_EVERY = timedelta(minutes=5)


def create(name: str, *, by: User | str) -> tuple[str, ScimToken]:
    """A new token named `name`; returns the token (never stored) and its record."""
    plain = PREFIX + secrets.token_urlsafe(32)
    token = ScimToken(
        name=name.strip()[:120],
        token_hash=token_digest(plain),
        created_by_id=by.id if isinstance(by, User) else None,
    )
    db.session.add(token)
    db.session.flush()
    audit.record(_actor(by), "token created", "Token", token.id, f"SCIM token “{token.name}”")
    return plain, token


def revoke(token: ScimToken, *, by: User | str) -> bool:
    """Revoke `token` now; False when it already was."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    audit.record(_actor(by), "token revoked", "Token", token.id, f"SCIM token “{token.name}”")
    return True


def authenticate(header: str | None) -> ScimToken | None:
    """The live token an `Authorization: Bearer ...` header carries, or None."""
    scheme, _, value = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    token = db.session.scalar(
        select(ScimToken).where(
            ScimToken.token_hash == token_digest(value.strip()), ScimToken.revoked_at.is_(None)
        )
    )
    if token is not None and (
        token.last_used_at is None or token.last_used_at < utcnow() - USE_RECORDED_EVERY
    ):
        token.last_used_at = utcnow()
    return token


def listed() -> list[ScimToken]:
    return list(db.session.scalars(select(ScimToken).order_by(ScimToken.id.desc())))


def _actor(by: User | str) -> str:
    return f"{by.name} ({by.email})" if isinstance(by, User) else by
