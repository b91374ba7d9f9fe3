"""The one place training views look up modules, attempts and assignments for the person
asking: a record they may not see is a 404."""

from __future__ import annotations

from collections.abc import Sequence

from flask import abort
from flask_login import current_user
from sqlalchemy import Integer, bindparam, select
from sqlalchemy.orm import joinedload, selectinload
from wtforms import SelectChoice

from coachkit.auth.models import Role, User
from coachkit.content.library import library
from coachkit.content.modules import Module
from coachkit.extensions import db
from coachkit.teams.models import Membership, Position, Team, managed_members, visible_teams
from coachkit.training.models import Assignment, Attempt, AttemptStatus, own_attempts


def module_or_404(slug: str) -> Module:
    module = library().modules.get(slug)
    if module is None:
        abort(404)
    return module


# With its module version (never its source), which the player and results need.
_OWN_ATTEMPT = (
    own_attempts(bindparam("user_id", type_=Integer))
    .where(Attempt.id == bindparam("attempt_id", type_=Integer))
    .options(joinedload(Attempt.module_version, innerjoin=True))
)
_OWN_ATTEMPT_FOR_UPDATE = _OWN_ATTEMPT.with_for_update(of=Attempt)


def attempt_or_404(attempt_id: int, *, for_update: bool = False) -> Attempt:
    attempt = db.session.scalar(
        _OWN_ATTEMPT_FOR_UPDATE if for_update else _OWN_ATTEMPT,
        {"user_id": current_user.id, "attempt_id": attempt_id},
    )
    if attempt is None:
        abort(404)
    return attempt


def assign_targets(user: User) -> list[SelectChoice]:
    """What `user` may assign to: each visible team as a whole, then each person."""
    teams = db.session.scalars(
        visible_teams(user).options(selectinload(Team.memberships).selectinload(Membership.user))
    ).all()
    choices = [SelectChoice(f"team:{team.id}", f"Everyone in {team.name}") for team in teams]
    people = db.session.scalars(managed_members(user).where(User.active.is_(True))).all()
    return choices + [SelectChoice(f"user:{p.id}", p.name) for p in people]


def people_for(target: str) -> list[User]:
    """The active members an assign form's target names (`team:<id>` or `user:<id>`),
    among those the asking manager may assign to."""
    kind, _, raw_id = target.partition(":")
    if kind == "team":
        team = db.session.scalar(visible_teams(current_user).where(Team.id == int(raw_id)))
        return (
            [m.user for m in team.memberships if m.position == Position.MEMBER and m.user.active]
            if team
            else []
        )
    person = db.session.scalar(managed_members(current_user).where(User.id == int(raw_id)))
    return [person] if person else []


def team_assignment_or_404(team_id: int, assignment_id: int) -> tuple[Assignment, User]:
    """An assignment of a member of a team the asking manager may see."""
    row = db.session.execute(
        select(Assignment, User)
        .join(User, User.id == Assignment.user_id)
        .join(Membership, Membership.user_id == Assignment.user_id)
        .where(
            Assignment.id == assignment_id,
            Membership.team_id == team_id,
            Membership.position == Position.MEMBER,
            Membership.team_id.in_(
                visible_teams(current_user).with_only_columns(Team.id).order_by(None)
            ),
        )
    ).first()
    if row is None:
        abort(404)
    return row[0], row[1]


def sees_map(attempts: Sequence[Attempt]) -> bool:
    """Whether the module page shows the conversation map, given the viewer's own
    attempts at it: the map shows the strongest path, so a learner sees it once they
    have finished the module (as their results do); managers, admins and authors always."""
    return (
        current_user.role in (Role.MANAGER, Role.ADMIN)
        or current_user.is_author
        or any(attempt.status == AttemptStatus.COMPLETED for attempt in attempts)
    )
