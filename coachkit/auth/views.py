"""Sign in, sign out, own account, and the one-time set-password page."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from coachkit.auth import password_links, sessions
from coachkit.auth.access import public, signed_in
from coachkit.auth.forms import ChangePasswordForm, LoginForm, NewPasswordForm, email_key
from coachkit.auth.models import User
from coachkit.auth.password_links import find_usable
from coachkit.auth.passwords import (
    hash_password,
    needs_rehash,
    password_problem,
    verify_password,
)
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.security import no_referrer, safe_next

bp = Blueprint("auth", __name__)

BAD_LOGIN = "That e-mail and password do not match an active account."
THROTTLED = (
    "Too many failed sign-in attempts. Wait a few minutes, then try again, or ask "
    "an administrator for a new password link."
)


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        email, address = email_key(form.email.data or ""), request.remote_addr or "unknown"
        attempt = sessions.begin_attempt(email, address)
        db.session.commit()  # counted now, whatever happens next
        if sessions.throttled(email, address):
            db.session.commit()
            return render_template("auth/login.html", form=form, error=THROTTLED), 429
        user = db.session.scalar(select(User).where(User.email == email, User.active.is_(True)))
        stored_hash = user.password_hash if user else None
        db.session.commit()  # no open transaction (no SQLite write lock) during argon2
        if user is None or not verify_password(stored_hash, form.password.data or ""):
            return render_template("auth/login.html", form=form, error=BAD_LOGIN)
        if stored_hash and needs_rehash(stored_hash):
            user.password_hash = hash_password(form.password.data or "")
        sessions.succeed_attempt(attempt)
        sessions.sign_in(user)
        db.session.commit()
        return redirect(safe_next(form.next.data) or url_for("home.index"))
    return render_template("auth/login.html", form=form, error=None)


@bp.route("/logout", methods=["POST"])
@signed_in
def logout() -> Response:
    sessions.sign_out(current_user)
    db.session.commit()
    flash("You are signed out.", "success")
    return redirect(url_for("auth.login"))


@bp.route("/account", methods=["GET", "POST"])
@signed_in
def account() -> str | Response:
    """Show the user's details and change their password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        new = form.password.data or ""
        if not verify_password(current_user.password_hash, form.current.data or ""):
            form.current.errors.append("That is not your current password.")
        elif problem := password_problem(new, personal=[current_user.email, current_user.name]):
            form.password.errors.append(problem)
        else:
            current_user.password_hash = hash_password(new)
            current_user.password_changed_at = utcnow()
            sessions.end_sessions(current_user, keep_current=True)
            password_links.revoke_unused(current_user)
            db.session.commit()
            flash("Password changed. You were signed out on every other device.", "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)


@bp.route("/set-password/<token>", methods=["GET", "POST"])
@public
def set_password(token: str) -> str | Response:
    """Redeem a one-time link from an administrator."""
    link = find_usable(token)
    if link is None:
        abort(410)
    user = db.session.get(User, link.user_id)
    if user is None or not user.active:
        abort(410)
    form = NewPasswordForm()
    if form.validate_on_submit():
        new = form.password.data or ""
        if problem := password_problem(new, personal=[user.email, user.name]):
            form.password.errors.append(problem)
        else:
            if not password_links.redeem(link):  # used by a parallel request just now
                abort(410)
            user.password_hash = hash_password(new)
            user.password_changed_at = utcnow()
            sessions.end_sessions(user, keep_current=False)
            db.session.commit()
            flash("Your password is set. Sign in with it now.", "success")
            return redirect(url_for("auth.login"))
    return no_referrer(
        make_response(render_template("auth/set_password.html", form=form, user=user))
    )
