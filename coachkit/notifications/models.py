"""Notifications (in the app, one per recipient), the outbox of e-mails the worker
sends, and who wants which e-mails.

Each person's count of unread notifications (`users.unread_notifications`, shown in
the header) is a rollup kept by the flush events at the end of this module; statements
that bypass the ORM call `unread_changed`, the function the events call."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    case,
    event,
    update,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from coachkit.auth.models import User, string_enum
from coachkit.database import UTCDateTime, stored, utcnow
from coachkit.extensions import Base, db
from coachkit.notifications.kinds import Delivery, Kind


class Notification(Base):
    """Something that happened which a person should know about, with a link to it."""

    __tablename__ = "notifications"
    __table_args__ = (
        # The list page (a person's newest first) and the digest (theirs not yet sent).
        Index("ix_notifications_recipient_id_id", "recipient_id", "id"),
        Index("ix_notifications_digest_pending_recipient_id", "digest_pending", "recipient_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Both counted in the recipient's unread count: an update must know the values it
    # replaces even when they were never loaded (see `database.CounterRollup`).
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), active_history=True
    )
    kind: Mapped[Kind] = mapped_column(string_enum(Kind, 40))
    subject: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(String(500))
    # What it is about, e.g. ("assignment", 42): lets a feature withdraw it later.
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, active_history=True)
    # Waiting for the recipient's daily digest e-mail.
    digest_pending: Mapped[bool] = mapped_column(Boolean, default=False)


class OutboxState(enum.StrEnum):
    WAITING = "waiting"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class OutboxMessage(Base):
    """An e-mail written in the transaction of the change that causes it, sent later by
    the worker (`flask worker`, `flask send`).

    The body is stored without its footer (unsubscribe and preferences links are built
    when it is sent). A one-time link in it is kept apart, in `secret_link`, until the
    message is sent or given up: the body holds `SECRET_LINK` in its place."""

    __tablename__ = "notification_outbox"
    __table_args__ = (
        Index("ix_notification_outbox_state_next_attempt_at", "state", "next_attempt_at"),
        Index("ix_notification_outbox_object_type_object_id", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[Kind] = mapped_column(string_enum(Kind, 40))
    state: Mapped[OutboxState] = mapped_column(
        string_enum(OutboxState), default=OutboxState.WAITING
    )
    to_address: Mapped[str] = mapped_column(String(254))
    # The account it goes to (preferences, unsubscribe); none for a candidate.
    recipient_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL"), index=True
    )
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    # Messages sent together (e.g. "Invite all"), to show how far sending has got.
    batch: Mapped[str | None] = mapped_column(String(36), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    secret_link: Mapped[str | None] = mapped_column(String(500))
    ical: Mapped[bytes | None] = mapped_column(LargeBinary)
    message_id: Mapped[str] = mapped_column(String(250), unique=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When a worker took it to send ('sending'); a claim older than the timeout is stale.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Not sent after this (its link would no longer work).
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Preference(Base):
    """A person's choice for one kind, where it differs from the organisation default."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[Kind] = mapped_column(string_enum(Kind, 40), primary_key=True)
    delivery: Mapped[Delivery] = mapped_column(string_enum(Delivery))


class OrganisationDefault(Base):
    """The delivery of a kind for everyone who has not chosen (admins set it); a kind
    without a row is e-mailed singly."""

    __tablename__ = "notification_defaults"

    kind: Mapped[Kind] = mapped_column(string_enum(Kind, 40), primary_key=True)
    delivery: Mapped[Delivery] = mapped_column(string_enum(Delivery))


class Suppression(Base):
    """A kind of e-mail an address without an account (a candidate) unsubscribed from.
    The address is kept only as its SHA-256 digest."""

    __tablename__ = "notification_suppressions"

    address_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[Kind] = mapped_column(string_enum(Kind, 40), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Occasion(Base):
    """A notification made once only, e.g. "assignment 42 due soon, to user 7": a scan
    that runs again, or on two workers at once, finds its key and makes nothing. Also
    a reminder scan's day (`reminders.daily`)."""

    __tablename__ = "notification_occasions"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- The unread count: kept by these flush events, so whatever adds, reads or deletes
# notifications through this model keeps it; statements that bypass the ORM (mark all
# read, forget) call `unread_changed` with what they changed.


def unread_changed(changes: Mapping[int, int], connection: Connection | None = None) -> None:
    """Add to (or take from) people's unread counts, by user id: an atomic increment
    that never goes below zero, one person at a time in user-id order, so two writers
    never wait for each other's rows (no deadlock on PostgreSQL). `connection` is for
    flush events, which must not use the session."""
    users = User.__table__.c
    for user_id in sorted(changes):
        step = changes[user_id]
        if step == 0:
            continue
        value = users.unread_notifications + step
        (connection or db.session).execute(
            update(User)
            .where(users.id == user_id)
            .values(
                {
                    users.unread_notifications: value
                    if step > 0
                    else case((value > 0, value), else_=0)
                }
            )
            .execution_options(synchronize_session=False)
        )


def _unread(row: Notification, *, before: bool = False) -> tuple[int, int]:
    """(recipient, 1 when unread) as the row is after this flush, or was before it."""
    if before:
        return stored(row, "recipient_id"), int(stored(row, "read_at") is None)
    return row.recipient_id, int(row.read_at is None)


@event.listens_for(Notification, "after_insert")
def _notification_added(_mapper: Mapper[Any], connection: Connection, row: Notification) -> None:
    recipient, unread = _unread(row)
    unread_changed({recipient: unread}, connection)


@event.listens_for(Notification, "after_update")
def _notification_changed(_mapper: Mapper[Any], connection: Connection, row: Notification) -> None:
    (was_for, was_unread), (now_for, now_unread) = _unread(row, before=True), _unread(row)
    changes = Counter({was_for: -was_unread})
    changes[now_for] += now_unread
    unread_changed(changes, connection)


@event.listens_for(Notification, "after_delete")
def _notification_deleted(_mapper: Mapper[Any], connection: Connection, row: Notification) -> None:
    recipient, unread = _unread(row, before=True)
    unread_changed({recipient: -unread}, connection)
