"""Teams and who belongs to them, with the queries that scope people by team."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Select, String, UniqueConstraint, false, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from coachkit.auth.models import Role, User, string_enum
from coachkit.database import UTCDateTime, utcnow
from coachkit.extensions import Base


class Position(enum.StrEnum):
    MANAGER = "manager"
    MEMBER = "member"


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="team", cascade="all, delete-orphan", passive_deletes=True
    )


class Membership(Base):
    __tablename__ = "team_memberships"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    position: Mapped[Position] = mapped_column(string_enum(Position))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team] = relationship(back_populates="memberships")
    user: Mapped[User] = relationship()


# Which account roles may hold each position in a team.
ELIGIBLE_ROLES = {
    Position.MANAGER: (Role.MANAGER, Role.ADMIN),
    Position.MEMBER: (Role.EMPLOYEE, Role.MANAGER),
}


def managed_team_ids(user: User) -> Select[tuple[int]]:
    """Ids of the teams `user` manages."""
    return select(Membership.team_id).where(
        Membership.user_id == user.id, Membership.position == Position.MANAGER
    )


def member_ids(team_id: int) -> Select[tuple[int]]:
    """Ids of the members of team `team_id` (its managers not included)."""
    return select(Membership.user_id).where(
        Membership.team_id == team_id, Membership.position == Position.MEMBER
    )


def visible_teams(user: User) -> Select[tuple[Team]]:
    """The teams `user` may see: all for admins, their own for managers and members."""
    statement = select(Team).order_by(Team.name)
    if user.role == Role.ADMIN:
        return statement
    if user.role == Role.MANAGER:
        return statement.where(Team.id.in_(managed_team_ids(user)))
    return statement.where(
        Team.id.in_(select(Membership.team_id).where(Membership.user_id == user.id))
    )


def managed_members(user: User) -> Select[tuple[User]]:
    """People `user` may see as staff: everyone for admins, their teams' members for
    managers, nobody for other roles."""
    statement = select(User).order_by(User.name)
    if user.role == Role.ADMIN:
        return statement
    if user.role != Role.MANAGER:
        return statement.where(false())
    return statement.where(
        User.id.in_(
            select(Membership.user_id).where(
                Membership.position == Position.MEMBER,
                Membership.team_id.in_(managed_team_ids(user)),
            )
        )
    )


def home_teams(user: User) -> Select[tuple[Team]]:
    """The teams on `user`'s home page: their visible teams; for recruiters, every team
    they hire for (the page shows recruiters names and managers, never members)."""
    if user.role == Role.RECRUITER:
        return select(Team).order_by(Team.name)
    return visible_teams(user)
