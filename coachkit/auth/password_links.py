"""One-time links through which a user sets their password."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from flask import current_app, request, url_for
from sqlalchemy import delete, select, update

from coachkit.auth.models import PasswordLink, User
from coachkit.auth.sessions import token_digest
from coachkit.database import utcnow
from coachkit.extensions import db


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL for e-mails: built from EXTERNAL_URL, never from the Host header."""
    base = current_app.config["EXTERNAL_URL"] or request.host_url.rstrip("/")
    return base + url_for(endpoint, **values)


def issue(
    user: User, *, issued_by: User | None, lifetime: timedelta | None = None
) -> tuple[str, PasswordLink]:
    """Replace the user's unused links with a new one; return its URL and record. It
    works for `lifetime`, or SET_PASSWORD_LINK_HOURS (an admin's link)."""
    db.session.execute(
        delete(PasswordLink).where(PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None))
    )
    token = secrets.token_urlsafe(32)
    if lifetime is None:
        lifetime = timedelta(hours=current_app.config["SET_PASSWORD_LINK_HOURS"])
    link = PasswordLink(
        token_hash=token_digest(token),
        user_id=user.id,
        created_by_id=issued_by.id if issued_by else None,
        expires_at=utcnow() + lifetime,
    )
    db.session.add(link)
    db.session.flush()
    return external_url("auth.set_password", token=token), link


def find_usable(token: str) -> PasswordLink | None:
    """The unused, unexpired link behind `token`, or None."""
    link = db.session.scalar(
        select(PasswordLink).where(PasswordLink.token_hash == token_digest(token))
    )
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        return None
    return link


def redeem(link: PasswordLink) -> bool:
    """Mark the link used; False when a parallel request used it first."""
    result = db.session.execute(
        update(PasswordLink)
        .where(PasswordLink.id == link.id, PasswordLink.used_at.is_(None))
        .values(used_at=utcnow())
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def revoke_unused(user: User) -> None:
    """Invalidate the user's outstanding links (on deactivation or a password change)."""
    db.session.execute(
        delete(PasswordLink).where(PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None))
    )
