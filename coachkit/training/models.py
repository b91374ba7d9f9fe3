"""Training records: the module versions people played, their attempts and choices.

Their rollups (reply tallies, skill totals) are kept by the flush events declared at
the end of this module, so whatever imports the models keeps them (`coachkit.rollups`
has the rules).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BindParameter,
    Date,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    Text,
    UniqueConstraint,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachkit.auth.models import User, string_enum
from coachkit.database import CounterRollup, Share, UTCDateTime, utcnow
from coachkit.extensions import Base
from coachkit.teams.models import managed_members


class AttemptStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class ModuleVersion(Base):
    """The exact source of a module as someone played it, kept for their results."""

    __tablename__ = "module_versions"
    __table_args__ = (UniqueConstraint("slug", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120))
    version: Mapped[str] = mapped_column(String(12))
    title: Mapped[str] = mapped_column(String(200))
    # Read only to replay an attempt made on an earlier version of the module.
    source: Mapped[str] = mapped_column(Text, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def new_registration() -> str:
    return str(uuid.uuid4())


class Attempt(Base):
    __tablename__ = "training_attempts"
    __table_args__ = (
        # Serves "has this person started/finished this module since it was assigned"
        # (progress.assignment_statuses) without touching other people's attempts.
        Index(
            "ix_training_attempts_user_slug_status",
            "user_id",
            "module_slug",
            "status",
            "started_at",
        ),
        Index("ix_training_attempts_slug_status", "module_slug", "status"),
        # The home page's unfinished attempts and last few completed ones, read from
        # the index instead of sorting all of a person's attempts.
        Index(
            "ix_training_attempts_user_status_completed",
            "user_id",
            "status",
            "completed_at",
            "id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(String(120))
    module_version_id: Mapped[int] = mapped_column(ForeignKey("module_versions.id"))
    status: Mapped[AttemptStatus] = mapped_column(
        string_enum(AttemptStatus), default=AttemptStatus.IN_PROGRESS
    )
    current_node: Mapped[str] = mapped_column(String(120))
    step_count: Mapped[int] = mapped_column(Integer, default=0)
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    scores: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    ending: Mapped[str | None] = mapped_column(String(120))
    outcome: Mapped[str | None] = mapped_column(String(10))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The attempt's xAPI registration (a UUID), on every statement about it; attempts
    # made before it existed get one when first reported (`xapi.backfill`).
    registration: Mapped[str | None] = mapped_column(
        String(36), unique=True, default=new_registration
    )

    module_version: Mapped[ModuleVersion] = relationship()
    steps: Mapped[list[AttemptStep]] = relationship(
        back_populates="attempt",
        order_by="AttemptStep.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class AttemptStep(Base):
    """One answer in an attempt: a choice (with its stored score changes) or a reflection.

    The unique position makes a double-submitted answer a no-op, and reports aggregate
    these stored rows rather than replaying content.
    """

    __tablename__ = "training_attempt_steps"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    # Counted by `CHOICE_TALLIES` (active_history: an update knows what it replaces).
    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("training_attempts.id", ondelete="CASCADE"), active_history=True
    )
    module_slug: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer)
    node_id: Mapped[str] = mapped_column(String(120), active_history=True)
    choice_index: Mapped[int | None] = mapped_column(Integer, active_history=True)
    score_changes: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    # The sum of the score changes.
    outcome: Mapped[int] = mapped_column(Integer, default=0, active_history=True)
    reflection: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="steps")


class ChoiceTally(Base):
    """How often one reply of one module version was chosen, and the sum of its
    outcomes: the rollup behind the all-staff module report, kept up to date in the
    same transaction as each answer (`CHOICE_TALLIES`), so the report reads a few dozen
    rows instead of every answer ever given."""

    __tablename__ = "training_choice_tallies"

    module_version_id: Mapped[int] = mapped_column(
        ForeignKey("module_versions.id", ondelete="CASCADE"), primary_key=True
    )
    node_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    choice_index: Mapped[int] = mapped_column(Integer, primary_key=True)
    taken: Mapped[int] = mapped_column(Integer, default=0)
    outcome_total: Mapped[int] = mapped_column(Integer, default=0)


class SkillScore(Base):
    """One skill's points in one completed attempt: the rollup dashboards aggregate."""

    __tablename__ = "training_skill_scores"
    __table_args__ = (
        UniqueConstraint("attempt_id", "skill"),
        # Covering: skill profiles average the points from the index alone.
        Index("ix_training_skill_scores_profile", "user_id", "skill", "points"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("training_attempts.id", ondelete="CASCADE"))
    # Counted by `SKILL_TOTALS` (active_history: an update knows what it replaces).
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), active_history=True
    )
    module_slug: Mapped[str] = mapped_column(String(120))
    skill: Mapped[str] = mapped_column(String(60), active_history=True)
    points: Mapped[int] = mapped_column(Integer, active_history=True)
    # The points on the 1-5 scale of the module version played, in tenths (42 is 4.2;
    # `training.scale`); None when every way through it scores the skill the same.
    rating_tenths: Mapped[int | None] = mapped_column(Integer, active_history=True)
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    attempt: Mapped[Attempt] = relationship()


class SkillTotal(Base):
    """Each person's points and ratings per skill over their completed attempts, and how
    many attempts: the rollup behind skill profiles (the home page, team progress, a
    coaching session), kept in the transaction that completes each attempt
    (`SKILL_TOTALS`), so a profile reads a row per skill, not a row per attempt."""

    __tablename__ = "training_skill_totals"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    skill: Mapped[str] = mapped_column(String(60), primary_key=True)
    points: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # The sum of the attempts' ratings in tenths and how many had one: a person's mean
    # rating of the skill (1-5) is rating_tenths / rated / 10.
    rating_tenths: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rated: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class PracticeRecord(Base):
    """Each person's practice of a module, kept from their attempts in the transaction
    that completes one (`coachkit.training.practice`): the day (UTC) of their first
    completion and the endings (poor 1, mixed 2, good 3) of their first three completed
    attempts in the order started, so the evidence reports read a row per person and
    module, not every attempt."""

    __tablename__ = "training_practice_records"
    __table_args__ = (
        Index("ix_training_practice_records_slug_first", "module_slug", "first_completed_on"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    module_slug: Mapped[str] = mapped_column(String(120), primary_key=True)
    first_completed_on: Mapped[date] = mapped_column(Date)
    result_1: Mapped[int | None] = mapped_column(Integer)
    result_2: Mapped[int | None] = mapped_column(Integer)
    result_3: Mapped[int | None] = mapped_column(Integer)


class Assignment(Base):
    """A module a manager asked someone to complete by a due date."""

    __tablename__ = "training_assignments"
    __table_args__ = (UniqueConstraint("user_id", "module_slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    module_slug: Mapped[str] = mapped_column(String(120))
    due_on: Mapped[date] = mapped_column(Date)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def own_attempts(user_id: int | BindParameter[int]) -> Select[tuple[Attempt]]:
    """Attempts the asking learner may see: only their own."""
    return select(Attempt).where(Attempt.user_id == user_id)


def readable_attempts(user: User) -> Select[tuple[Attempt]]:
    """Attempts whose results `user` may read: their own, and those of the people they
    manage (admins: everyone's), as on the team progress page that links to them."""
    staff = managed_members(user).with_only_columns(User.id).order_by(None)
    return select(Attempt).where(or_(Attempt.user_id == user.id, Attempt.user_id.in_(staff)))


# --- Rollups: kept by the flush events these declarations install, so whatever changes
# the rows through these models keeps them.


def _choice_share(step: Mapping[str, Any]) -> Share | None:
    if step["choice_index"] is None:  # a reflection: no reply was chosen
        return None
    module_version = select(Attempt.module_version_id).where(Attempt.id == step["attempt_id"])
    key = {
        "module_version_id": module_version.scalar_subquery(),
        "node_id": step["node_id"],
        "choice_index": step["choice_index"],
    }
    return key, {"taken": 1, "outcome_total": step["outcome"]}


CHOICE_TALLIES = CounterRollup(
    ChoiceTally,
    source=AttemptStep,
    columns=("attempt_id", "node_id", "choice_index", "outcome"),
    share=_choice_share,
    rebuild=select(
        Attempt.module_version_id,
        AttemptStep.node_id,
        AttemptStep.choice_index,
        func.count().label("taken"),
        func.coalesce(func.sum(AttemptStep.outcome), 0).label("outcome_total"),
    )
    .join(Attempt, Attempt.id == AttemptStep.attempt_id)
    .where(AttemptStep.choice_index.is_not(None))
    .group_by(Attempt.module_version_id, AttemptStep.node_id, AttemptStep.choice_index),
)

SKILL_TOTALS = CounterRollup(
    SkillTotal,
    source=SkillScore,
    columns=("user_id", "skill", "points", "rating_tenths"),
    share=lambda score: (
        {"user_id": score["user_id"], "skill": score["skill"]},
        {
            "points": score["points"],
            "attempts": 1,
            "rating_tenths": score["rating_tenths"] or 0,
            "rated": int(score["rating_tenths"] is not None),
        },
    ),
    rebuild=select(
        SkillScore.user_id,
        SkillScore.skill,
        func.sum(SkillScore.points).label("points"),
        func.count().label("attempts"),
        func.coalesce(func.sum(SkillScore.rating_tenths), 0).label("rating_tenths"),
        func.count(SkillScore.rating_tenths).label("rated"),
    ).group_by(SkillScore.user_id, SkillScore.skill),
)


# Imported last: its flush events keep `PracticeRecord` from the attempts above.
from coachkit.training import practice  # noqa: E402, F401
