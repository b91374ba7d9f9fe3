"""Sign in, sign out, own account, and the one-time set-password page."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from coachkit.auth import oidc, password_links, sessions
from coachkit.auth.access import public, signed_in
from coachkit.auth.forms import (
    ChangePasswordForm,
    LoginForm,
    NewPasswordForm,
    SingleSignOnForm,
    email_key,
)
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
from coachkit.security import CONTENT_SECURITY_POLICY, no_referrer, safe_next

bp = Blueprint("auth", __name__)

PROVIDER_SIGN_OUT = "provider_sign_out"  # in the cookie after sign-out: the provider's page
BAD_LOGIN = "That e-mail and password do not match an active account."
NO_PASSWORDS = "Sign-in with a password is turned off here: use the button above."
THROTTLED = (
    "Too many failed sign-in attempts. Wait a few minutes, then try again, or ask "
    "an administrator for a new password link."
)


def login_page(form: LoginForm, error: str | None, status: int = 200) -> ResponseReturnValue:
    """The sign-in page: passwords (unless PASSWORD_SIGN_IN is off), the single sign-on
    button (when OIDC_ISSUER is set) and, just after signing out of a single sign-on,
    a link to the provider's own sign-out."""
    config = current_app.config
    page = render_template(
        "auth/login.html",
        form=form,
        error=error,
        password_sign_in=config["PASSWORD_SIGN_IN"],
        single_sign_on=config["OIDC_BUTTON_LABEL"] if config["OIDC_ISSUER"] else None,
        sso_form=SingleSignOnForm(next=form.next.data or ""),
        provider_sign_out=session.pop(PROVIDER_SIGN_OUT, None),
    )
    response = make_response(page, status)
    if config["OIDC_ISSUER"]:
        # The button's POST is answered with a redirect to the provider, which a
        # browser follows only if this page's form-action allows the provider.
        policy = CONTENT_SECURITY_POLICY.replace(
            "form-action 'self'", f"form-action 'self' {oidc.sign_in_origins()}"
        )
        response.headers["Content-Security-Policy"] = policy
    return response


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if request.method == "POST" and not current_app.config["PASSWORD_SIGN_IN"]:
        return login_page(form, NO_PASSWORDS, 403)
    if form.validate_on_submit():
        email, address = email_key(form.email.data or ""), request.remote_addr or "unknown"
        attempt = sessions.begin_attempt(email, address)
        db.session.commit()  # counted now, whatever happens next
        if sessions.throttled(email, address):
            db.session.commit()
            return login_page(form, THROTTLED, 429)
        user = db.session.scalar(select(User).where(User.email == email, User.active.is_(True)))
        stored_hash = user.password_hash if user else None
        db.session.commit()  # no open transaction (no SQLite write lock) during argon2
        if user is None or not verify_password(stored_hash, form.password.data or ""):
            return login_page(form, BAD_LOGIN)
        if stored_hash and needs_rehash(stored_hash):
            user.password_hash = hash_password(form.password.data or "")
        sessions.succeed_attempt(attempt)
        sessions.sign_in(user)
        db.session.commit()
        return redirect(safe_next(form.next.data) or url_for("home.index"))
    return login_page(form, None)


@bp.route("/logout", methods=["POST"])
@signed_in
def logout() -> Response:
    """End the session on the server; after a single sign-on, offer the provider's own
    sign-out (coachkit cannot end the provider's session)."""
    provider_sign_out = session.get(oidc.SIGNED_IN_WITH) == "oidc" and oidc.end_session_url()
    sessions.sign_out(current_user)
    db.session.commit()
    flash("You are signed out.", "success")
    if provider_sign_out:
        session[PROVIDER_SIGN_OUT] = provider_sign_out
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
