"""Admins make and revoke the bearer tokens identity providers provision with, and
read the audit of what provisioning changed."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from coachkit.auth.access import allow
from coachkit.auth.forms import ActionForm
from coachkit.auth.models import Role
from coachkit.auth.password_links import external_url
from coachkit.extensions import db
from coachkit.scim import audit, tokens
from coachkit.scim.forms import TokenForm
from coachkit.scim.models import ScimToken
from coachkit.security import no_referrer

bp = Blueprint("scim_tokens", __name__, url_prefix="/admin/scim-tokens")


@bp.route("/")
@allow(Role.ADMIN)
def index() -> str:
    return _page(TokenForm())


def _page(form: TokenForm, new_token: str | None = None, name: str | None = None) -> str:
    return render_template(
        "scim_tokens/index.html",
        form=form,
        action_form=ActionForm(),
        tokens=tokens.listed(),
        events=audit.recent(),
        endpoint=external_url("scim.service_provider_config").rsplit("/", 1)[0],
        suffix=current_app.config["SCIM_MANAGER_GROUP_SUFFIX"],
        new_token=new_token,
        new_name=name,
    )


@bp.route("/", methods=["POST"])
@allow(Role.ADMIN)
def create() -> ResponseReturnValue:
    """Make a token and show it, this once (only its hash is kept)."""
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(form)
    plain, token = tokens.create(form.name.data or "", by=current_user)
    db.session.commit()
    return no_referrer(
        current_app.make_response(_page(TokenForm(formdata=None), plain, token.name))
    )


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@allow(Role.ADMIN)
def revoke(token_id: int) -> ResponseReturnValue:
    token = db.get_or_404(ScimToken, token_id)
    if ActionForm().validate_on_submit() and tokens.revoke(token, by=current_user):
        db.session.commit()
        flash(f"The token “{token.name}” is revoked: it works no more.", "success")
    return redirect(url_for("scim_tokens.index"))
