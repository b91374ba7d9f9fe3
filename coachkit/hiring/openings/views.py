"""Openings, for recruiters and admins: the list, a new opening, editing, closing and
reopening one, and its page (with its candidates counted by status).

Candidates appear by their neutral code on lists, unless the recruiter asks to see
names; raters' pages (coachkit.hiring.rating) are blind whatever this page shows.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from coachkit.auth.access import allow
from coachkit.auth.forms import ActionForm
from coachkit.content.library import library
from coachkit.extensions import db
from coachkit.hiring import invitations, versions
from coachkit.hiring.models import HIRERS, Opening, visible_openings
from coachkit.hiring.openings import editing
from coachkit.hiring.openings.summary import opening_page
from coachkit.hiring.scope import opening_or_404
from coachkit.hiring.status_counts import status_counts
from coachkit.security import page_number

bp = Blueprint("openings", __name__, url_prefix="/hiring")
OPENINGS_PER_PAGE = 20
EDITED_MEANWHILE = (
    "Someone else saved changes to this opening after you opened this form. Your changes "
    "are below, not saved yet: check them against the opening's page, then save again to "
    "replace theirs."
)


@bp.route("/")
@allow(*HIRERS)
def index() -> str:
    """Openings, open ones first, with their candidates counted by status."""
    page = db.paginate(
        visible_openings(current_user).options(joinedload(Opening.team)),
        page=page_number(),
        per_page=OPENINGS_PER_PAGE,
    )
    counts = status_counts([opening.id for opening in page.items])
    exercises = library().exercises
    cards = []
    for opening in page.items:
        exercise = exercises.get(opening.exercise_slug)
        cards.append((opening, exercise.title if exercise else None, counts[opening.id]))
    return render_template("hiring/openings/index.html", page=page, cards=cards)


@bp.route("/openings/new", methods=["GET", "POST"])
@allow(*HIRERS)
def new() -> ResponseReturnValue:
    form, _locked = editing.opening_form(None)
    if form.validate_on_submit():
        key = form.submission.data or None
        if earlier := editing.submitted(current_user, key):  # the same form, posted again
            return redirect(url_for(".show", opening_id=earlier.id))
        try:
            opening = editing.save(Opening(submission_key=key), form.values(), by=current_user)
            db.session.commit()
        except IntegrityError:  # a simultaneous copy of this post won the race
            db.session.rollback()
            if (earlier := editing.submitted(current_user, key)) is None:
                raise
            return redirect(url_for(".show", opening_id=earlier.id))
        flash(f"Opening “{opening.title}” created. Now add its candidates.", "success")
        return redirect(url_for(".show", opening_id=opening.id))
    return render_template("hiring/openings/form.html", form=form, opening=None, locked=False)


@bp.route("/openings/<int:opening_id>/edit", methods=["GET", "POST"])
@allow(*HIRERS)
def edit(opening_id: int) -> ResponseReturnValue:
    opening = opening_or_404(opening_id)
    form, locked = editing.opening_form(opening)
    if form.validate_on_submit():
        try:
            if form.version.data not in (None, opening.version):
                raise StaleDataError("opened before someone else's save")
            editing.save(opening, form.values())
            db.session.commit()
        except StaleDataError:
            # Someone saved since this form was opened (or at the same moment): keep
            # what was typed, say so, and let a second save replace theirs knowingly.
            db.session.rollback()
            form.version.data, form.version.raw_data = opening.version, [str(opening.version)]
            flash(EDITED_MEANWHILE, "error")
        else:
            flash("Changes saved.", "success")
            return redirect(url_for(".show", opening_id=opening.id))
    return render_template(
        "hiring/openings/form.html",
        form=form,
        opening=opening,
        locked=locked,
        exercise=versions.exercise_or_none(opening),
    )


@bp.route("/openings/<int:opening_id>/close", methods=["POST"])
@allow(*HIRERS)
def close(opening_id: int) -> Response:
    """Close an opening: no new candidates or invites; sent links keep working."""
    opening = opening_or_404(opening_id)
    if ActionForm().validate_on_submit() and editing.close(opening):
        db.session.commit()
        flash("Opening closed. Links already sent keep working until they expire.", "success")
    return redirect(url_for(".show", opening_id=opening.id))


@bp.route("/openings/<int:opening_id>/reopen", methods=["POST"])
@allow(*HIRERS)
def reopen(opening_id: int) -> Response:
    opening = opening_or_404(opening_id)
    if ActionForm().validate_on_submit() and editing.reopen(opening):
        db.session.commit()
        flash("Opening reopened: you can add and invite candidates again.", "success")
    return redirect(url_for(".show", opening_id=opening.id))


@bp.route("/openings/<int:opening_id>")
@allow(*HIRERS)
def show(opening_id: int) -> str:
    """The opening; after "Invite all", how far its e-mails have got (`batch`)."""
    opening = opening_or_404(opening_id)
    sending = invitations.batch_progress(request.args.get("batch", ""))
    return render_template("hiring/openings/show.html", **opening_page(opening, sending=sending))
