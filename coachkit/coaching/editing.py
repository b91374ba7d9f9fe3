"""Between the session form and the domain: the choices a form offers for this
employee, a saved session as form data, and submitted form data as `SessionData`."""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy import select
from wtforms import SelectChoice

from coachkit.coaching.followups import open_actions
from coachkit.coaching.forms import BLANK_ACTION_ROWS, SessionForm
from coachkit.coaching.models import NOTE_FIELDS, ActionItem, CoachingSession, Owner
from coachkit.coaching.record import REVIEW_FIELDS, ActionRow, SessionData
from coachkit.content.library import library
from coachkit.extensions import db
from coachkit.training.models import Attempt, AttemptStatus

RECENT_ATTEMPTS = 20


def recent_attempts(employee_id: int, linked: list[int]) -> list[Attempt]:
    """The employee's latest completed attempts, plus any the session already links."""
    statement = (
        select(Attempt)
        .where(Attempt.user_id == employee_id, Attempt.status == AttemptStatus.COMPLETED)
        .order_by(Attempt.completed_at.desc())
        .limit(RECENT_ATTEMPTS)
    )
    attempts = list(db.session.scalars(statement))
    missing = set(linked) - {a.id for a in attempts}
    if missing:
        attempts += db.session.scalars(
            select(Attempt).where(Attempt.id.in_(missing), Attempt.user_id == employee_id)
        )
    return attempts


def attempt_label(attempt: Attempt) -> str:
    module = library().modules.get(attempt.module_slug)
    title = module.title if module else attempt.module_version.title
    finished = attempt.completed_at.strftime("%d %b %Y") if attempt.completed_at else ""
    return f"{title}, {finished} ({attempt.outcome or 'finished'})"


def prepare(
    form: SessionForm, employee_id: int, session: CoachingSession | None
) -> tuple[list[ActionItem], list[Attempt]]:
    """Fill the form's choices; return the carried-over actions and the attempts offered."""
    kinds = list(current_app.config["COACHING_KINDS"])
    if session is not None and session.kind not in kinds:
        kinds.append(session.kind)
    form.kind.choices = [SelectChoice("", "Choose…"), *(SelectChoice(k, k) for k in kinds)]
    carried = open_actions(employee_id) if session is None else []
    earlier: list[int] = (
        list(db.session.scalars(select(ActionItem.id).where(ActionItem.employee_id == employee_id)))
        if session is None and form.carried_done.data
        else []
    )
    form.carried_done.choices = [SelectChoice(str(i), str(i)) for i in earlier]
    linked = [e.attempt_id for e in session.evidence] if session else []
    attempts = recent_attempts(employee_id, linked)
    form.evidence.choices = [SelectChoice(str(a.id), attempt_label(a)) for a in attempts]
    while len(form.ratings) < len(library().skills):
        form.ratings.append_entry()
    existing = len(session.actions) if session else 0
    while len(form.actions) < existing + BLANK_ACTION_ROWS and len(form.actions) < 20:
        form.actions.append_entry()
    return carried, attempts


def form_data(session: CoachingSession) -> dict[str, Any]:
    """A saved session as the form's initial data (for editing)."""
    ratings = {r.skill: str(r.rating) for r in session.ratings}
    data: dict[str, Any] = {
        "held_on": session.held_on,
        "kind": session.kind,
        "next_session_on": session.next_session_on,
        "version": session.version,
        "ratings": [{"rating": ratings.get(skill, "")} for skill in library().skills],
        "ratings_private": session.is_private("ratings"),
        "reviewed_private": session.is_private("reviewed"),
        **{name: getattr(session, name) for name in REVIEW_FIELDS},
        "evidence": [e.attempt_id for e in session.evidence],
        "actions": [
            {
                "action_id": a.id,
                "text": a.text,
                "owner": a.owner.value,
                "due_on": a.due_on,
                "private": a.private,
                "done": a.done_at is not None,
            }
            for a in session.actions
        ],
    }
    for name in NOTE_FIELDS:
        data[name] = getattr(session, name)
        data[f"{name}_private"] = session.is_private(name)
    return data


def session_data(form: SessionForm, *, new: bool = False) -> SessionData:
    """The submitted form as domain data; rating rows map to skills by position. A new
    session's form shows no "done" boxes, so none are read from it."""
    skills = list(library().skills)
    ratings = {
        skills[index]: int(entry.rating.data)
        for index, entry in enumerate(form.ratings.entries[: len(skills)])
        if entry.rating.data
    }
    private = {name for name in NOTE_FIELDS if form[f"{name}_private"].data}
    if form.ratings_private.data:
        private.add("ratings")
    if form.reviewed_private.data:
        private.add("reviewed")
    return SessionData(
        held_on=form.held_on.data,
        kind=form.kind.data or "",
        notes={name: form[name].data or "" for name in NOTE_FIELDS},
        private=private,
        ratings=ratings,
        next_session_on=form.next_session_on.data,
        actions=[
            ActionRow(
                text=row.text.data or "",
                owner=Owner(row.owner.data),
                due_on=row.due_on.data,
                private=bool(row.private.data),
                done=bool(row.done.data) and not new,
                id=row.action_id.data,
            )
            for row in form.actions.entries
        ],
        evidence=set(form.evidence.data or []),
        carried_done=set(form.carried_done.data or []),
        review={name: form[name].data or "" for name in REVIEW_FIELDS},
        agenda_done=set(form.agenda_done.data or []) if new else set(),
    )


def refresh_done(form: SessionForm, session: CoachingSession) -> None:
    """After a conflict, show each action's done state as it is now, so saving again
    cannot undo an action someone ticked off meanwhile."""
    done = {action.id: action.done_at is not None for action in session.actions}
    for row in form.actions.entries:
        if row.action_id.data in done:
            row.done.data = done[row.action_id.data]
