"""Candidates: their status, invitation and per-skill results; who may see them; and
the candidates per opening and status (`STATUS_COUNTS`), kept by the flush events at
the end of this module.

A candidate has no account. Everything about a candidate hangs off `candidates` with
ON DELETE CASCADE, so deleting the candidate row removes their invite, answers, scores
and self-identification in one statement (retention).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BindParameter,
    Boolean,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
    select,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from coachkit.auth.models import User, string_enum
from coachkit.database import CounterRollup, UTCDateTime, stored, utcnow
from coachkit.extensions import Base
from coachkit.hiring.models.openings import Opening, scores_changed, visible_openings


class CandidateStatus(enum.StrEnum):
    NEW = "new"  # added, no invite yet
    INVITED = "invited"  # a link was issued
    STARTED = "started"  # consented and began answering
    SUBMITTED = "submitted"  # answers in; open answers wait for raters
    SCORED = "scored"  # every open answer has its raters' scores
    SHORTLISTED = "shortlisted"
    REJECTED = "rejected"
    HIRED = "hired"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def decided(self) -> bool:
        return self in DECISIONS


DECISIONS = (CandidateStatus.SHORTLISTED, CandidateStatus.REJECTED, CandidateStatus.HIRED)
# Statuses in which the candidate has handed in answers (decisions come after that).
ANSWERED = (CandidateStatus.SUBMITTED, CandidateStatus.SCORED, *DECISIONS)


class Candidate(Base):
    __tablename__ = "hiring_candidates"
    __table_args__ = (
        UniqueConstraint("opening_id", "email"),
        UniqueConstraint("opening_id", "code"),
        Index("ix_hiring_candidates_opening_id_status", "opening_id", "status"),
        Index("ix_hiring_candidates_last_activity_at", "last_activity_at"),
        # The rating queue walks an opening's hand-ins oldest first and stops after a
        # page, instead of sorting them all.
        Index("ix_hiring_candidates_submitted", "opening_id", "submitted_at", "id"),
        # ... and the answers waiting for raters among the candidates not fully rated.
        Index("ix_hiring_candidates_waiting", "opening_id", "fully_rated", "submitted_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Counted by `STATUS_COUNTS` with the status: their old values are loaded before a
    # change, so the count the row leaves is known.
    opening_id: Mapped[int] = mapped_column(
        ForeignKey("hiring_openings.id", ondelete="CASCADE"), active_history=True
    )
    # A neutral code (e.g. "K7F-3Q") that raters see instead of the name.
    code: Mapped[str] = mapped_column(String(12))
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    status: Mapped[CandidateStatus] = mapped_column(
        string_enum(CandidateStatus), default=CandidateStatus.NEW, active_history=True
    )
    # The attempt: consent, start, the deadline a time limit sets, and hand-in.
    consented_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    timed_out: Mapped[bool] = mapped_column(Boolean, default=False)
    seconds_taken: Mapped[int | None] = mapped_column(Integer)
    last_position: Mapped[int] = mapped_column(Integer, default=1)  # where to resume
    # Mean of the skill scores (1-5), kept with them by `results.refresh`.
    overall: Mapped[float | None] = mapped_column(Float)
    # Whether every written answer has its raters: until then the scores are provisional.
    fully_rated: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Why the current decision was taken (its history is in the candidate's notes).
    decision_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Drives the automatic purge: the last time anyone did anything with this record.
    last_activity_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    opening: Mapped[Opening] = relationship()
    invitation: Mapped[Invitation | None] = relationship(
        back_populates="candidate", cascade="all, delete-orphan", passive_deletes=True
    )
    skill_results: Mapped[list[SkillResult]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="SkillResult.skill"
    )

    @property
    def answered(self) -> bool:
        return self.status in ANSWERED


# The comparison's default order (best overall first, unscored last) read from the
# index a page at a time. SQLite puts NULLs last in a descending index and cannot say
# NULLS LAST in one; PostgreSQL needs it said.
Index(
    "ix_hiring_candidates_comparison",
    Candidate.opening_id,
    Candidate.overall.desc(),
    Candidate.code,
    Candidate.id,
).ddl_if(dialect="sqlite")
Index(
    "ix_hiring_candidates_comparison_pg",
    Candidate.opening_id,
    Candidate.overall.desc().nulls_last(),
    Candidate.code,
    Candidate.id,
).ddl_if(dialect="postgresql")


class StatusCount(Base):
    """How many of an opening's candidates are in one status: the rollup behind every
    status count (the openings list, an opening's page, the comparison), kept in the
    same transaction as each change (`STATUS_COUNTS`), so those pages read a few rows
    instead of counting every candidate."""

    __tablename__ = "hiring_status_counts"

    opening_id: Mapped[int] = mapped_column(
        ForeignKey("hiring_openings.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[CandidateStatus] = mapped_column(string_enum(CandidateStatus), primary_key=True)
    candidates: Mapped[int] = mapped_column(Integer, default=0)


class Invitation(Base):
    """The candidate's link. Only the SHA-256 of its token is stored; resending issues a
    new token (the old link stops working) and a later expiry."""

    __tablename__ = "hiring_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("hiring_candidates.id", ondelete="CASCADE"), unique=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    times_sent: Mapped[int] = mapped_column(Integer, default=1)
    emailed: Mapped[bool] = mapped_column(Boolean, default=False)
    # A link shown to a recruiter to send themselves (not e-mailed), sealed with a key
    # derived from SECRET_KEY (`sealed_links`), so the page can show it again until it is
    # replaced or revoked; the database alone never holds a usable link.
    sealed_link: Mapped[str | None] = mapped_column(Text)

    candidate: Mapped[Candidate] = relationship(back_populates="invitation")


class SkillResult(Base):
    """A candidate's score on one skill (1-5), kept up to date by `results.refresh` so
    the comparison page reads scores instead of computing them."""

    __tablename__ = "hiring_skill_results"

    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("hiring_candidates.id", ondelete="CASCADE"), primary_key=True
    )
    skill: Mapped[str] = mapped_column(String(60), primary_key=True)
    score: Mapped[float] = mapped_column(Float)


def visible_candidates(
    user: User, opening_id: int | BindParameter[int] | None = None
) -> Select[tuple[Candidate]]:
    """Candidates of the openings `user` may see (of one opening, when given)."""
    statement = select(Candidate).where(
        Candidate.opening_id.in_(visible_openings(user).with_only_columns(Opening.id))
    )
    if opening_id is not None:
        statement = statement.where(Candidate.opening_id == opening_id)
    return statement


# --- Rollups: kept by these flush events, so whatever changes the rows through these
# models keeps them; statements that bypass the ORM call the functions the events call.


@event.listens_for(Candidate, "after_delete")
def _candidate_deleted(_mapper: Mapper[Any], connection: Connection, candidate: Candidate) -> None:
    # Their rater scores go by ON DELETE CASCADE, which no flush event sees.
    scores_changed([stored(candidate, "opening_id")], connection)


STATUS_COUNTS = CounterRollup(
    StatusCount,
    source=Candidate,
    columns=("opening_id", "status"),
    share=lambda candidate: (
        {"opening_id": candidate["opening_id"], "status": candidate["status"]},
        {"candidates": 1},
    ),
    rebuild=select(
        Candidate.opening_id, Candidate.status, func.count().label("candidates")
    ).group_by(Candidate.opening_id, Candidate.status),
)


def candidates_deleted(rows: Sequence[tuple[int, CandidateStatus]]) -> None:
    """What the flush events do for a deleted candidate, for candidates deleted in bulk:
    `rows` of (opening id, status) as DELETE ... RETURNING gives them."""
    scores_changed(opening_id for opening_id, _status in rows)
    STATUS_COUNTS.apply(removed=rows)
