"""Teams: admins manage them; managers see their own."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response
from wtforms import SelectChoice

from coachkit.auth.access import allow
from coachkit.auth.forms import ActionForm
from coachkit.auth.models import Role, User
from coachkit.extensions import db
from coachkit.teams import roster
from coachkit.teams.forms import AddMemberForm, NewTeamForm, TeamForm
from coachkit.teams.models import Membership, Position, Team, visible_teams

bp = Blueprint("teams", __name__, url_prefix="/teams")


def _visible_team_or_404(team_id: int) -> Team:
    """The team if the current user may see it; another team is a 404, not a 403."""
    if (
        db.session.scalar(
            visible_teams(current_user).where(Team.id == team_id).with_only_columns(Team.id)
        )
        is None
    ):
        abort(404)
    team = roster.load_team(team_id)
    if team is None:
        abort(404)
    return team


def _name_taken(name: str, other_than: int | None = None) -> bool:
    # Compared in Python: SQLite's lower() folds only ASCII letters. Teams are few.
    rows = db.session.execute(select(Team.id, Team.name))
    return any(n.casefold() == name.casefold() and i != other_than for i, n in rows)


def _person_choices(team: Team) -> list[SelectChoice]:
    return [SelectChoice("0", "Choose a person…")] + [
        SelectChoice(str(user.id), f"{user.name} ({user.role.label})")
        for user in roster.eligible_people(team)
    ]


@bp.route("/")
@allow(Role.ADMIN, Role.MANAGER)
def index() -> str:
    teams = db.session.scalars(
        visible_teams(current_user).options(
            selectinload(Team.memberships).selectinload(Membership.user)
        )
    ).all()
    return render_template("teams/index.html", teams=teams)


@bp.route("/new", methods=["GET", "POST"])
@allow(Role.ADMIN)
def new() -> str | Response:
    form = NewTeamForm()
    form.manager.choices = [SelectChoice("0", "Choose a manager…")] + [
        SelectChoice(str(user.id), f"{user.name} ({user.email})")
        for user in roster.eligible_people(None, Position.MANAGER)
    ]
    if form.validate_on_submit():
        name = (form.name.data or "").strip()
        manager = db.session.get(User, form.manager.data)
        if _name_taken(name):
            form.name.errors.append("Another team already has this name.")
        elif manager is None:
            form.manager.errors.append("Choose the team's manager.")
        else:
            team = Team(name=name, description=(form.description.data or "").strip())
            db.session.add(team)
            roster.add(team, manager, Position.MANAGER)
            try:
                db.session.commit()
            except IntegrityError:  # the same name created a moment ago by someone else
                db.session.rollback()
                form.name.errors.append("Another team already has this name.")
                return render_template("teams/new.html", form=form)
            flash(f"Team {team.name} created. Now add its members.", "success")
            return redirect(url_for("teams.show", team_id=team.id))
    return render_template("teams/new.html", form=form)


@bp.route("/<int:team_id>")
@allow(Role.ADMIN, Role.MANAGER)
def show(team_id: int) -> str:
    team = _visible_team_or_404(team_id)
    add_form = None
    if current_user.role == Role.ADMIN:
        add_form = AddMemberForm()
        add_form.user.choices = _person_choices(team)
    return render_template(
        "teams/show.html", team=team, add_form=add_form, action_form=ActionForm(), Position=Position
    )


@bp.route("/<int:team_id>/edit", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit(team_id: int) -> str | Response:
    team = db.get_or_404(Team, team_id)
    form = TeamForm(obj=team)
    if form.validate_on_submit():
        name = (form.name.data or "").strip()
        if _name_taken(name, other_than=team.id):
            form.name.errors.append("Another team already has this name.")
        else:
            team.name, team.description = name, (form.description.data or "").strip()
            db.session.commit()
            flash("Team saved.", "success")
            return redirect(url_for("teams.show", team_id=team.id))
    return render_template("teams/edit.html", form=form, team=team, action_form=ActionForm())


@bp.route("/<int:team_id>/members", methods=["POST"])
@allow(Role.ADMIN)
def add_member(team_id: int) -> ResponseReturnValue:
    team = _visible_team_or_404(team_id)
    form = AddMemberForm()
    form.user.choices = _person_choices(team)
    if form.validate_on_submit():
        user = db.session.get(User, form.user.data)
        try:
            if user is None:
                raise roster.RosterError("Choose a person to add.")
            roster.add(team, user, Position(form.position.data))
        except roster.RosterError as error:
            form.user.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"{user.name} added as {form.position.data}.", "success")
            return redirect(url_for("teams.show", team_id=team.id))
    return render_template(
        "teams/show.html", team=team, add_form=form, action_form=ActionForm(), Position=Position
    ), 422


@bp.route("/<int:team_id>/members/<int:membership_id>/remove", methods=["POST"])
@allow(Role.ADMIN)
def remove_member(team_id: int, membership_id: int) -> Response:
    team = _visible_team_or_404(team_id)
    membership = next((m for m in team.memberships if m.id == membership_id), None)
    if membership is None:
        abort(404)
    if ActionForm().validate_on_submit():
        try:
            roster.remove(team, membership)
        except roster.RosterError as error:
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(f"{membership.user.name} removed from {team.name}.", "success")
    return redirect(url_for("teams.show", team_id=team.id))


@bp.route("/<int:team_id>/delete", methods=["POST"])
@allow(Role.ADMIN)
def delete(team_id: int) -> Response:
    team = db.get_or_404(Team, team_id)
    if ActionForm().validate_on_submit():
        db.session.delete(team)
        db.session.commit()
        flash(f"Team {team.name} deleted. Its people keep their accounts.", "success")
        return redirect(url_for("teams.index"))
    return redirect(url_for("teams.edit", team_id=team.id))
