"""Single sign-on: the button on the sign-in page starts it, the provider comes back to
/login/oidc/callback. The callback is throttled per client address (counted in the
database), generously: a whole office behind one address signs in at nine."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    redirect,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue

from coachkit.auth import oidc, sessions, throttle
from coachkit.auth.access import public
from coachkit.auth.forms import LoginForm, SingleSignOnForm
from coachkit.auth.oidc_accounts import SignInRefused
from coachkit.auth.views import login_page
from coachkit.extensions import db
from coachkit.security import safe_next

bp = Blueprint("oidc", __name__)

ACTION = "oidc_callback"
TOO_MANY = "Too many sign-in attempts from your network. Wait a minute, then try again."


@bp.route("/login/oidc", methods=["POST"])
@public
def start() -> ResponseReturnValue:
    """Send the browser to the identity provider."""
    if not oidc.configured():
        abort(404)
    form = SingleSignOnForm()
    if not form.validate_on_submit():
        return redirect(url_for("auth.login"))
    try:
        address = oidc.begin(safe_next(form.next.data))
    except SignInRefused as refusal:
        current_app.logger.warning("single sign-on cannot start: %s", refusal.reason)
        return _refused(refusal, 503)
    db.session.commit()
    return redirect(address)


@bp.route("/login/oidc/callback")
@public
def callback() -> ResponseReturnValue:
    """Sign in the person the provider vouches for, or say why not."""
    if not oidc.configured():
        abort(404)
    key = "address:" + (request.remote_addr or "unknown")
    throttle.count(ACTION, key)
    db.session.commit()  # counted now, whatever happens next
    limit = current_app.config["OIDC_CALLBACKS_PER_MINUTE"]
    if throttle.exceeded(ACTION, key, limit=limit, window=timedelta(minutes=1)):
        return login_page(LoginForm(), TOO_MANY, 429)
    try:
        user, next_path = oidc.complete(request.args)
    except SignInRefused as refusal:
        db.session.commit()  # the state is used up either way
        current_app.logger.info("single sign-on refused: %s", refusal.reason)
        return _refused(refusal, 403)
    sessions.sign_in(user)
    session[oidc.SIGNED_IN_WITH] = "oidc"
    db.session.commit()
    return redirect(safe_next(next_path) or url_for("home.index"))


def _refused(refusal: SignInRefused, status: int) -> ResponseReturnValue:
    return login_page(LoginForm(), refusal.message, status)
