"""Openings: creating and editing one (the form, with the exercise locked once a
candidate has started), closing and reopening it."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from flask import current_app, request
from flask_login import current_user
from sqlalchemy import exists, select

from coachkit.auth.models import User
from coachkit.content.library import library
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring import results, versions
from coachkit.hiring.models import Candidate, Opening, visible_openings
from coachkit.hiring.openings.forms import OpeningForm
from coachkit.teams.models import home_teams

DEFAULT_RATERS = 2
# The fields of the opening form that map one to one onto the model.
EDITABLE = (
    "title",
    "description",
    "exercise_slug",
    "team_id",
    "time_limit_minutes",
    "invite_days",
    "remind_before_expiry",
    "raters_required",
    "contact_name",
    "contact_email",
)


def opening_form(opening: Opening | None) -> tuple[OpeningForm, bool]:
    """The opening form, and whether the exercise is locked: once a candidate has
    started, the form leaves the exercise out (and so cannot change it)."""
    if request.method == "POST":
        form = OpeningForm()
    elif opening is not None:
        form = OpeningForm(obj=opening, team_id=str(opening.team_id or ""))
    else:
        form = OpeningForm(
            data={
                "invite_days": current_app.config["HIRING_INVITE_DAYS"],
                "remind_before_expiry": True,
                "raters_required": DEFAULT_RATERS,
                "contact_name": current_user.name,
                "contact_email": current_user.email,
                "submission": uuid4().hex,
            }
        )
    locked = opening is not None and exercise_locked(opening)
    if locked:
        del form.exercise_slug
    form.fill_choices(library().exercises.values(), db.session.scalars(home_teams(current_user)))
    return form, locked


def save(opening: Opening, values: dict[str, Any], by: User | None = None) -> Opening:
    """Copy the form's `values` onto `opening` (new or existing) and flush. An exercise
    in `values` pins the opening to that exercise's current version."""
    required_before = opening.raters_required
    for name in EDITABLE:
        if name in values:
            setattr(opening, name, values[name])
    if "exercise_slug" in values:  # chosen or confirmed while no candidate has started
        versions.pin(opening, library().exercises[opening.exercise_slug])
    if opening.id is None:
        opening.created_by_id = by.id if by is not None else None
        db.session.add(opening)
    db.session.flush()
    if required_before is not None and opening.raters_required != required_before:
        results.recheck_opening(opening, versions.exercise_of(opening))
    return opening


def submitted(user: User, submission_key: str | None) -> Opening | None:
    """The opening an earlier post of the same new-opening form already created."""
    if not submission_key:
        return None
    return db.session.scalar(visible_openings(user).where(Opening.submission_key == submission_key))


def exercise_locked(opening: Opening) -> bool:
    """Whether a candidate has started the exercise: from then on it stays, so every
    candidate of the opening is compared on the same items."""
    if opening.id is None:
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Candidate.opening_id == opening.id, Candidate.started_at.is_not(None)
                )
            )
        )
    )


def close(opening: Opening) -> bool:
    """Close an open opening; False when it was closed already."""
    if opening.closed_at is not None:
        return False
    opening.closed_at = utcnow()
    db.session.flush()
    return True


def reopen(opening: Opening) -> bool:
    """Reopen a closed opening; False when it was open already."""
    if opening.closed_at is None:
        return False
    opening.closed_at = None
    db.session.flush()
    return True
