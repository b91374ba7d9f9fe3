"""Coaching, for managers and admins: the dashboard, a person's coaching, recording and
editing sessions, trends and exports."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from coachkit.auth.access import allow
from coachkit.auth.forms import ActionForm
from coachkit.auth.models import Role, User
from coachkit.coaching import (
    agenda,
    drafts,
    editing,
    export,
    followups,
    record,
    reminders,
    scope,
    session_page,
)
from coachkit.coaching.forms import AgendaPointForm, SessionForm, SuggestedAssignForm
from coachkit.coaching.models import coachees, sessions_with
from coachkit.coaching.privacy import shared_view
from coachkit.coaching.trends import trend_page
from coachkit.content.library import library
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.notifications import scans
from coachkit.security import page_number, safe_next
from coachkit.teams.models import member_ids, visible_teams
from coachkit.training import assignments

bp = Blueprint("coaching", __name__, url_prefix="/coaching")
scans.register_with(bp, "coaching.actions_due_soon", reminders.actions_due_soon)
scans.register_with(bp, "coaching.actions_overdue", reminders.actions_overdue)
scans.register_with(bp, "coaching.next_sessions", reminders.next_sessions)
COACHES = (Role.MANAGER, Role.ADMIN)
PEOPLE_PER_PAGE = 50


@bp.route("/")
@allow(*COACHES)
def index() -> str:
    """What needs attention: overdue actions, unacknowledged sessions, people not
    coached recently; then everyone the manager coaches."""
    today = utcnow().date()
    interval = current_app.config["COACHING_INTERVAL_DAYS"]
    page = db.paginate(
        select(User)
        .where(User.id.in_(coachees(current_user)), User.active.is_(True))
        .order_by(User.name),
        page=page_number(),
        per_page=PEOPLE_PER_PAGE,
    )
    return render_template(
        "coaching/index.html",
        **followups.dashboard(current_user, today, interval),
        interval=interval,
        page=page,
        summaries=followups.summaries([person.id for person in page.items]),
        teams=db.session.scalars(visible_teams(current_user)).all(),
        today=today,
    )


@bp.route("/people/<int:user_id>")
@allow(*COACHES)
def person(user_id: int, agenda_form: AgendaPointForm | None = None) -> str:
    employee = scope.coachee_or_404(user_id, current_user)
    sessions = db.paginate(
        sessions_with(current_user, employee.id), page=page_number(), per_page=20
    )
    return render_template(
        "coaching/person.html",
        employee=employee,
        sessions=sessions,
        actions=followups.open_actions(employee.id),
        agenda_points=agenda.for_coaches(employee.id),
        agenda_form=agenda_form or AgendaPointForm(formdata=None),
        today=utcnow().date(),
        **trend_page([employee.id], request.args.get("skill")),
    )


@bp.route("/people/<int:user_id>/agenda", methods=["POST"])
@allow(*COACHES)
def add_agenda_point(user_id: int) -> ResponseReturnValue:
    """A coach's talking point for the person's next 1:1 (private: coaches only)."""
    employee = scope.coachee_or_404(user_id, current_user)
    form = AgendaPointForm()
    if not form.validate_on_submit():
        return person(employee.id, agenda_form=form), 422
    agenda.add(employee.id, current_user.id, form.text.data or "", bool(form.private.data))
    db.session.commit()
    flash(f"Added to the agenda of your next 1:1 with {employee.name}.", "success")
    return redirect(url_for("coaching.person", user_id=employee.id, _anchor="agenda"))


@bp.route("/people/<int:user_id>/sessions/new", methods=["GET", "POST"])
@allow(*COACHES)
def new(user_id: int) -> ResponseReturnValue:
    employee = scope.coachee_or_404(user_id, current_user)
    if not employee.active:
        flash(f"{employee.name}'s account is deactivated: no new sessions.", "warning")
        return redirect(url_for("coaching.person", user_id=employee.id))
    form, draft = drafts.new_session_form(current_user.id, employee.id, request.method)
    carried, _attempts = editing.prepare(form, employee.id, None)
    if form.validate_on_submit():
        key = form.submission.data
        if earlier := record.submitted(employee.id, key):  # the same form, posted again
            return redirect(url_for("coaching.show", session_id=earlier.id))
        try:
            session = record.create(
                employee, current_user, editing.session_data(form, new=True), key
            )
            drafts.discard(current_user.id, employee.id)
            db.session.commit()
        except IntegrityError:  # a simultaneous copy of this post won the race
            db.session.rollback()
            if (earlier := record.submitted(employee.id, key)) is None:
                raise
            return redirect(url_for("coaching.show", session_id=earlier.id))
        flash(f"Session with {employee.name} saved. They can now read what you shared.", "success")
        return redirect(url_for("coaching.show", session_id=session.id))
    return _new_form(employee, form, carried, draft=draft)


def _new_form(
    employee: User,
    form: SessionForm,
    carried: list,
    *,
    draft: drafts.Draft | None = None,
    draft_error: str = "",
) -> str:
    return render_template(
        "coaching/form.html",
        form=form,
        employee=employee,
        session=None,
        carried=carried,
        skills=library().skills,
        conflict=None,
        draft=draft,
        draft_error=draft_error,
        agenda_points=agenda.for_coaches(employee.id),
    )


@bp.route("/people/<int:user_id>/sessions/draft", methods=["POST"])
@allow(*COACHES)
def save_draft(user_id: int) -> ResponseReturnValue:
    """Keep the new-session form as typed, for its author alone: the form's "Save draft"
    button, or its autosave script (which sends X-Autosave and gets 204)."""
    employee = scope.coachee_or_404(user_id, current_user)
    autosave = request.headers.get("X-Autosave") == "1"
    try:
        draft = drafts.save(current_user.id, employee.id, request.form)
    except drafts.DraftTooLarge as error:
        db.session.rollback()
        if autosave:
            return {"reason": f"Not saved: {error}."}, 422
        form = SessionForm()
        carried, _attempts = editing.prepare(form, employee.id, None)
        return _new_form(employee, form, carried, draft_error=f"Draft not saved: {error}."), 422
    db.session.commit()
    if autosave:
        return "", 204
    flash(
        f"Draft saved at {draft.updated_at:%H:%M} UTC. Only you can see it; "
        f"{employee.name} cannot.",
        "success",
    )
    return redirect(url_for("coaching.new", user_id=employee.id))


@bp.route("/sessions/<int:session_id>")
@allow(*COACHES)
def show(session_id: int) -> str:
    session = scope.coached_session_or_404(session_id, current_user, *session_page.LOADED)
    return render_template("coaching/show.html", **session_page.values(session))


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@allow(*COACHES)
def edit(session_id: int) -> ResponseReturnValue:
    is_post = request.method == "POST"
    session = scope.coached_session_or_404(session_id, current_user, for_update=is_post)
    form = SessionForm() if is_post else SessionForm(data=editing.form_data(session))
    editing.prepare(form, session.employee_id, session)
    conflict = None
    if form.validate_on_submit():
        try:
            changed = record.update(
                session, editing.session_data(form), current_user, form.version.data
            )
        except record.EditConflict as error:
            db.session.rollback()
            conflict = error.saves or True
            # Saving again, knowingly, replaces the newer version with what was typed.
            form.version.data = session.version
            form.version.raw_data = [str(session.version)]
            editing.refresh_done(form, session)
        else:
            db.session.commit()
            flash("Changes saved." if changed else "Nothing changed.", "success")
            return redirect(url_for("coaching.show", session_id=session.id))
    return render_template(
        "coaching/form.html",
        form=form,
        employee=session.employee,
        session=session,
        carried=[],
        skills=library().skills,
        conflict=conflict,
    )


@bp.route("/sessions/<int:session_id>/history")
@allow(*COACHES)
def history(session_id: int) -> str:
    session = scope.coached_session_or_404(session_id, current_user)
    revisions = db.session.scalars(
        select(record.Revision)
        .where(record.Revision.session_id == session.id)
        .options(selectinload(record.Revision.editor))
        .order_by(record.Revision.id.desc())
    ).all()
    return render_template(
        "coaching/history.html",
        session=session,
        revisions=revisions,
        label=lambda key: record.rating_label(key, library().skills),
    )


@bp.route("/teams/<int:team_id>/trends")
@allow(*COACHES)
def team_trends(team_id: int) -> str:
    team = scope.team_or_404(team_id, current_user)
    return render_template(
        "coaching/team_trends.html",
        team=team,
        **trend_page(member_ids(team.id), request.args.get("skill")),
    )


@bp.route("/teams/<int:team_id>/<any(sessions, actions):what>.csv")
@allow(*COACHES)
def export_team(team_id: int, what: str) -> Response:
    """A team's sessions or action items; private parts only when asked for."""
    team = scope.team_or_404(team_id, current_user)
    include_private = request.args.get("private") == "1"
    sessions = export.team_sessions(current_user, team.id)
    views = [shared_view(s, include_private=include_private) for s in sessions]
    suffix = "-with-private" if include_private else ""
    filename = f"coaching-{what}-team-{team.id}{suffix}.csv"
    return export.csv_file(what, filename, views, include_private=include_private)


@bp.route("/actions/<int:action_id>/done", methods=["POST"])
@allow(Role.EMPLOYEE, *COACHES)
def action_done(action_id: int) -> Response:
    """Mark an action item done or open again: coaches for their people, employees for
    their own shared actions."""
    if not ActionForm().validate_on_submit():
        abort(400)
    scope.tickable_action_or_404(action_id, current_user)
    done = request.form.get("done") == "1"
    if followups.set_done([action_id], done, current_user.id):
        flash("Marked done." if done else "Marked as not done.", "success")
    db.session.commit()
    fallback = url_for(
        "my_coaching.index" if current_user.role == Role.EMPLOYEE else "coaching.index"
    )
    return redirect(safe_next(request.form.get("next")) or fallback)


@bp.route("/sessions/<int:session_id>/assign", methods=["POST"])
@allow(*COACHES)
def assign(session_id: int) -> ResponseReturnValue:
    """Assign one of the suggested modules to the session's employee."""
    session = scope.coached_session_or_404(session_id, current_user, *session_page.LOADED)
    form = SuggestedAssignForm()
    context = session_page.values(session, form)
    if form.validate_on_submit():
        employee = session.employee
        assignments.assign(form.module.data, [employee], form.due_on.data, current_user)
        db.session.commit()
        title = library().modules[form.module.data].title
        flash(f"Assigned {title} to {employee.name}.", "success")
        return redirect(url_for("coaching.show", session_id=session.id))
    return render_template("coaching/show.html", **context), 200
