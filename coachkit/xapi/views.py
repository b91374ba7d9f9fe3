"""Admins' view of the learning records sent to the LRS: how many were sent, wait and
failed, the latest failures, and a retry for the failed ones."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from coachkit.auth.access import allow
from coachkit.auth.forms import ActionForm
from coachkit.auth.models import Role
from coachkit.deliveries import outbox
from coachkit.deliveries.models import DeliveryState
from coachkit.extensions import db
from coachkit.xapi.recording import TARGET

bp = Blueprint("xapi", __name__, url_prefix="/admin/xapi")


@bp.route("/")
@allow(Role.ADMIN)
def index() -> str:
    config = current_app.config
    failures = [
        {
            "verb": delivery.body.get("verb", {}).get("display", {}).get("en-US", "?"),
            "statement_id": delivery.key,
            "state": delivery.state,
            "attempts": delivery.attempts,
            "created_at": delivery.created_at,
            "error": delivery.last_error,
        }
        for delivery in outbox.recent_failures(TARGET)
    ]
    return render_template(
        "xapi/index.html",
        counts=outbox.counts(TARGET),
        states=[DeliveryState.SENT, DeliveryState.WAITING, DeliveryState.FAILED],
        failures=failures,
        endpoint=config["XAPI_ENDPOINT"],
        actor=config["XAPI_ACTOR"],
        reflection_text=config["XAPI_REFLECTION_TEXT"],
        coaching=config["XAPI_COACHING"],
        form=ActionForm(),
    )


@bp.route("/retry", methods=["POST"])
@allow(Role.ADMIN)
def retry() -> Response:
    """Send every failed statement again."""
    if ActionForm().validate_on_submit():
        count = outbox.retry_failed(TARGET)
        db.session.commit()
        flash(f"{count} failed statement{'' if count == 1 else 's'} will be sent again.", "success")
    return redirect(url_for("xapi.index"))
