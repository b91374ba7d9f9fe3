"""Hand-overs: a hired candidate's screening profile, copied for the team they join."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachkit.auth.models import User
from coachkit.database import UTCDateTime, utcnow
from coachkit.extensions import Base
from coachkit.teams.models import Team


class Handover(Base):
    """A hired candidate's screening profile, handed to the team they join as the
    starting point for training suggestions. A copy: it outlives the candidate record."""

    __tablename__ = "hiring_handovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("hiring_candidates.id", ondelete="SET NULL"), unique=True
    )
    # The new starter's account, when one exists with the candidate's e-mail.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    opening_title: Mapped[str] = mapped_column(String(160))
    exercise_slug: Mapped[str] = mapped_column(String(120))
    skills: Mapped[dict] = mapped_column(JSON, default=dict)  # skill id -> score 1-5
    note: Mapped[str] = mapped_column(Text, default="")
    handed_over_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
