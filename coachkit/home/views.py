"""The home page each role lands on, and /healthz for load balancers."""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from coachkit.auth.access import public, signed_in
from coachkit.auth.models import Role, User
from coachkit.coaching.models import ActionItem, CoachingSession
from coachkit.content.library import library
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring import handovers, openings
from coachkit.hiring.models import CandidateStatus, Opening, visible_openings
from coachkit.home.navigation import current_item, nav_items
from coachkit.teams.models import Membership, Team, home_teams
from coachkit.training import progress
from coachkit.training.models import Attempt, AttemptStatus, own_attempts

bp = Blueprint("home", __name__)
HOME_OPENINGS = 20


@bp.app_context_processor
def _navigation() -> dict[str, object]:
    return {"nav_items": nav_items, "current_nav_item": current_item}


@bp.route("/healthz")
@public
def healthz() -> Response:
    """Answer cheaply, without the database, sessions or templates."""
    return Response("ok\n", mimetype="text/plain", headers={"Cache-Control": "no-store"})


@bp.route("/")
@signed_in
def index() -> str:
    teams = db.session.scalars(
        home_teams(current_user).options(
            selectinload(Team.memberships).selectinload(Membership.user)
        )
    ).all()
    if current_user.role == Role.ADMIN:
        return render_template("home/admin.html", teams=teams, counts=_role_counts())
    if current_user.role == Role.EMPLOYEE:
        return render_template(
            "home/employee.html", teams=teams, coaching=_coaching(), **_practice()
        )
    if current_user.role == Role.RECRUITER:
        return render_template("home/recruiter.html", teams=teams, **_hiring())
    return render_template(
        "home/manager.html", teams=teams, new_starters=handovers.recent(current_user)
    )


def _practice() -> dict[str, object]:
    """The employee's training: assignments, attempts and skill profile (3 queries)."""
    attempts = db.session.scalars(
        own_attempts(current_user.id)
        .options(joinedload(Attempt.module_version))
        .order_by(Attempt.started_at.desc())
    ).all()
    return {
        "assignments": progress.assignment_statuses([current_user.id], utcnow().date()),
        "in_progress": [a for a in attempts if a.status == AttemptStatus.IN_PROGRESS],
        "completed": [a for a in attempts if a.status == AttemptStatus.COMPLETED][:10],
        "profile": progress.skill_profiles([current_user.id]).get(current_user.id, {}),
        "modules": library().modules,
        "skills": library().skills,
    }


def _coaching() -> dict[str, int]:
    """How many of my sessions wait for acknowledgement, and my open shared actions."""
    waiting = (
        select(func.count(CoachingSession.id))
        .where(
            CoachingSession.employee_id == current_user.id,
            CoachingSession.acknowledged_at.is_(None),
        )
        .scalar_subquery()
    )
    actions = (
        select(func.count(ActionItem.id))
        .where(
            ActionItem.employee_id == current_user.id,
            ActionItem.private.is_(False),
            ActionItem.done_at.is_(None),
        )
        .scalar_subquery()
    )
    row = db.session.execute(select(waiting, actions)).one()
    return {"waiting": row[0], "actions": row[1]}


def _hiring() -> dict[str, object]:
    """The recruiter's open openings with candidates per status, and how many handed-in
    candidates wait for their rating (3 queries)."""
    opened = db.session.scalars(
        visible_openings(current_user)
        .where(Opening.closed_at.is_(None))
        .options(selectinload(Opening.team))
        .limit(HOME_OPENINGS)
    ).all()
    return {
        "openings": opened,
        "opening_counts": openings.status_counts([opening.id for opening in opened]),
        "awaiting_rating": openings.awaiting_rating(current_user),
        "more_openings": len(opened) == HOME_OPENINGS,
        "statuses": list(CandidateStatus),
    }


def _role_counts() -> dict[str, int]:
    rows = db.session.execute(
        select(User.role, func.count(User.id)).where(User.active.is_(True)).group_by(User.role)
    )
    counts = {role.value: 0 for role in Role}
    counts.update({role.value: count for role, count in rows})
    return counts
