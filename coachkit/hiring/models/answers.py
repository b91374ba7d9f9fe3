"""What candidates answer and how it is scored: their answers to the exercise's items,
raters' scores of the written ones, and the voluntary self-identification kept apart
from both. Each answer's written flag and rater count, and its opening's scores
revision, are kept by the flush events at the end of this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    ScalarSelect,
    String,
    UniqueConstraint,
    event,
    false,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from coachkit.auth.models import User
from coachkit.database import UTCDateTime, utcnow
from coachkit.extensions import Base, db
from coachkit.hiring.models.openings import scores_changed


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
    # Each is one of the choices in `self_identification.CATEGORIES`, or None when not answered.
    sex: Mapped[str | None] = mapped_column(String(40))
    ethnicity: Mapped[str | None] = mapped_column(String(60))
    age_band: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


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
