"""The home page each role lands on, and /healthz for load balancers."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, current_app, render_template
from flask_login import current_user
from sqlalchemy import Integer, Select, bindparam, func, or_, select
from sqlalchemy.orm import selectinload

from coachkit.auth.access import public, signed_in
from coachkit.auth.models import Role, User
from coachkit.coaching.followups import cutoff_for
from coachkit.content.library import library
from coachkit.database import plain_rows, utcnow
from coachkit.extensions import db
from coachkit.hiring.handovers import records as handovers
from coachkit.hiring.models import Opening, visible_openings
from coachkit.hiring.rating.queue import awaiting_rating
from coachkit.hiring.status_counts import status_counts
from coachkit.home.navigation import main_nav
from coachkit.home.summary import employee_summary, manager_counts, team_cards
from coachkit.training import progress
from coachkit.training.models import Attempt, AttemptStatus, ModuleVersion, own_attempts

bp = Blueprint("home", __name__)
HOME_OPENINGS = 20


@bp.app_context_processor
def _navigation() -> dict[str, object]:
    return {"main_nav": main_nav}


@bp.route("/healthz")
@public
def healthz() -> Response:
    """Answer cheaply, without the database, sessions or templates."""
    return Response("ok\n", mimetype="text/plain", headers={"Cache-Control": "no-store"})


@bp.route("/")
@signed_in
def index() -> str:
    teams = team_cards(current_user)
    if current_user.role == Role.ADMIN:
        return render_template("home/admin.html", teams=teams, counts=_role_counts())
    if current_user.role == Role.EMPLOYEE:
        return render_template("home/employee.html", teams=teams, **_practice())
    if current_user.role == Role.RECRUITER:
        return render_template("home/recruiter.html", teams=teams, **_hiring())
    today = utcnow().date()
    interval = current_app.config["COACHING_INTERVAL_DAYS"]
    return render_template(
        "home/manager.html",
        teams=teams,
        new_starters=handovers.recent(current_user),
        counts=manager_counts(current_user, today, cutoff_for(today, interval)),
        interval=interval,
    )


RECENTLY_COMPLETED = 10


def _practice_attempts() -> Select[
    tuple[int, str, AttemptStatus, int, str | None, datetime | None, str]
]:
    """The person's unfinished attempts and their last few completed ones, as plain
    values (with the title of the version played)."""
    user_id = bindparam("user_id", type_=Integer)
    recent = (
        own_attempts(user_id)
        .where(Attempt.status == AttemptStatus.COMPLETED)
        .order_by(Attempt.completed_at.desc(), Attempt.id.desc())
        .limit(RECENTLY_COMPLETED)
        .with_only_columns(Attempt.id)
    )
    return (
        own_attempts(user_id)
        .where(or_(Attempt.status == AttemptStatus.IN_PROGRESS, Attempt.id.in_(recent)))
        .join(ModuleVersion, ModuleVersion.id == Attempt.module_version_id)
        .with_only_columns(
            Attempt.id,
            Attempt.module_slug,
            Attempt.status,
            Attempt.step_count,
            Attempt.outcome,
            Attempt.completed_at,
            ModuleVersion.title,
        )
        .order_by(Attempt.started_at.desc())
    )


_PRACTICE_ATTEMPTS = _practice_attempts()


def _practice() -> dict[str, object]:
    """The employee's training and coaching at a glance, in three queries: assignments
    with their state; unfinished attempts and the last few completed; the skill profile
    with the coaching counts."""
    attempts = plain_rows(_PRACTICE_ATTEMPTS, {"user_id": current_user.id})
    summary = employee_summary(current_user.id)
    modules = library().modules
    in_progress = tuple(
        (
            a.id,
            modules[a.module_slug].title if a.module_slug in modules else a.title,
            a.step_count + 1,
        )
        for a in attempts
        if a.status == AttemptStatus.IN_PROGRESS
    )
    completed = tuple(
        (a.id, a.title, a.outcome, a.completed_at)
        for a in sorted(
            (a for a in attempts if a.status == AttemptStatus.COMPLETED),
            key=lambda a: (a.completed_at, a.id),
            reverse=True,
        )
    )
    return {
        "assignments": progress.assignment_statuses([current_user.id], utcnow().date()),
        "in_progress": in_progress,
        "completed": completed,
        "profile": summary.profile,
        "coaching": {"waiting": summary.sessions_waiting, "actions": summary.open_actions},
        "modules": library().modules,
        "skills": library().skills,
    }


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
        "opening_counts": status_counts([opening.id for opening in opened]),
        "awaiting_rating": awaiting_rating(current_user),
        "more_openings": len(opened) == HOME_OPENINGS,
    }


def _role_counts() -> dict[str, int]:
    rows = db.session.execute(
        select(User.role, func.count(User.id)).where(User.active.is_(True)).group_by(User.role)
    )
    counts = {role.value: 0 for role in Role}
    counts.update({role.value: count for role, count in rows})
    return counts
