"""Fixtures for the notification tests: notifying people and reading the outbox back
as plain values (`run_pass`, one pass of the worker, is in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from coachkit.auth.models import User
from coachkit.extensions import db
from coachkit.notifications.kinds import Kind
from coachkit.notifications.models import Notification, OutboxMessage
from coachkit.notifications.notify import notify
from tests.conftest import Person

SUBJECT = "The renewal conversation is assigned to you"
PATH = "/training/the-renewal-conversation"


@dataclass(frozen=True)
class Stored:
    """An outbox row as plain values."""

    id: int
    kind: Kind
    state: str
    to_address: str
    subject: str
    body: str
    secret_link: str | None
    attempts: int
    message_id: str
    next_attempt_at: datetime
    last_error: str | None
    batch: str | None


@pytest.fixture
def notify_person(app: Flask) -> Callable[..., int | None]:
    """notify_person(person, kind=..., subject=..., path=..., **options) -> the new
    notification's id (None when none was made), committed."""

    def make(
        person: Person,
        kind: Kind = Kind.MODULE_ASSIGNED,
        subject: str = SUBJECT,
        path: str = PATH,
        **options: Any,
    ) -> int | None:
        with app.app_context():
            user = db.session.get(User, person.id)
            assert user is not None
            notification = notify(user, kind, subject, path, **options)
            db.session.commit()
            made = notification.id if notification else None
            db.session.remove()
            return made

    return make


@pytest.fixture
def outbox_rows(app: Flask) -> Callable[[], list[Stored]]:
    def read() -> list[Stored]:
        with app.app_context():
            rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
            stored = [
                Stored(
                    row.id,
                    row.kind,
                    row.state.value,
                    row.to_address,
                    row.subject,
                    row.body,
                    row.secret_link,
                    row.attempts,
                    row.message_id,
                    row.next_attempt_at,
                    row.last_error,
                    row.batch,
                )
                for row in rows
            ]
            db.session.remove()
            return stored

    return read


@pytest.fixture
def unread(app: Flask) -> Callable[[Person], tuple[int, int]]:
    """(the count kept on the account, the unread notifications counted)."""

    def count(person: Person) -> tuple[int, int]:
        with app.app_context():
            user = db.session.get(User, person.id)
            assert user is not None
            counted = len(
                db.session.scalars(
                    select(Notification.id).where(
                        Notification.recipient_id == person.id, Notification.read_at.is_(None)
                    )
                ).all()
            )
            kept = user.unread_notifications
            db.session.remove()
            return kept, counted

    return count
