"""Hand-over on hire: recruiters pass a hired candidate's skill profile to the team they
join; that team's managers (and admins) read it with training suggestions."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload
from wtforms import SelectChoice

from coachkit.auth.access import allow
from coachkit.auth.models import Role
from coachkit.content.library import library
from coachkit.extensions import db
from coachkit.hiring.handovers import records, suggestions
from coachkit.hiring.handovers.forms import HandoverForm
from coachkit.hiring.models import HIRERS, Candidate, CandidateStatus, Handover
from coachkit.hiring.scope import candidate_or_404
from coachkit.security import page_number
from coachkit.teams.models import Team

bp = Blueprint("handovers", __name__, url_prefix="/handovers")
READERS = (Role.MANAGER, Role.ADMIN)
PER_PAGE = 30


@bp.route("/candidates/<int:candidate_id>/new", methods=["GET", "POST"])
@allow(*HIRERS)
def new(candidate_id: int) -> ResponseReturnValue:
    """Hand a hired candidate over to their team; afterwards, confirm it was done."""
    candidate = candidate_or_404(
        None, candidate_id, joinedload(Candidate.opening), selectinload(Candidate.skill_results)
    )
    done = records.of_candidate(candidate.id)
    posted = request.method == "POST"
    if done is not None and posted:
        flash(f"{candidate.name} was already handed over to {done.team.name}.", "warning")
        return redirect(url_for(".new", candidate_id=candidate.id))
    if done is not None or candidate.status != CandidateStatus.HIRED:
        page = render_template(
            "hiring/handovers/new.html", candidate=candidate, done=done, form=None
        )
        return page, 409 if posted else 200
    teams = db.session.scalars(select(Team).order_by(Team.name)).all()
    form = HandoverForm(data={"team": candidate.opening.team_id})
    form.team.choices = [SelectChoice(team.id, team.name) for team in teams]
    if form.validate_on_submit():
        team = next(team for team in teams if team.id == form.team.data)
        try:
            records.create(candidate, team, form.note.data or "", current_user)
            db.session.commit()
        except IntegrityError:  # a simultaneous post handed the candidate over first
            db.session.rollback()
            flash(f"{candidate.name} was already handed over.", "warning")
        else:
            flash(f"{candidate.name}'s profile is now with {team.name}.", "success")
        return redirect(url_for(".new", candidate_id=candidate.id))
    return render_template("hiring/handovers/new.html", candidate=candidate, done=None, form=form)


@bp.route("/")
@allow(*READERS)
def index() -> str:
    """New starters handed over to my teams (all teams for admins)."""
    page = db.paginate(
        records.visible_handovers(current_user).options(
            joinedload(Handover.team), joinedload(Handover.user)
        ),
        page=page_number(),
        per_page=PER_PAGE,
    )
    return render_template(
        "hiring/handovers/index.html", page=page, accounts=records.accounts(page.items)
    )


@bp.route("/<int:handover_id>")
@allow(*READERS)
def show(handover_id: int) -> str:
    handover = db.session.scalar(
        records.visible_handovers(current_user)
        .where(Handover.id == handover_id)
        .options(joinedload(Handover.team), joinedload(Handover.user))
    )
    if handover is None:
        abort(404)
    lib = library()
    lines = suggestions.profile(handover.skills, lib.skills)
    weak = suggestions.weakest(lines)
    account = records.accounts([handover]).get(handover.id)
    return render_template(
        "hiring/handovers/show.html",
        handover=handover,
        account=account,
        practice=records.practice(account, current_user),
        lines=lines,
        weak=weak,
        suggestions=suggestions.suggestions(weak, lib.modules.values()),
        exercise=lib.exercises.get(handover.exercise_slug),
    )
