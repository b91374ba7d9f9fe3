"""The notification centre, delivery preferences, organisation defaults and the
one-click unsubscribe page."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from coachkit.auth.access import allow, public, signed_in
from coachkit.auth.forms import ActionForm
from coachkit.auth.models import Role, User
from coachkit.extensions import csrf, db
from coachkit.notifications import centre, digest, preferences, scans, unsubscribe
from coachkit.notifications.forms import chosen, delivery_form
from coachkit.notifications.kinds import Kind
from coachkit.security import no_referrer, page_number

bp = Blueprint("notifications", __name__)
scans.register_with(bp, digest.NAME, digest.send_digests)


@bp.route("/notifications")
@signed_in
def index() -> str:
    """The signed-in person's notifications, newest first."""
    page = db.paginate(
        centre.mine(current_user),
        page=page_number(),
        per_page=centre.PAGE_SIZE,
        error_out=False,
    )
    return render_template("notifications/index.html", page=page, action_form=ActionForm())


@bp.route("/notifications/<int:notification_id>/open", methods=["POST"], endpoint="open")
@signed_in
def follow(notification_id: int) -> ResponseReturnValue:
    """Mark one of your notifications read and go to what it is about (a POST: GET
    never changes anything)."""
    notification = centre.own_or_404(current_user, notification_id)
    path = notification.path  # checked to be on this site when it was made
    if ActionForm().validate_on_submit():
        centre.mark_read(notification)
        db.session.commit()
    return redirect(path)


@bp.route("/notifications/read", methods=["POST"])
@signed_in
def read_all() -> ResponseReturnValue:
    if ActionForm().validate_on_submit():
        count = centre.mark_all_read(current_user)
        db.session.commit()
        flash(f"Marked {count} notification{'' if count == 1 else 's'} read.", "success")
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/preferences", methods=["GET", "POST"], endpoint="preferences")
@signed_in
def choose() -> ResponseReturnValue:
    """Choose how each kind of notification reaches you besides the app."""
    kinds = Kind.offered_to(current_user.role)
    form = delivery_form(kinds, preferences.choices(current_user))
    if form.validate_on_submit():
        preferences.save(current_user, chosen(form, kinds))
        db.session.commit()
        flash("Saved your notification settings.", "success")
        return redirect(url_for("notifications.preferences"))
    return render_template("notifications/preferences.html", form=form, kinds=kinds)


@bp.route("/notifications/defaults", methods=["GET", "POST"])
@allow(Role.ADMIN)
def defaults() -> ResponseReturnValue:
    """The organisation's delivery of each kind, for everyone who has not chosen."""
    kinds = Kind.for_people()
    form = delivery_form(kinds, preferences.defaults())
    if form.validate_on_submit():
        preferences.save_defaults(chosen(form, kinds))
        db.session.commit()
        flash("Saved the organisation's defaults.", "success")
        return redirect(url_for("notifications.defaults"))
    return render_template("notifications/defaults.html", form=form, kinds=kinds)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"], endpoint="unsubscribe")
@public
@csrf.exempt
def stop(token: str) -> Response:
    """GET asks to confirm; POST turns that kind of e-mail off, from the page's button
    or straight from a mail client (RFC 8058 one-click).

    Exempt from CSRF on purpose: a mail client's one-click POST cannot carry a CSRF
    token. The signed token in the URL stands in for it: a forged request needs it,
    and all it can do is turn off one kind of e-mail for the person it was sent to."""
    subscription = unsubscribe.read(token)
    user_id = subscription.user_id if subscription else None
    if user_id is not None and db.session.get(User, user_id) is None:
        subscription = None  # the account was deleted
    done = subscription is not None and request.method == "POST"
    if done and subscription is not None:
        unsubscribe.apply(subscription)
        db.session.commit()
    page = render_template(
        "notifications/unsubscribe.html",
        subscription=subscription,
        what=_what(subscription.kind) if subscription else None,
        done=done,
    )
    return no_referrer(Response(page, 200 if subscription else 404, mimetype="text/html"))


def _what(kind: Kind) -> str:
    return "the daily digest" if kind is Kind.DIGEST else f"e-mails about: {kind.label.lower()}"
