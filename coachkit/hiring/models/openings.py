"""Openings and the exercise versions they are pinned to; who may see them; and the
openings' scores revision, moved on by every change of their rater scores."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Connection,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    Text,
    UniqueConstraint,
    false,
    select,
    true,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachkit.auth.models import Role, User
from coachkit.database import UTCDateTime, utcnow
from coachkit.extensions import Base, db
from coachkit.teams.models import Team

HIRERS = (Role.RECRUITER, Role.ADMIN)


class ExerciseVersion(Base):
    """The exact source of an exercise as an opening uses it. An opening is pinned to
    the version it was created with, so all its candidates face the same items and an
    edited file never changes anyone's result."""

    __tablename__ = "hiring_exercise_versions"
    __table_args__ = (UniqueConstraint("slug", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120))
    version: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Opening(Base):
    """A role being hired for, screened with one exercise from the content library."""

    __tablename__ = "hiring_openings"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    # The team the hire joins: its managers receive the hand-over on hire.
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    exercise_slug: Mapped[str] = mapped_column(String(120))
    # The pinned version's fingerprint (set by `versions.pin`); its source is stored in
    # hiring_exercise_versions under (exercise_slug, exercise_version).
    exercise_version: Mapped[str | None] = mapped_column(String(12))
    # Minutes the candidate has once they start; None for no limit.
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)
    invite_days: Mapped[int] = mapped_column(Integer, default=14)
    # E-mail a candidate who has not started one reminder 3 days before the link expires.
    remind_before_expiry: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # How many raters score each open answer before a candidate counts as scored.
    raters_required: Mapped[int] = mapped_column(Integer, default=2)
    # Whom candidates contact with questions (shown on every candidate page).
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Counts changes to the opening's rater scores (`scores_changed`): reports computed
    # from the scores are reused while it stays the same.
    scores_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The new-opening form's one-time key: the same form posted twice makes one opening.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Optimistic locking: a save from a form opened before someone else's save is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)

    team: Mapped[Team | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


# The openings list's order (open ones first, by title): a page reads its rows from
# the index in order instead of sorting every opening.
LISTING_ORDER = (Opening.closed_at.is_not(None), Opening.title, Opening.id)
Index("ix_hiring_openings_listing", *LISTING_ORDER)


def visible_openings(user: User) -> Select[tuple[Opening]]:
    """Openings `user` may see: every opening for recruiters and admins (hiring is a
    shared desk), none for anyone else."""
    statement = select(Opening).order_by(*LISTING_ORDER)
    if user.role not in HIRERS:
        return statement.where(false())
    return statement


def scores_changed(opening_ids: Iterable[int], connection: Connection | None = None) -> None:
    """Move the openings' scores revision on, so reports computed from their rater
    scores are computed again. A plain increment: the openings' edit version stays as
    it is, and two raters saving at once both count."""
    ids = sorted(set(opening_ids))
    if ids:
        openings = Opening.__table__.c
        (connection or db.session).execute(
            update(Opening)
            .where(openings.id.in_(ids))
            .values({openings.scores_revision: openings.scores_revision + 1})
            .execution_options(synchronize_session=False)
        )
