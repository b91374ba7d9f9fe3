"""Links replaced by a newer one (Resend, or the reminder's fresh link): only their
hash, kept so an old link answers "a newer link was sent" instead of "not found"."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachkit.database import UTCDateTime, utcnow
from coachkit.extensions import Base
from coachkit.hiring.models.candidates import Invitation


class ReplacedLink(Base):
    """The SHA-256 of a link that no longer works because a newer one was issued. It
    goes with the invitation (and so with the candidate, on deletion)."""

    __tablename__ = "hiring_replaced_links"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("hiring_invitations.id", ondelete="CASCADE"), index=True
    )
    replaced_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    invitation: Mapped[Invitation] = relationship()
