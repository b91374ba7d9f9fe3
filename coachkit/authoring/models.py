"""Previews: an author's draft of one content file and how far they have played it.

A preview is its owner's alone (every lookup goes through `own_preview_or_404`), lasts
`PREVIEW_HOURS` from its last change, and is the only thing a preview writes: no
attempt, tally, candidate, answer or profile row is ever made from one.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import Any

from flask import abort
from flask_login import current_user
from sqlalchemy import JSON, ForeignKey, Index, String, Text, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from coachkit.auth.models import string_enum
from coachkit.database import UTCDateTime, utcnow
from coachkit.extensions import Base, db

PREVIEW_HOURS = 24
MAX_SOURCE = 200_000  # characters in a previewed file


class PreviewKind(enum.StrEnum):
    MODULE = "module"
    EXERCISE = "exercise"

    @property
    def label(self) -> str:
        return "Training module" if self is PreviewKind.MODULE else "Screening exercise"


class Preview(Base):
    __tablename__ = "authoring_previews"
    __table_args__ = (Index("ix_authoring_previews_owner_id_expires_at", "owner_id", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[PreviewKind] = mapped_column(string_enum(PreviewKind))
    file_name: Mapped[str] = mapped_column(String(120))  # the slug: `<file_name>.md`
    source: Mapped[str] = mapped_column(Text)
    # Module: {"steps": [[node, reply index or null, reflection or null], ...]};
    # exercise: {"answers": {item id: answer}, "started": bool, "handed_in": bool}.
    progress: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Set when a recruiter previews an opening's exercise (its pages use the opening).
    opening_id: Mapped[int | None] = mapped_column(
        ForeignKey("hiring_openings.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    def touch(self) -> None:
        """Keep it another `PREVIEW_HOURS` from now."""
        self.expires_at = utcnow() + timedelta(hours=PREVIEW_HOURS)


def own_previews() -> list[Preview]:
    """The signed-in person's unexpired previews, newest first."""
    return list(
        db.session.scalars(
            select(Preview)
            .where(Preview.owner_id == current_user.id, Preview.expires_at > utcnow())
            .order_by(Preview.id.desc())
        )
    )


def own_preview_or_404(preview_id: int, kind: PreviewKind | None = None) -> Preview:
    """The signed-in person's unexpired preview; anyone else's, or an expired one, is a
    404. A preview of a file (no opening) needs the author permission as well."""
    preview = db.session.scalar(
        select(Preview).where(
            Preview.id == preview_id,
            Preview.owner_id == current_user.id,
            Preview.expires_at > utcnow(),
        )
    )
    if preview is None or (kind is not None and preview.kind != kind):
        abort(404)
    if preview.opening_id is None and not current_user.is_author:
        abort(404)
    return preview


def prune(now: datetime) -> int:
    """Delete expired previews (the worker's scan pass, and each visit to the list)."""
    result = db.session.execute(delete(Preview).where(Preview.expires_at <= now))
    return int(getattr(result, "rowcount", 0) or 0)
