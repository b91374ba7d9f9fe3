"""Notifications (in the app, one per recipient), the outbox of e-mails the worker
sends, and who wants which e-mails."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coachkit.auth.models import string_enum
from coachkit.database import UTCDateTime, utcnow
from coachkit.extensions import Base
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
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[Kind] = mapped_column(string_enum(Kind, 40))
    subject: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(String(500))
    # What it is about, e.g. ("assignment", 42): lets a feature withdraw it later.
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
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
    that runs again, or on two workers at once, finds its key and makes nothing."""

    __tablename__ = "notification_occasions"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
