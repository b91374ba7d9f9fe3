"""Admins make and revoke the partner keys Greenhouse calls with, and read what
Greenhouse reported it could not accept (`response_error`)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from coachkit.auth.access import allow
from coachkit.auth.forms import ActionForm
from coachkit.auth.models import Role
from coachkit.auth.password_links import external_url
from coachkit.extensions import db
from coachkit.hiring.greenhouse import keys, response_errors
from coachkit.hiring.greenhouse.forms import PartnerKeyForm
from coachkit.hiring.greenhouse.models import PartnerKey
from coachkit.security import no_referrer

bp = Blueprint("greenhouse_keys", __name__, url_prefix="/admin/greenhouse")


@bp.route("/")
@allow(Role.ADMIN)
def index() -> str:
    return _page(PartnerKeyForm())


def _page(form: PartnerKeyForm, new_key: str | None = None, name: str | None = None) -> str:
    return render_template(
        "hiring/greenhouse/index.html",
        form=form,
        action_form=ActionForm(),
        keys=keys.listed(),
        reported=response_errors.recent(),
        endpoint=external_url("hiring.greenhouse.list_tests").rsplit("/", 1)[0],
        new_key=new_key,
        new_name=name,
    )


@bp.route("/", methods=["POST"])
@allow(Role.ADMIN)
def create() -> ResponseReturnValue:
    """Make a key and show it, this once (only its hash is kept)."""
    form = PartnerKeyForm()
    if not form.validate_on_submit():
        return _page(form)
    plain, key = keys.create(form.name.data or "", by=current_user)
    db.session.commit()
    return no_referrer(
        current_app.make_response(_page(PartnerKeyForm(formdata=None), plain, key.name))
    )


@bp.route("/<int:key_id>/revoke", methods=["POST"])
@allow(Role.ADMIN)
def revoke(key_id: int) -> ResponseReturnValue:
    key = db.get_or_404(PartnerKey, key_id)
    if ActionForm().validate_on_submit() and keys.revoke(key):
        db.session.commit()
        flash(f"The key “{key.name}” is revoked: it works no more.", "success")
    return redirect(url_for(".index"))
