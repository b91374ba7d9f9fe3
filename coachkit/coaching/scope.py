"""The one place coaching views look up people, sessions, teams and action items for
the person asking: a record they may not coach (or tick) is a 404, never its contents."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from sqlalchemy.sql.base import ExecutableOption

from coachkit.auth.models import User
from coachkit.coaching.models import (
    ActionItem,
    CoachingSession,
    coached_sessions,
    coachees,
    tickable_actions,
)
from coachkit.extensions import db
from coachkit.teams.models import Team, visible_teams


def coachee_or_404(user_id: int, viewer: User) -> User:
    """Someone `viewer` coaches."""
    person = db.session.scalar(
        select(User).where(User.id == user_id, User.id.in_(coachees(viewer)))
    )
    if person is None:
        abort(404)
    return person


def coached_session_or_404(
    session_id: int, viewer: User, *options: ExecutableOption, for_update: bool = False
) -> CoachingSession:
    """A session `viewer` may read in full as its coach (locked, with `for_update`)."""
    statement = coached_sessions(viewer).where(CoachingSession.id == session_id).options(*options)
    if for_update:
        statement = statement.with_for_update()
    session = db.session.scalar(statement)
    if session is None:
        abort(404)
    return session


def team_or_404(team_id: int, viewer: User) -> Team:
    team = db.session.scalar(visible_teams(viewer).where(Team.id == team_id))
    if team is None:
        abort(404)
    return team


def tickable_action_or_404(action_id: int, viewer: User) -> int:
    """The id of an action item `viewer` may mark done or open again."""
    found = db.session.scalar(
        select(ActionItem.id).where(
            ActionItem.id == action_id, ActionItem.id.in_(tickable_actions(viewer))
        )
    )
    if found is None:
        abort(404)
    return found
