"""The outbox of outgoing HTTP requests: one row per request, written in the
transaction of the change that causes it and sent later by the worker."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from coachkit.auth.models import string_enum
from coachkit.database import UTCDateTime, utcnow
from coachkit.extensions import Base


class DeliveryState(enum.StrEnum):
    WAITING = "waiting"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class HttpDelivery(Base):
    """A request to another system (an LRS, an applicant tracking system).

    `key` is fixed when the row is made (an xAPI statement id, a callback's
    idempotency key) and unique, so the same record is never queued twice and a
    retry sends exactly what the first try sent."""

    __tablename__ = "http_deliveries"
    __table_args__ = (
        Index("ix_http_deliveries_state_next_attempt_at", "state", "next_attempt_at"),
        Index("ix_http_deliveries_target_state", "target", "state"),
        Index("ix_http_deliveries_object_type_object_id", "object_type", "object_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    # Which registered sender performs it (and with which credentials): "xapi", ...
    target: Mapped[str] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(10), default="POST")
    url: Mapped[str] = mapped_column(String(1000))
    body: Mapped[Any] = mapped_column(JSON)
    state: Mapped[DeliveryState] = mapped_column(
        string_enum(DeliveryState), default=DeliveryState.WAITING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When a worker took it to send ('sending'); a claim older than the timeout is stale.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What it is about, e.g. ("training_attempt", 42).
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
