"""Administrators create, edit and deactivate accounts and issue password links."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from coachkit.auth import password_links, sessions
from coachkit.auth.access import allow
from coachkit.auth.forms import ActionForm, email_key
from coachkit.auth.models import Role, User
from coachkit.extensions import db
from coachkit.people import accounts, password_mail
from coachkit.people.forms import EditUserForm, NewUserForm, UserSearchForm
from coachkit.security import page_number
from coachkit.teams import roster
from coachkit.teams.models import Position, Team

# No url_prefix: the pages live under /people/, and the addresses they had before
# (/admin/users/...) answer beside them with a permanent redirect.
bp = Blueprint("people", __name__)

PAGE_SIZE = 25


@bp.route("/people/")
@allow(Role.ADMIN)
def index() -> str:
    form = UserSearchForm(request.args)
    form.validate()  # an unknown role or an overlong search is ignored, not an error
    statement = select(User).order_by(func.lower(User.name), User.id)
    if form.q.data and not form.q.errors:
        text = form.q.data.strip().lower()
        statement = statement.where(
            or_(
                func.lower(User.name).contains(text, autoescape=True),
                User.email.contains(text, autoescape=True),
            )
        )
    if form.role.data and not form.role.errors:
        statement = statement.where(User.role == Role(form.role.data))
    page = db.paginate(statement, page=page_number(), per_page=PAGE_SIZE, error_out=False)
    return render_template("people/index.html", page=page, form=form)


@bp.route("/people/new", methods=["GET", "POST"])
@allow(Role.ADMIN)
def new() -> str | Response:
    """Add a person, optionally onto a team, and give them a set-password link."""
    form = NewUserForm()
    form.team.choices = team_choices()
    if form.validate_on_submit():
        team = db.session.get(Team, form.team.data) if form.team.data else None
        try:
            user = accounts.add_person(
                email=email_key(form.email.data or ""),
                name=(form.name.data or "").strip(),
                role=Role(form.role.data),
                team=team,
                position=Position(form.position.data),
            )
        except accounts.AccountError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(str(error))
        except IntegrityError:  # the same e-mail added a moment ago by someone else
            db.session.rollback()
            form.email.errors.append(accounts.EMAIL_TAKEN)
        else:
            user.is_author = bool(form.is_author.data)
            url, link = password_links.issue(user, issued_by=current_user)
            mailed = password_mail.send(user, url, link)
            db.session.commit()
            return _show_link(user, url, created=True, mailed=mailed)
    return render_template("people/form.html", form=form, user=None)


def team_choices() -> list[tuple[int, str]]:
    """The team select's choices: none, then every team by name."""
    teams = db.session.execute(select(Team.id, Team.name).order_by(func.lower(Team.name)))
    return [(0, "No team yet"), *((team_id, name) for team_id, name in teams)]


@bp.route("/people/<int:user_id>/edit", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit(user_id: int) -> str | Response:
    user = db.get_or_404(User, user_id)
    form = EditUserForm(obj=user, role=user.role.value)
    if form.validate_on_submit():
        email = email_key(form.email.data or "")
        role, active = Role(form.role.data), bool(form.active.data)
        if accounts.email_taken(email, other_than=user.id):
            form.email.errors.append(accounts.EMAIL_TAKEN)
        elif user.id == current_user.id and (role != Role.ADMIN or not active):
            form.role.errors.append("You cannot remove your own administrator access.")
        elif conflicts := roster.role_conflicts(user, role):
            form.role.errors.extend([*conflicts, "Change their place in the team first."])
        else:
            user.email, user.name, user.role = email, (form.name.data or "").strip(), role
            user.is_author = bool(form.is_author.data)
            if user.active and not active:
                sessions.end_sessions(user, keep_current=False)
                password_links.revoke_unused(user)
            user.active = active
            db.session.commit()
            flash(f"Saved {user.name}.", "success")
            return redirect(url_for("people.index"))
    return render_template("people/form.html", form=form, user=user, action_form=ActionForm())


@bp.route("/people/<int:user_id>/deactivate", methods=["POST"])
@allow(Role.ADMIN)
def deactivate(user_id: int) -> Response:
    user = db.get_or_404(User, user_id)
    if ActionForm().validate_on_submit():
        if user.id == current_user.id:
            flash("You cannot deactivate your own account.", "error")
        else:
            user.active = False
            sessions.end_sessions(user, keep_current=False)
            password_links.revoke_unused(user)
            db.session.commit()
            flash(f"{user.name} is deactivated and signed out everywhere.", "success")
    return redirect(url_for("people.edit", user_id=user.id))


@bp.route("/people/<int:user_id>/password-link", methods=["POST"])
@allow(Role.ADMIN)
def password_link(user_id: int) -> str | Response:
    """Issue a one-time set-password link, shown once and e-mailed (by the outbox
    worker) when SMTP is set."""
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("people.edit", user_id=user.id))
    url, link = password_links.issue(user, issued_by=current_user)
    mailed = password_mail.send(user, url, link)
    db.session.commit()
    return _show_link(user, url, created=False, mailed=mailed)


# The pages' addresses before they moved to /people/, each with the page it became.
MOVED = {
    "/admin/users/": "people.index",
    "/admin/users/new": "people.new",
    "/admin/users/<int:user_id>/edit": "people.edit",
}


@allow(Role.ADMIN)
def moved(user_id: int | None = None) -> Response:
    """Send an old address (a bookmark) on to its page, permanently, with its query."""
    old = request.url_rule.rule if request.url_rule else ""
    target = url_for(MOVED[old], user_id=user_id)  # None is left out of the address
    query = request.query_string.decode()
    return redirect(f"{target}?{query}" if query else target, code=301)


for address in MOVED:  # GET only: the forms post to the new addresses
    bp.add_url_rule(address, view_func=moved, methods=["GET"])


def _show_link(user: User, url: str, *, created: bool, mailed: bool) -> str:
    hours = current_app.config["SET_PASSWORD_LINK_HOURS"]
    return render_template(
        "people/password_link.html", user=user, url=url, mailed=mailed, created=created, hours=hours
    )
