"""Helpers every feature's queries share (coachkit.database)."""

from __future__ import annotations

from sqlalchemy import select

from coachkit.auth.models import Role, User
from coachkit.database import plain_rows
from coachkit.extensions import db


def test_plain_rows_see_the_sessions_pending_changes_in_its_transaction(app):
    """Rows read through Core see what the session added but has not flushed, inside
    the session's own transaction: a rollback leaves nothing behind."""
    names = select(User.name).where(User.email == "pending@example.com")
    with app.app_context():
        db.session.add(User(email="pending@example.com", name="Pending", role=Role.EMPLOYEE))
        assert [tuple(row) for row in plain_rows(names)] == [("Pending",)]
        db.session.rollback()
        assert plain_rows(names) == []
