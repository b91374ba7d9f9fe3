"""A calibration round: one practice conversation several managers rate on the same
skills, each blind to the others until they hand in their own ratings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachkit.auth.models import User
from coachkit.database import UTCDateTime, utcnow
from coachkit.extensions import Base
from coachkit.training.models import Attempt


class CalibrationRound(Base):
    """The conversation is a completed practice attempt, shown without the learner's
    name or written reflections. `skills` are the skills rated, in page order."""

    __tablename__ = "calibration_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    # Deleting the learner's attempt (or the learner) keeps the managers' ratings: the
    # round then says the conversation is gone.
    attempt_id: Mapped[int | None] = mapped_column(
        ForeignKey("training_attempts.id", ondelete="SET NULL"), index=True
    )
    module_slug: Mapped[str] = mapped_column(String(120))
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    attempt: Mapped[Attempt | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    seats: Mapped[list[CalibrationSeat]] = relationship(
        back_populates="round",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CalibrationSeat.id",
    )

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CalibrationSeat(Base):
    """A manager asked to rate a round; `submitted_at` is set once, when they hand in."""

    __tablename__ = "calibration_seats"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("calibration_rounds.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")

    round: Mapped[CalibrationRound] = relationship(back_populates="seats")
    user: Mapped[User] = relationship()
    ratings: Mapped[list[CalibrationRating]] = relationship(
        back_populates="seat",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CalibrationRating.id",
    )


class CalibrationRating(Base):
    """One manager's rating (1-5) of one skill in a round."""

    __tablename__ = "calibration_ratings"
    __table_args__ = (UniqueConstraint("seat_id", "skill"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    seat_id: Mapped[int] = mapped_column(ForeignKey("calibration_seats.id", ondelete="CASCADE"))
    skill: Mapped[str] = mapped_column(String(60))
    rating: Mapped[int] = mapped_column(Integer)

    seat: Mapped[CalibrationSeat] = relationship(back_populates="ratings")
