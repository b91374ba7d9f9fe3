"""Server-side sign-in sessions and database-counted login throttling."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, g, session
from flask_login import login_user, logout_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.orm import InstrumentedAttribute

from coachkit.auth import throttle
from coachkit.auth.models import AuthSession, LoginAttempt, OidcRequest, User
from coachkit.database import utcnow
from coachkit.extensions import db


def token_digest(token: str) -> str:
    """The SHA-256 hex digest under which a secret token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(user: User) -> None:
    """Start a fresh session for `user`: a new server record and a new cookie."""
    token = secrets.token_urlsafe(32)
    lifetime = timedelta(hours=current_app.config["SESSION_LIFETIME_HOURS"])
    db.session.add(
        AuthSession(id=token_digest(token), user_id=user.id, expires_at=utcnow() + lifetime)
    )
    fill_cookie(user, token)


def fill_cookie(user: User, token: str) -> None:
    """Replace the cookie session's contents with a sign-in as `user` under `token` and
    a new CSRF token. Making the CSRF token here, not on the first page with a form,
    means the cookie set by signing in is the one the browser keeps: pages after it
    never need to send a new one."""
    session.clear()
    user._session_token = token  # type: ignore[attr-defined]
    login_user(user)
    # A token made earlier in this request (the sign-in form's) was the old session's.
    g.pop(current_app.config["WTF_CSRF_FIELD_NAME"], None)
    generate_csrf()


def sign_out(user: User) -> None:
    """End the current session on the server, so a copied cookie stops working."""
    token = getattr(user, "_session_token", None)
    if token:
        db.session.execute(delete(AuthSession).where(AuthSession.id == token_digest(token)))
    logout_user()
    session.clear()


def end_sessions(user: User, *, keep_current: bool) -> None:
    """End every session of `user` (all but this one when `keep_current`)."""
    statement = delete(AuthSession).where(AuthSession.user_id == user.id)
    current = getattr(user, "_session_token", None)
    if keep_current and current:
        statement = statement.where(AuthSession.id != token_digest(current))
    db.session.execute(statement)


_SIGNED_IN = (
    select(User)
    .join(AuthSession, AuthSession.user_id == User.id)
    .where(
        AuthSession.id == bindparam("digest"),
        AuthSession.expires_at > bindparam("now", type_=AuthSession.expires_at.type),
        User.active.is_(True),
    )
)


def load_user(token: str) -> User | None:
    """Flask-Login's loader: the user behind an unexpired server session, in one query."""
    user = db.session.scalar(_SIGNED_IN, {"digest": token_digest(token), "now": utcnow()})
    if user is not None:
        user._session_token = token  # type: ignore[attr-defined]
    return user


def _failures_since(column: InstrumentedAttribute[str], value: str) -> int:
    window = timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
    count = db.session.scalar(
        select(func.count(LoginAttempt.id)).where(
            column == value,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.created_at > utcnow() - window,
        )
    )
    return count or 0


def begin_attempt(email: str, address: str) -> LoginAttempt:
    """Record an attempt as failed before checking it, so parallel guesses all count."""
    attempt = LoginAttempt(email=email, address=address, succeeded=False)
    db.session.add(attempt)
    db.session.flush()
    return attempt


def throttled(email: str, address: str) -> bool:
    """Whether this account or this address has failed too often, counting the attempt
    just begun: the limits allow that many failures and refuse the attempt after."""
    config = current_app.config
    return (
        _failures_since(LoginAttempt.email, email) > config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        or _failures_since(LoginAttempt.address, address) > config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    )


def succeed_attempt(attempt: LoginAttempt) -> None:
    """Mark the attempt successful, clear the account's failures and prune old rows."""
    db.session.execute(
        delete(LoginAttempt).where(
            LoginAttempt.email == attempt.email,
            LoginAttempt.succeeded.is_(False),
            LoginAttempt.id != attempt.id,
        )
    )
    db.session.execute(
        delete(LoginAttempt).where(LoginAttempt.created_at < utcnow() - timedelta(days=1))
    )
    attempt.succeeded = True


def prune_expired() -> int:
    """Delete expired sessions, day-old login attempts and throttle counts; return
    sessions removed."""
    result = db.session.execute(delete(AuthSession).where(AuthSession.expires_at <= utcnow()))
    db.session.execute(
        delete(LoginAttempt).where(LoginAttempt.created_at < utcnow() - timedelta(days=1))
    )
    throttle.prune()
    db.session.execute(delete(OidcRequest).where(OidcRequest.expires_at <= utcnow()))
    return result.rowcount or 0  # type: ignore[attr-defined]
