"""Calibration rounds: set one up, rate blind, then see the group and each lean."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from coachkit.auth.access import allow
from coachkit.auth.forms import ActionForm
from coachkit.calibration import results, rounds
from coachkit.calibration.forms import NewRoundForm, RateForm, rate_form
from coachkit.calibration.leniency import leans
from coachkit.calibration.models import CalibrationRound, CalibrationSeat
from coachkit.content.library import library
from coachkit.extensions import db
from coachkit.security import page_number
from coachkit.training.player import module_of
from coachkit.training.results import path_taken

bp = Blueprint("calibration", __name__, url_prefix="/calibration")


@bp.route("/")
@allow(*rounds.RATERS)
def index() -> str:
    page = db.paginate(
        rounds.visible_rounds(current_user).order_by(
            CalibrationRound.created_at.desc(), CalibrationRound.id.desc()
        ),
        page=page_number(),
        per_page=20,
    )
    mine = {
        seat.round_id: seat
        for seat in db.session.scalars(
            select(CalibrationSeat).where(
                CalibrationSeat.user_id == current_user.id,
                CalibrationSeat.round_id.in_([r.id for r in page.items]),
            )
        )
    }
    return render_template("calibration/index.html", page=page, mine=mine)


@bp.route("/new", methods=["GET", "POST"])
@allow(*rounds.RATERS)
def new() -> ResponseReturnValue:
    form = NewRoundForm()
    sources = rounds.source_attempts(current_user)
    attempts = {attempt.id: attempt for attempt, _name in sources}
    form.attempt.choices = [
        SelectChoice(a.id, f"{name}: {a.module_version.title}, {a.completed_at:%d %b %Y}")
        for a, name in sources
    ]
    raters = {user.id: user for user in rounds.eligible_raters(current_user)}
    form.raters.choices = [SelectChoice(user.id, user.name) for user in raters.values()]
    if not attempts:
        return render_template("calibration/new.html", form=None)
    if not form.validate_on_submit():
        return render_template("calibration/new.html", form=form), 422 if form.errors else 200
    attempt = attempts[form.attempt.data]
    round_ = rounds.create(
        (form.title.data or "").strip(),
        attempt,
        module_of(attempt).skills,
        [raters[user_id] for user_id in form.raters.data or []],
        current_user,
    )
    db.session.commit()
    flash("Round set up: rate it now, then see the others' ratings.", "success")
    return redirect(url_for(".show", round_id=round_.id))


@bp.route("/<int:round_id>")
@allow(*rounds.RATERS)
def show(round_id: int, form: RateForm | None = None) -> str:
    round_ = rounds.round_or_404(round_id, current_user)
    seat = rounds.seat_of(round_, current_user)
    skills = library().skills
    if form is None:
        form = rate_form(len(round_.skills), formdata=None)
    attempt = round_.attempt
    module = module_of(attempt) if attempt is not None else None
    shown = rounds.sees_results(round_, current_user)
    handed_in = [s for s in round_.seats if s.submitted_at is not None]
    rows = results.skill_rows(round_, handed_in) if shown else []
    agreement = results.agreement(rows) if shown else None
    return render_template(
        "calibration/show.html",
        round=round_,
        seat=seat,
        module=module,
        taken=path_taken(attempt, module) if attempt is not None and module else [],
        skills=skills,
        form=form,
        shown=shown,
        handed_in=handed_in,
        rows=rows,
        agreement=agreement,
        results_words=results.interpret(agreement) if agreement else "",
        leans=leans([s.user_id for s in handed_in]) if shown else {},
        may_close=rounds.may_close(round_, current_user),
        action_form=ActionForm(),
    )


@bp.route("/<int:round_id>/rate", methods=["POST"])
@allow(*rounds.RATERS)
def rate(round_id: int) -> ResponseReturnValue:
    round_ = rounds.round_or_404(round_id, current_user)
    # The round's row is the lock: hand-ins take turns, so a double click records once
    # and the last of two raters handing in at once still closes the round.
    db.session.execute(
        select(CalibrationRound.id).where(CalibrationRound.id == round_id).with_for_update()
    )
    db.session.refresh(round_)
    seat = rounds.seat_of(round_, current_user)
    if seat is None:
        abort(403)
    if seat.submitted_at is not None or not round_.is_open:
        flash(
            "Your ratings were already handed in."
            if seat.submitted_at
            else "This round is closed.",
            "info",
        )
        return redirect(url_for(".show", round_id=round_id))
    form = rate_form(len(round_.skills))
    if not form.validate():
        return show(round_id, form=form), 422
    fields = form.ratings(len(round_.skills))
    ratings = {skill: int(f.data) for skill, f in zip(round_.skills, fields, strict=True)}
    rounds.hand_in(seat, ratings, (form.note.data or "").strip())
    db.session.commit()
    flash("Ratings handed in: here is how the others rated.", "success")
    return redirect(url_for(".show", round_id=round_id))


@bp.route("/<int:round_id>/close", methods=["POST"])
@allow(*rounds.RATERS)
def close(round_id: int) -> Response:
    round_ = rounds.round_or_404(round_id, current_user)
    if not rounds.may_close(round_, current_user):
        abort(403)
    if ActionForm().validate_on_submit():
        rounds.close(round_)
        db.session.commit()
        flash("Round closed: no more ratings can be handed in.", "success")
    return redirect(url_for(".show", round_id=round_id))
