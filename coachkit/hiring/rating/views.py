"""Rating written answers, blind: recruiters and admins score open answers against the
item's rubric, seeing each candidate only by their neutral code: the openings with
answers to rate, an opening's queue of answers, and the page that rates one."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from coachkit.auth.access import allow
from coachkit.content.library import library
from coachkit.extensions import db
from coachkit.hiring.models import HIRERS, visible_openings
from coachkit.hiring.rating import blinding, scoring
from coachkit.hiring.rating.forms import field_name, rating_form
from coachkit.hiring.rating.queue import QueuePage, next_waiting, overview
from coachkit.hiring.scope import opening_or_404
from coachkit.security import page_number

bp = Blueprint("rating", __name__, url_prefix="/hiring/rating")
PER_PAGE = 50


@bp.route("/")
@allow(*HIRERS)
def index() -> str:
    """Open openings, and closed ones whose answers still wait for me, with how many
    written answers wait for my rating (closing an opening stops invitations, not
    rating)."""
    openings = db.session.scalars(visible_openings(current_user)).all()
    progress = [
        row for row in overview(openings, current_user) if row.opening.is_open or row.waiting
    ]
    return render_template("hiring/rating/index.html", progress=progress)


@bp.route("/openings/<int:opening_id>")
@allow(*HIRERS)
def queue(opening_id: int) -> str:
    """The opening's written answers, those waiting for me first."""
    opening = opening_or_404(opening_id)
    page = QueuePage(opening, current_user, page_number(), PER_PAGE)
    return render_template("hiring/rating/queue.html", opening=opening, page=page)


@bp.route(
    "/openings/<int:opening_id>/candidates/<int:candidate_id>/items/<item_id>",
    methods=["GET", "POST"],
)
@allow(*HIRERS)
def rate(opening_id: int, candidate_id: int, item_id: str) -> ResponseReturnValue:
    """Score one written answer; the other raters' scores show once mine are saved."""
    opening = opening_or_404(opening_id)
    answer = blinding.blind_answer(opening, candidate_id, item_id)
    if answer is None:
        abort(404)
    saved = scoring.scores(candidate_id, answer.item)
    mine = {s.skill: s.rating for s in saved if s.rater_id == current_user.id}
    # On a post, only what was sent counts: a skill left out is an error, not my old score.
    form = rating_form(answer.item, None if request.method == "POST" else mine)
    if form.validate_on_submit():
        ratings = {skill: int(form[field_name(skill)].data) for skill in answer.item.rubric}
        scoring.record(opening, answer, current_user, ratings)
        db.session.commit()
        following = next_waiting(opening, current_user)
        if following is None:
            flash(f"Scores for {answer.code} saved. Nothing else waits for you here.", "success")
            return redirect(url_for(".queue", opening_id=opening.id))
        flash(f"Scores for {answer.code} saved. Here is the next answer.", "success")
        return redirect(
            url_for(
                ".rate",
                opening_id=opening.id,
                candidate_id=following.candidate_id,
                item_id=following.item.id,
            )
        )
    rated = set(answer.item.rubric) <= set(mine)
    return render_template(
        "hiring/rating/rate.html",
        opening=opening,
        answer=answer,
        form=form,
        field_name=field_name,
        skills=library().skills,
        table=scoring.score_table(saved, answer.item) if rated else None,
        rated=rated,
    )
