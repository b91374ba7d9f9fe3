"""Coaching records: sessions, their skill ratings, action items, evidence and history."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    Text,
    UniqueConstraint,
    and_,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, selectinload

from coachkit.auth.models import Role, User, string_enum
from coachkit.database import CounterRollup, UTCDateTime, utcnow
from coachkit.extensions import Base
from coachkit.teams.models import Membership, Position, managed_members
from coachkit.training.models import Attempt


class Owner(enum.StrEnum):
    EMPLOYEE = "employee"
    MANAGER = "manager"


# Parts of a session a manager may keep private. Everything else (date, kind, next
# session, evidence) is always shared with the employee.
NOTE_FIELDS = ("went_well", "to_improve", "goal", "reality", "options", "way_forward")
PRIVATE_CAPABLE = ("ratings", *NOTE_FIELDS, "reviewed")


class CoachingSession(Base):
    __tablename__ = "coaching_sessions"
    __table_args__ = (
        Index("ix_coaching_sessions_employee_id_held_on", "employee_id", "held_on"),
        # Sessions waiting for acknowledgement, per person (dashboard, employee home).
        Index(
            "ix_coaching_sessions_employee_id_unacknowledged",
            "employee_id",
            "acknowledged_at",
            "held_on",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    coach_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    held_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(60))
    went_well: Mapped[str] = mapped_column(Text, default="")
    to_improve: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    reality: Mapped[str] = mapped_column(Text, default="")
    options: Mapped[str] = mapped_column(Text, default="")
    way_forward: Mapped[str] = mapped_column(Text, default="")
    # What a call or ticket review looked at: its reference, a link, an excerpt.
    review_reference: Mapped[str] = mapped_column(String(120), default="", server_default="")
    review_link: Mapped[str] = mapped_column(String(500), default="", server_default="")
    review_excerpt: Mapped[str] = mapped_column(Text, default="", server_default="")
    private_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    next_session_on: Mapped[date | None] = mapped_column(Date)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    employee_comment: Mapped[str] = mapped_column(Text, default="")
    # The new-session form's one-time key: a double-submitted form records one session.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Optimistic locking: an UPDATE matches only the version the editor started from.
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    employee: Mapped[User] = relationship(foreign_keys=[employee_id])
    coach: Mapped[User | None] = relationship(foreign_keys=[coach_id])
    ratings: Mapped[list[Rating]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Rating.id",
    )
    actions: Mapped[list[ActionItem]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ActionItem.id",
    )
    evidence: Mapped[list[Evidence]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="Evidence.id"
    )

    __mapper_args__ = {"version_id_col": version}

    def is_private(self, field: str) -> bool:
        return field in (self.private_fields or [])


class Draft(Base):
    """A new-session form as its author left it, one per author and employee. Only its
    author reads it (`drafts`); no employee page or export does."""

    __tablename__ = "coaching_drafts"
    __table_args__ = (UniqueConstraint("author_id", "employee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # Indexed for deleting an employee's account (the unique key leads with the author).
    employee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    fields: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AgendaPoint(Base):
    """A talking point for someone's next 1:1, added before it by them or a coach; open
    until a session marks it discussed. Who sees it is `agenda`'s rule."""

    __tablename__ = "coaching_agenda_points"
    __table_args__ = (
        Index("ix_coaching_agenda_points_employee_id_open", "employee_id", "discussed_in_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(String(500))
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    discussed_in_id: Mapped[int | None] = mapped_column(
        ForeignKey("coaching_sessions.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship(foreign_keys=[author_id])


class Rating(Base):
    """One skill rated 1-5 in a session; employee and date are copied for trend queries,
    the coach for each coach's totals (`COACH_SKILL_TOTALS`)."""

    __tablename__ = "coaching_ratings"
    __table_args__ = (
        UniqueConstraint("session_id", "skill"),
        Index("ix_coaching_ratings_employee_id_skill", "employee_id", "skill", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("coaching_sessions.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    held_on: Mapped[date] = mapped_column(Date)
    # Counted by `COACH_SKILL_TOTALS` (active_history: an update knows what it replaces).
    coach_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True, active_history=True
    )
    skill: Mapped[str] = mapped_column(String(60), active_history=True)
    rating: Mapped[int] = mapped_column(Integer, active_history=True)
    private: Mapped[bool] = mapped_column(Boolean, default=False)

    session: Mapped[CoachingSession] = relationship(back_populates="ratings")


class CoachSkillTotal(Base):
    """Each coach's coaching ratings of a skill: how many, their sum and their sum of
    squares, kept with every rating (`COACH_SKILL_TOTALS`), so a coach's lean against
    their peers (calibration) reads a row per coach and skill, not every rating."""

    __tablename__ = "coaching_coach_skill_totals"

    coach_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    skill: Mapped[str] = mapped_column(String(60), primary_key=True)
    ratings: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    squares: Mapped[int] = mapped_column(Integer, default=0)


class ActionItem(Base):
    __tablename__ = "coaching_action_items"
    __table_args__ = (Index("ix_coaching_action_items_employee_id_done", "employee_id", "done_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("coaching_sessions.id", ondelete="CASCADE"), index=True
    )
    employee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(500))
    owner: Mapped[Owner] = mapped_column(string_enum(Owner), default=Owner.EMPLOYEE)
    due_on: Mapped[date | None] = mapped_column(Date)
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[CoachingSession] = relationship(back_populates="actions")

    def overdue(self, today: date) -> bool:
        return self.done_at is None and self.due_on is not None and self.due_on < today


class Evidence(Base):
    """A training attempt of the employee's that a session points to."""

    __tablename__ = "coaching_evidence"
    __table_args__ = (UniqueConstraint("session_id", "attempt_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("coaching_sessions.id", ondelete="CASCADE"))
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("training_attempts.id", ondelete="CASCADE"), index=True
    )

    attempt: Mapped[Attempt] = relationship()


class Revision(Base):
    """Who changed what in a session, and when: one row per save."""

    __tablename__ = "coaching_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("coaching_sessions.id", ondelete="CASCADE"), index=True
    )
    editor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)  # the session's, after the save
    # [{"field": label, "before": text, "after": text}, ...]; empty for the first save.
    changes: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)

    editor: Mapped[User | None] = relationship()


# Who may read which sessions. Every coaching view reads through these.

# Who may use My coaching, their own sessions: managers can be members of another team.
COACHED = (Role.EMPLOYEE, Role.MANAGER)


def coachees(user: User) -> Select[tuple[int]]:
    """Ids of the people `user` may coach: members of the teams they manage (of every
    team, for admins)."""
    if user.role == Role.ADMIN:
        return select(Membership.user_id).where(
            Membership.position == Position.MEMBER, Membership.user_id != user.id
        )
    return managed_members(user).with_only_columns(User.id).order_by(None)


def coached_sessions(user: User) -> Select[tuple[CoachingSession]]:
    """Sessions `user` may read in full, private parts included, as a coach."""
    # Nobody reads private notes about themselves, not even an admin who was coached.
    statement = select(CoachingSession).where(CoachingSession.employee_id != user.id)
    if user.role == Role.ADMIN:
        return statement
    return statement.where(CoachingSession.employee_id.in_(coachees(user)))


def sessions_with(coach: User, employee_id: int) -> Select[tuple[CoachingSession]]:
    """The sessions of one person that `coach` may read, newest first, with their coach."""
    return (
        coached_sessions(coach)
        .where(CoachingSession.employee_id == employee_id)
        .options(selectinload(CoachingSession.coach))
        .order_by(CoachingSession.held_on.desc(), CoachingSession.id.desc())
    )


def own_sessions(user: User) -> Select[tuple[CoachingSession]]:
    """Sessions about `user`; views show them only through `privacy.shared_view`."""
    return select(CoachingSession).where(CoachingSession.employee_id == user.id)


def tickable_actions(user: User) -> Select[tuple[int]]:
    """Ids of the action items `user` may mark done or open again: their own shared
    actions that are theirs to do and, as a coach, the actions of sessions they coach."""
    allowed = and_(
        ActionItem.employee_id == user.id,
        ActionItem.private.is_(False),
        ActionItem.owner == Owner.EMPLOYEE,
    )
    if user.role in (Role.MANAGER, Role.ADMIN):
        coached = coached_sessions(user).with_only_columns(CoachingSession.id)
        allowed = or_(allowed, ActionItem.session_id.in_(coached))
    return select(ActionItem.id).where(allowed)


# --- Rollups: kept by the flush events this declaration installs (`coachkit.rollups`).

COACH_SKILL_TOTALS = CounterRollup(
    CoachSkillTotal,
    source=Rating,
    columns=("coach_id", "skill", "rating"),
    share=lambda row: (
        None
        if row["coach_id"] is None  # the coach's account was deleted
        else (
            {"coach_id": row["coach_id"], "skill": row["skill"]},
            {"ratings": 1, "total": row["rating"], "squares": row["rating"] * row["rating"]},
        )
    ),
    rebuild=select(
        Rating.coach_id,
        Rating.skill,
        func.count().label("ratings"),
        func.sum(Rating.rating).label("total"),
        func.sum(Rating.rating * Rating.rating).label("squares"),
    )
    .where(Rating.coach_id.is_not(None))
    .group_by(Rating.coach_id, Rating.skill),
)
