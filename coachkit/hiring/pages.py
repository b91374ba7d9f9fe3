"""What the recruiter's pages show: the values each template receives, built here so
the views stay a few lines each and a page re-rendered after a bad form shows the
same as on a GET."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from flask import current_app, request
from flask_login import current_user
from sqlalchemy import Select

from coachkit import mail
from coachkit.auth.forms import ActionForm
from coachkit.content.library import library
from coachkit.extensions import db
from coachkit.hiring import comparison, invitations, openings, versions
from coachkit.hiring.forms import CandidateForm, DeleteCandidateForm, OpeningForm, UploadForm
from coachkit.hiring.models import (
    DECISIONS,
    Candidate,
    CandidateStatus,
    Opening,
    visible_candidates,
)
from coachkit.teams.models import home_teams

DEFAULT_RATERS = 2


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
                "raters_required": DEFAULT_RATERS,
                "contact_name": current_user.name,
                "contact_email": current_user.email,
                "submission": uuid4().hex,
            }
        )
    locked = opening is not None and openings.exercise_locked(opening)
    if locked:
        del form.exercise_slug
    form.fill_choices(library().exercises.values(), db.session.scalars(home_teams(current_user)))
    return form, locked


def opening_page(
    opening: Opening,
    candidate_form: CandidateForm | None = None,
    upload_form: UploadForm | None = None,
) -> dict[str, Any]:
    return {
        "opening": opening,
        "exercise": versions.exercise_or_none(opening),
        "counts": openings.status_counts([opening.id])[opening.id],
        "statuses": list(CandidateStatus),
        "candidate_form": candidate_form or CandidateForm(formdata=None),
        "upload_form": upload_form or UploadForm(formdata=None),
        "action_form": ActionForm(),
        "mail_configured": mail.configured(),
    }


def candidate_page(
    opening: Opening, candidate: Candidate, delete_form: DeleteCandidateForm | None = None
) -> dict[str, Any]:
    invitation, exercise = candidate.invitation, versions.exercise_or_none(opening)
    results = {result.skill: result.score for result in candidate.skill_results}
    order = [skill for skill in exercise.skills if skill in results] if exercise else []
    return {
        "scores": [(skill, results[skill]) for skill in order + sorted(set(results) - set(order))],
        "opening": opening,
        "candidate": candidate,
        "exercise": exercise,
        "skills": library().skills,
        "link_state": invitations.state(invitation) if invitation else None,
        "action_form": ActionForm(),
        "decisions": DECISIONS,
        "delete_form": delete_form or DeleteCandidateForm(formdata=None),
    }


def comparison_view(opening: Opening) -> tuple[comparison.View, tuple[str, ...]]:
    """The comparison the request asks for, and the skill columns."""
    exercise = versions.exercise_or_none(opening)
    skills = exercise.skills if exercise else ()
    return comparison.parse(request.args, skills, names_allowed=True), skills


def comparison_query(
    opening: Opening,
) -> tuple[comparison.View, tuple[str, ...], Select[tuple[Candidate]]]:
    """The comparison the request asks for: its view, the skill columns, the query."""
    view, skills = comparison_view(opening)
    statement = comparison.statement(visible_candidates(current_user, opening.id), view)
    return view, skills, statement
