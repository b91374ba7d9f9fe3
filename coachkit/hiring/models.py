"""Hiring records: openings, candidates with their invite link and answers, raters'
scores, per-skill results, voluntary self-identification and hand-overs on hire.

A candidate has no account. Everything about a candidate hangs off `candidates` with
ON DELETE CASCADE, so deleting the candidate row removes their invite, answers, scores
and self-identification in one statement (retention). A hand-over is a copy made for
the hiring team and outlives the candidate record on purpose.

The rollups of these tables (status counts, answers' written flag and rater count,
openings' scores revision) are kept by the flush events at the end of this module,
so whatever imports the models keeps them (`coachkit.rollups` has the rules).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BindParameter,
    Boolean,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    ScalarSelect,
    Select,
    String,
    Text,
    UniqueConstraint,
    event,
    false,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from coachkit.auth.models import Role, User, string_enum
from coachkit.database import CounterRollup, UTCDateTime, stored, utcnow
from coachkit.extensions import Base, db
from coachkit.teams.models import Team

HIRERS = (Role.RECRUITER, Role.ADMIN)


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

    candidate: Mapped[Candidate] = relationship(back_populates="invitation")


class Answer(Base):
    """A candidate's answer to one item, saved as they go (autosave upserts it).

    `value` holds {"best": i, "worst": j} (best-worst), {"ratings": [...]} (rate) or
    {"text": "..."} (open). `credit` (0-1) is the keyed score of a judgement item.
    """

    __tablename__ = "hiring_answers"
    __table_args__ = (
        UniqueConstraint("candidate_id", "item_id"),
        # The rating queue reads these four from the index alone (no row lookups).
        Index("ix_hiring_answers_rating", "candidate_id", "item_id", "written", "raters"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("hiring_candidates.id", ondelete="CASCADE")
    )
    item_id: Mapped[str] = mapped_column(String(80))
    value: Mapped[dict] = mapped_column(JSON, default=dict)
    credit: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Kept with the value so the rating pages filter and sort by plain columns instead of
    # reading every answer's JSON and counting its scores: whether it holds a written
    # reply (`holds_writing` of `value`), and how many raters have scored it.
    written: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    raters: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class RaterScore(Base):
    """One rater's 1-5 score of one skill in one open answer."""

    __tablename__ = "hiring_rater_scores"
    __table_args__ = (
        UniqueConstraint("candidate_id", "item_id", "skill", "rater_id"),
        # "Has this rater scored this answer?" (the rating queue asks it per answer).
        Index("ix_hiring_rater_scores_rater_id", "rater_id", "candidate_id", "item_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("hiring_candidates.id", ondelete="CASCADE")
    )
    # Copied from the candidate, so agreement per opening is one indexed query.
    opening_id: Mapped[int] = mapped_column(
        ForeignKey("hiring_openings.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str] = mapped_column(String(80))
    skill: Mapped[str] = mapped_column(String(60))
    rater_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    rating: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    rater: Mapped[User] = relationship()


class SkillResult(Base):
    """A candidate's score on one skill (1-5), kept up to date by `results.refresh` so
    the comparison page reads scores instead of computing them."""

    __tablename__ = "hiring_skill_results"

    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("hiring_candidates.id", ondelete="CASCADE"), primary_key=True
    )
    skill: Mapped[str] = mapped_column(String(60), primary_key=True)
    score: Mapped[float] = mapped_column(Float)


class SelfIdentification(Base):
    """Voluntary equal-opportunity answers, kept apart from the exercise answers and
    shown to nobody one by one: only counted in the adverse impact report."""

    __tablename__ = "hiring_self_identifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("hiring_candidates.id", ondelete="CASCADE"), unique=True
    )
    opening_id: Mapped[int] = mapped_column(
        ForeignKey("hiring_openings.id", ondelete="CASCADE"), index=True
    )
    # Each is one of the choices in `fairness.CATEGORIES`, or None when not answered.
    sex: Mapped[str | None] = mapped_column(String(40))
    ethnicity: Mapped[str | None] = mapped_column(String(60))
    age_band: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


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


def holds_writing(value: dict | None) -> bool:
    """Whether an answer's value holds a written reply (`Answer.written`)."""
    return bool(str((value or {}).get("text") or "").strip())


@event.listens_for(Answer, "before_insert")
@event.listens_for(Answer, "before_update")
def _note_written(_mapper: Mapper[Any], _connection: Connection, answer: Answer) -> None:
    answer.written = holds_writing(answer.value)


def rater_count() -> ScalarSelect[int]:
    """How many raters scored the answer, correlated with an UPDATE of hiring_answers."""
    answers, scores = Answer.__table__.c, RaterScore.__table__.c
    return (
        select(func.count(func.distinct(scores.rater_id)))
        .where(scores.candidate_id == answers.candidate_id, scores.item_id == answers.item_id)
        .scalar_subquery()
    )


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


def answers_rated(
    answers: Iterable[tuple[int, int, str]], connection: Connection | None = None
) -> None:
    """After rater scores of these answers, (opening id, candidate id, item id), were
    written, changed or deleted: count each answer's raters again, and move their
    openings' scores revision on. Answers first, then openings, as every writer does."""
    rated = sorted(set(answers))
    columns = Answer.__table__.c
    for _opening_id, candidate_id, item_id in rated:
        (connection or db.session).execute(
            update(Answer)
            .where(columns.candidate_id == candidate_id, columns.item_id == item_id)
            .values({columns.raters: rater_count()})
            .execution_options(synchronize_session=False)
        )
    scores_changed((opening_id for opening_id, _candidate_id, _item_id in rated), connection)


@event.listens_for(RaterScore, "after_insert")
@event.listens_for(RaterScore, "after_update")
@event.listens_for(RaterScore, "after_delete")
def _scores_written(_mapper: Mapper[Any], connection: Connection, score: RaterScore) -> None:
    answers_rated([(score.opening_id, score.candidate_id, score.item_id)], connection)


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
