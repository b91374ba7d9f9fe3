"""Signing the benchmark's people in without their passwords: a server-side session
row per person (as `auth.sessions.sign_in` stores it) and the signed cookie that
signing in sets (made by the same code), so every measured request pays the real
session lookup and carries what a browser carries."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta

from flask import Flask, session
from sqlalchemy import delete

from coachkit.auth.models import AuthSession
from coachkit.auth.sessions import fill_cookie, load_user, token_digest
from coachkit.database import utcnow
from coachkit.extensions import db


def open_sessions(app: Flask, user_ids: Iterable[int]) -> dict[int, str]:
    """A fresh session token per user, stored for the next hour."""
    tokens = {user_id: secrets.token_urlsafe(32) for user_id in sorted(set(user_ids))}
    with app.app_context():
        for user_id, token in tokens.items():
            expires = utcnow() + timedelta(hours=1)
            db.session.add(AuthSession(id=token_digest(token), user_id=user_id, expires_at=expires))
        db.session.commit()
    return tokens


def close_sessions(app: Flask, tokens: Iterable[str]) -> None:
    digests = [token_digest(token) for token in tokens]
    with app.app_context():
        db.session.execute(delete(AuthSession).where(AuthSession.id.in_(digests)))
        db.session.commit()
        db.engine.dispose()


def cookie(app: Flask, token: str) -> str:
    """The value of the session cookie `sign_in` sets for `token` (an open session)."""
    with app.test_request_context():
        user = load_user(token)
        if user is None:
            raise ValueError("no open session for that token")
        fill_cookie(user, token)
        contents = dict(session)
        db.session.rollback()
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    return serializer.dumps(contents)
