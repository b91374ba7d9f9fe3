"""Taking a previewed exercise through the candidate's own pages (hiring/screening/),
its answers kept in the preview alone: an author's uploaded file, or the exercise a
recruiter's opening pins, seen before anyone is invited."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import delete
from werkzeug.wrappers import Response

from coachkit.auth.access import allow, signed_in
from coachkit.auth.forms import ActionForm
from coachkit.authoring import exercise_play
from coachkit.authoring.models import Preview, PreviewKind, own_preview_or_404
from coachkit.content.exercises import Exercise, Item
from coachkit.extensions import db
from coachkit.hiring import versions
from coachkit.hiring.models import HIRERS
from coachkit.hiring.scope import opening_or_404
from coachkit.hiring.screening import timing
from coachkit.hiring.screening.answering import UNTIMED_LINK_MINIMUM
from coachkit.hiring.screening.forms import ConsentForm, OpenForm, item_form
from coachkit.organisation import brand

bp = Blueprint("exercise", __name__, url_prefix="/previews/<int:preview_id>/exercise")
openings_bp = Blueprint("opening_preview", __name__)


@bp.context_processor
def candidate_page() -> dict[str, object]:
    """What the candidate's pages need, as their own blueprint gives it: the employer's
    brand and the wording of times."""
    return {
        "brand": brand.current(),
        "relative_time": timing.relative,
        "minutes_left": timing.minutes_left,
    }


def _playable(preview_id: int) -> tuple[Preview, Exercise]:
    preview = own_preview_or_404(preview_id, PreviewKind.EXERCISE)
    exercise = exercise_play.exercise_of(preview)
    if exercise is None:
        abort(404)  # a file with errors cannot be taken; its page says why
    return preview, exercise


def _item_or_404(exercise: Exercise, position: int) -> Item:
    if not 1 <= position <= len(exercise.items):
        abort(404)
    return exercise.items[position - 1]


@bp.route("/", methods=["GET", "POST"])
@signed_in
def welcome(preview_id: int) -> ResponseReturnValue:
    """The candidate's welcome page; consent starts (or starts again) the preview."""
    preview, exercise = _playable(preview_id)
    form = ConsentForm()
    if form.validate_on_submit():
        exercise_play.begin(preview)
        db.session.commit()
        return redirect(url_for(".item", preview_id=preview.id, position=1))
    return render_template(
        "authoring/exercise_welcome.html",
        preview=preview,
        candidate={"started_at": None},
        opening=exercise_play.opening_of(preview, exercise),
        invitation=None,
        exercise=exercise,
        form=form,
        retention_days=current_app.config["HIRING_RETENTION_DAYS"],
        link_minimum_hours=int(UNTIMED_LINK_MINIMUM.total_seconds() // 3600),
    )


def _move(preview: Preview, exercise: Exercise, position: int) -> Response:
    db.session.commit()
    if position > len(exercise.items):
        return redirect(url_for(".review", preview_id=preview.id))
    return redirect(url_for(".item", preview_id=preview.id, position=max(position, 1)))


@bp.route("/items/<int:position>", methods=["GET", "POST"])
@signed_in
def item(preview_id: int, position: int) -> ResponseReturnValue:
    """One situation per page, saved into the preview as the candidate's page saves."""
    preview, exercise = _playable(preview_id)
    current = _item_or_404(exercise, position)
    saved = None if request.method == "POST" else exercise_play.answers(preview).get(current.id)
    form = item_form(current, saved)
    back = request.form.get("action") == "back"
    if back and isinstance(form, OpenForm):
        form.enforce_word_limit = False
    if form.validate_on_submit():
        if (value := form.value()) is not None:
            exercise_play.save(preview, current, value)
        return _move(preview, exercise, position + (-1 if back else 1))
    if back and not isinstance(form, OpenForm):
        flash(
            f"Your answer to situation {position} was not finished, so it was not kept.", "warning"
        )
        return _move(preview, exercise, position - 1)
    return render_template(
        "authoring/exercise_item.html",
        preview=preview,
        opening=exercise_play.opening_of(preview, exercise),
        exercise=exercise,
        item=current,
        position=position,
        form=form,
        seconds_left=None,
    ), (422 if form.errors else 200)


@bp.route("/review")
@signed_in
def review(preview_id: int) -> str:
    preview, exercise = _playable(preview_id)
    answers = exercise_play.answers(preview)
    rows = [(i, exercise_play.is_answered(i, answers.get(i.id))) for i in exercise.items]
    return render_template(
        "authoring/exercise_review.html",
        preview=preview,
        opening=exercise_play.opening_of(preview, exercise),
        rows=rows,
        missing=sum(1 for _, answered in rows if not answered),
        form=ActionForm(),
        seconds_left=None,
    )


@bp.route("/submit", methods=["POST"])
@signed_in
def submit(preview_id: int) -> Response:
    preview, _exercise = _playable(preview_id)
    if ActionForm().validate_on_submit():
        exercise_play.hand_in(preview)
        db.session.commit()
        return redirect(url_for(".done", preview_id=preview.id))
    return redirect(url_for(".review", preview_id=preview.id))


@bp.route("/done")
@signed_in
def done(preview_id: int) -> str:
    preview, exercise = _playable(preview_id)
    answers = exercise_play.answers(preview)
    return render_template(
        "authoring/exercise_done.html",
        preview=preview,
        opening=exercise_play.opening_of(preview, exercise),
        answered=sum(exercise_play.is_answered(i, answers.get(i.id)) for i in exercise.items),
        count=len(exercise.items),
    )


@openings_bp.route("/openings/<int:opening_id>/preview", methods=["POST"])
@allow(*HIRERS)
def opening(opening_id: int) -> Response:
    """Take the opening's exercise as its candidates will, before inviting anyone."""
    found = opening_or_404(opening_id)
    back = redirect(url_for("hiring.openings.show", opening_id=found.id))
    if not ActionForm().validate_on_submit():
        return back
    exercise = versions.exercise_or_none(found)
    if exercise is None:
        flash(
            "This opening's exercise is no longer in the library, so it cannot be previewed.",
            "error",
        )
        return back
    db.session.execute(  # one preview per person and opening: start afresh
        delete(Preview).where(Preview.owner_id == current_user.id, Preview.opening_id == found.id)
    )
    preview = Preview(
        owner_id=current_user.id,
        kind=PreviewKind.EXERCISE,
        file_name=exercise.slug,
        source="",
        progress={},
        opening_id=found.id,
    )
    preview.touch()
    db.session.add(preview)
    db.session.commit()
    return redirect(url_for("authoring.exercise.welcome", preview_id=preview.id))
