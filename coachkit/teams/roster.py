"""Who is on a team: adding and removing people under the team rules."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from coachkit.auth.models import Role, User
from coachkit.extensions import db
from coachkit.teams.models import ELIGIBLE_ROLES, Membership, Position, Team


class RosterError(ValueError):
    """A change the team rules forbid; the message is shown to the admin."""


def load_team(team_id: int) -> Team | None:
    """A team with its memberships and their users, in two queries."""
    return db.session.scalar(
        select(Team)
        .where(Team.id == team_id)
        .options(selectinload(Team.memberships).selectinload(Membership.user))
    )


def eligible_people(team: Team | None, position: Position | None = None) -> list[User]:
    """Active people who could join `team` (in `position`, or in any position)."""
    roles = (
        set(ELIGIBLE_ROLES[position])
        if position
        else {role for allowed in ELIGIBLE_ROLES.values() for role in allowed}
    )
    statement = select(User).where(User.active.is_(True), User.role.in_(roles))
    if team is not None and team.id is not None:
        statement = statement.where(
            User.id.not_in(select(Membership.user_id).where(Membership.team_id == team.id))
        )
    return list(db.session.scalars(statement.order_by(func.lower(User.name))))


def add(team: Team, user: User, position: Position) -> Membership:
    if user.role not in ELIGIBLE_ROLES[position]:
        allowed = " or ".join(role.value for role in ELIGIBLE_ROLES[position])
        raise RosterError(
            f"A team {position.value} must have the role {allowed}; "
            f"{user.name} is {user.role.value}."
        )
    if not user.active:
        raise RosterError(f"{user.name} is deactivated.")
    if any(existing.user_id == user.id for existing in team.memberships):
        raise RosterError(f"{user.name} is already on this team.")
    membership = Membership(team=team, user=user, position=position)
    db.session.add(membership)
    return membership


def remove(team: Team, membership: Membership) -> None:
    managers = [m for m in team.memberships if m.position == Position.MANAGER]
    if membership.position == Position.MANAGER and len(managers) == 1:
        raise RosterError("A team needs at least one manager: add another manager first.")
    team.memberships.remove(membership)


def role_conflicts(user: User, role: Role) -> list[str]:
    """Why `user` cannot take `role`: one line per team position the role may not hold."""
    memberships = db.session.execute(
        select(Membership.position, Team.name)
        .join(Team, Team.id == Membership.team_id)
        .where(Membership.user_id == user.id)
        .order_by(Team.name)
    )
    return [
        f"{user.name} is a {position.value} of {team_name}, which a {role.value} cannot be."
        for position, team_name in memberships
        if role not in ELIGIBLE_ROLES[position]
    ]
