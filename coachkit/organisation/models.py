"""The organisation's settings: one row, written by admins, read by candidate pages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from coachkit.database import UTCDateTime, utcnow
from coachkit.extensions import Base

SETTINGS_ID = 1  # the only row


class OrganisationSettings(Base):
    """Who the employer is, as candidates see it. Every save moves `revision` on, so
    the logo and colour URLs change and browsers fetch them again."""

    __tablename__ = "organisation_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    # "#rrggbb", checked by the form; None for coachkit's neutral colours.
    accent_colour: Mapped[str | None] = mapped_column(String(7))
    privacy_url: Mapped[str | None] = mapped_column(String(500))
    # Whom a candidate with a broken link writes to, when no opening can be told.
    contact_email: Mapped[str | None] = mapped_column(String(254))
    # The logo as re-encoded by `logo.prepare` (always PNG), never the uploaded bytes.
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_type: Mapped[str | None] = mapped_column(String(40))
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
