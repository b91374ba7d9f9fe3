"""Self-service password reset: a person asks for a link by e-mail and chooses a new
password on the set-password page (`auth.set_password`), which the link opens.

The answer is the same whether or not the address has an account, requests are
throttled per e-mail address and per client address (counted in the database), and
the e-mail goes through the outbox in the request's transaction.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from coachkit.auth import password_links, throttle
from coachkit.auth.access import public
from coachkit.auth.forms import email_key
from coachkit.auth.models import User
from coachkit.auth.sessions import token_digest
from coachkit.extensions import db
from coachkit.people import password_mail
from coachkit.people.forms import PasswordResetForm

bp = Blueprint("password_reset", __name__)

ACTION = "password_reset"
TOO_MANY = (
    "Too many password reset requests. Wait an hour, then try again, or ask an "
    "administrator for a set-password link."
)


@bp.route("/password-reset", methods=["GET", "POST"])
@public
def start() -> ResponseReturnValue:
    """Ask for a password reset link; the answer never tells whether the address is known."""
    if not current_app.config["PASSWORD_SIGN_IN"]:
        abort(404)
    form = PasswordResetForm()
    if not form.validate_on_submit():
        return render_template("password_reset/start.html", form=form, error=None)
    email = email_key(form.email.data or "")
    if _throttled(email, request.remote_addr or "unknown"):
        return render_template("password_reset/start.html", form=form, error=TOO_MANY), 429
    user = db.session.scalar(select(User).where(User.email == email, User.active.is_(True)))
    if user is not None:
        minutes = current_app.config["PASSWORD_RESET_LINK_MINUTES"]
        url, link = password_links.issue(user, issued_by=None, lifetime=timedelta(minutes=minutes))
        password_mail.send_reset(user, url, link)
    db.session.commit()
    return render_template("password_reset/sent.html", email=email)


def _throttled(email: str, address: str) -> bool:
    """Count this request against the e-mail address (as its digest: unknown addresses
    are not kept) and the client address; whether either is over its limit."""
    config = current_app.config
    window = timedelta(minutes=config["PASSWORD_RESET_WINDOW_MINUTES"])
    account_key, address_key = "email:" + token_digest(email), "address:" + address
    throttle.count(ACTION, account_key)
    throttle.count(ACTION, address_key)
    db.session.commit()  # counted now, whatever happens next
    return throttle.exceeded(
        ACTION, account_key, limit=config["PASSWORD_RESET_MAX_PER_ACCOUNT"], window=window
    ) or throttle.exceeded(
        ACTION, address_key, limit=config["PASSWORD_RESET_MAX_PER_ADDRESS"], window=window
    )
