"""Notes on a candidate by the people who decide (recruiters and admins): who wrote
what, when, and the reason given with each decision, so the record shows the history
of shortlisting, rejecting and hiring. Raters' pages never show them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachkit.auth.models import User, string_enum
from coachkit.database import UTCDateTime, utcnow
from coachkit.extensions import Base
from coachkit.hiring.models.candidates import CandidateStatus

MAX_NOTE = 5000


class CandidateNote(Base):
    """A note, or with `decision` set the reason given for that decision."""

    __tablename__ = "hiring_candidate_notes"
    __table_args__ = (Index("ix_hiring_candidate_notes_candidate", "candidate_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("hiring_candidates.id", ondelete="CASCADE")
    )
    # Kept when the author's account goes, without their name ("a former colleague").
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    decision: Mapped[CandidateStatus | None] = mapped_column(string_enum(CandidateStatus))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()
