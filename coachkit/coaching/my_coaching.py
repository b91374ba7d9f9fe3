"""My coaching, for the person coached: the shared parts of their sessions, their
action items, acknowledgement with a comment, and an export of what they may see."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from coachkit.auth.access import allow
from coachkit.coaching import agenda, export, followups
from coachkit.coaching.forms import AcknowledgeForm, AgendaPointForm
from coachkit.coaching.models import COACHED, CoachingSession, own_sessions
from coachkit.coaching.privacy import (
    LISTED,
    SharedSession,
    session_listing,
    shared_view,
    shown_action,
)
from coachkit.content.library import library
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.security import page_number
from coachkit.training.models import Attempt, own_attempts

bp = Blueprint("my_coaching", __name__, url_prefix="/coaching/mine")

# The employee is the signed-in user, already loaded: no eager load needed.
_EAGER = (
    joinedload(CoachingSession.coach),
    selectinload(CoachingSession.ratings),
    selectinload(CoachingSession.actions),
    selectinload(CoachingSession.evidence),
)


def _view_or_404(session_id: int) -> SharedSession:
    session = db.session.scalar(
        own_sessions(current_user).where(CoachingSession.id == session_id).options(*_EAGER)
    )
    if session is None:
        abort(404)
    return shared_view(session)


@bp.route("/")
@allow(*COACHED)
def index(agenda_form: AgendaPointForm | None = None) -> str:
    page = db.paginate(
        own_sessions(current_user)
        .options(*LISTED)
        .order_by(CoachingSession.held_on.desc(), CoachingSession.id.desc()),
        page=page_number(),
        per_page=20,
    )
    mine = followups.open_actions(current_user.id, with_sessions=False)
    actions = [shown_action(a) for a in mine if not a.private]
    views = [session_listing(session) for session in page.items]
    return render_template(
        "coaching/my_coaching/index.html",
        views=views,
        page=page,
        actions=actions,
        agenda_points=agenda.for_employee(current_user.id),
        agenda_form=agenda_form or AgendaPointForm(formdata=None),
        today=utcnow().date(),
    )


@bp.route("/agenda", methods=["POST"])
@allow(*COACHED)
def add_agenda_point() -> ResponseReturnValue:
    """The employee's talking point for their next 1:1 (private: only for them)."""
    form = AgendaPointForm()
    if not form.validate_on_submit():
        return index(agenda_form=form), 422
    agenda.add(current_user.id, current_user.id, form.text.data or "", bool(form.private.data))
    db.session.commit()
    flash("Added to the agenda of your next 1:1.", "success")
    return redirect(url_for("my_coaching.index", _anchor="agenda"))


@bp.route("/<int:session_id>")
@allow(*COACHED)
def show(session_id: int) -> str:
    view = _view_or_404(session_id)
    return _render(view, AcknowledgeForm())


def _render(view: SharedSession, form: AcknowledgeForm) -> str:
    attempts = (
        db.session.scalars(
            own_attempts(current_user.id).where(Attempt.id.in_(view.attempt_ids))
        ).all()
        if view.attempt_ids
        else []
    )
    return render_template(
        "coaching/my_coaching/show.html",
        view=view,
        form=form,
        attempts=attempts,
        skills=library().skills,
        modules=library().modules,
        today=utcnow().date(),
    )


@bp.route("/<int:session_id>/acknowledge", methods=["POST"])
@allow(*COACHED)
def acknowledge(session_id: int) -> Response | str:
    """Acknowledge a session once, optionally with a comment for the manager."""
    view = _view_or_404(session_id)
    form = AcknowledgeForm()
    if not form.validate_on_submit():
        return _render(view, form)
    if followups.acknowledge(view.id, current_user.id, form.comment.data or ""):
        flash("Thank you. Your manager can see that you have read this session.", "success")
    else:
        flash("You had already acknowledged this session.", "info")
    db.session.commit()
    return redirect(url_for("my_coaching.show", session_id=view.id))


@bp.route("/<any(sessions, actions):what>.csv")
@allow(*COACHED)
def export_mine(what: str) -> Response:
    """Everything shared with me, as CSV; never the private parts."""
    sessions = db.session.scalars(
        own_sessions(current_user).options(*_EAGER).order_by(CoachingSession.held_on)
    ).all()
    views = [shared_view(s) for s in sessions]
    return export.csv_file(what, f"my-coaching-{what}.csv", views, include_private=False)
