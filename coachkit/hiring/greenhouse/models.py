"""Greenhouse records: the partner keys Greenhouse calls with, the interviews it asked
for (one per candidate it sent a test to) and the malformed answers it reported.

An interview hangs off its candidate with ON DELETE CASCADE, so deleting a candidate
(or the retention purge) removes what Greenhouse knew of them here too.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachkit.database import UTCDateTime, utcnow
from coachkit.extensions import Base
from coachkit.hiring.models import Candidate


class PartnerKey(Base):
    """An organisation's partner key, the user name of Greenhouse's HTTP Basic: kept as
    its SHA-256, and the seed it is made from with SECRET_KEY (see `keys`)."""

    __tablename__ = "greenhouse_partner_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    seed: Mapped[str] = mapped_column(String(64))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Interview(Base):
    """A test Greenhouse sent: the candidate it made (or found) on the opening, and
    where Greenhouse wants to hear that the test is complete."""

    __tablename__ = "greenhouse_interviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("hiring_candidates.id", ondelete="CASCADE"), unique=True
    )
    key_id: Mapped[int | None] = mapped_column(
        ForeignKey("greenhouse_partner_keys.id", ondelete="SET NULL")
    )
    # The `url` of send_test, PATCHed on completion, and the candidate's application.
    callback_url: Mapped[str] = mapped_column(String(1000))
    greenhouse_profile_url: Mapped[str | None] = mapped_column(String(1000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the last completion PATCH was put in the outbox (None: not complete yet).
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    candidate: Mapped[Candidate] = relationship()


class ResponseError(Base):
    """What Greenhouse reported it could not accept from us (`response_error`). The
    candidate's e-mail address it may send along is not kept: the interview id says
    whose test it was, for as long as the candidate's record lasts."""

    __tablename__ = "greenhouse_response_errors"
    __table_args__ = (Index("ix_greenhouse_response_errors_received_at", "received_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[int | None] = mapped_column(
        ForeignKey("greenhouse_partner_keys.id", ondelete="SET NULL")
    )
    api_call: Mapped[str] = mapped_column(String(60))
    errors: Mapped[list[str]] = mapped_column(JSON, default=list)
    partner_test_id: Mapped[str | None] = mapped_column(String(60))
    partner_test_name: Mapped[str | None] = mapped_column(String(200))
    partner_interview_id: Mapped[str | None] = mapped_column(String(60))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
