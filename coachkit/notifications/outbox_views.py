"""Admins' view of e-mail delivery: what was sent, what waits, what failed (with
retry), and, in debug mode or with MAIL_PREVIEW, each message as it will be sent."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from coachkit import mail
from coachkit.auth.access import allow
from coachkit.auth.forms import ActionForm
from coachkit.auth.models import Role
from coachkit.extensions import db
from coachkit.notifications import outbox
from coachkit.notifications.compose import compose
from coachkit.notifications.models import OutboxMessage, OutboxState
from coachkit.security import page_number

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")

PAGE_SIZE = 50


@bp.route("/")
@allow(Role.ADMIN)
def index() -> str:
    """The outbox, newest first, optionally of one state."""
    try:
        state: OutboxState | None = OutboxState(request.args.get("state", ""))
    except ValueError:
        state = None  # no filter, or an unknown one: everything
    statement = db.select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if state is not None:
        statement = statement.where(OutboxMessage.state == state)
    page = db.paginate(statement, page=page_number(), per_page=PAGE_SIZE, error_out=False)
    return render_template(
        "outbox/index.html",
        page=page,
        state=state,
        counts=outbox.counts(),
        states=list(OutboxState),
        mail_configured=mail.configured(),
        preview=current_app.config["MAIL_PREVIEW"],
    )


@bp.route("/<int:message_id>")
@allow(Role.ADMIN)
def show(message_id: int) -> str:
    """One message: its delivery, and (with previews on) the e-mail itself."""
    message = db.get_or_404(OutboxMessage, message_id)
    email = compose(message, preview=True) if current_app.config["MAIL_PREVIEW"] else None
    return render_template(
        "outbox/show.html",
        message=message,
        email=email,
        body=email.get_body(("plain",)).get_content() if email else None,  # type: ignore[union-attr]
        retryable=outbox.retryable(message),
        action_form=ActionForm(),
    )


@bp.route("/<int:message_id>/retry", methods=["POST"])
@allow(Role.ADMIN)
def retry(message_id: int) -> Response:
    """Send a failed message again."""
    message = db.get_or_404(OutboxMessage, message_id)
    if ActionForm().validate_on_submit():
        if outbox.retry(message):
            db.session.commit()
            flash(f"The message to {message.to_address} will be sent again.", "success")
        else:
            flash("Only a failed message whose link still works can be sent again.", "error")
    return redirect(url_for("outbox.show", message_id=message.id))
