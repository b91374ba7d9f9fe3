"""Admins set the employer's name, logo, colour and privacy notice; candidate pages
fetch the logo and the colour from here."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from coachkit.auth.access import allow, public
from coachkit.auth.models import Role
from coachkit.extensions import db
from coachkit.organisation import brand
from coachkit.organisation.forms import OrganisationForm

bp = Blueprint("organisation", __name__)

# A URL with the current revision never changes content: browsers keep it for a year.
IMMUTABLE = "public, max-age=31536000, immutable"


@bp.route("/admin/organisation", methods=["GET", "POST"])
@allow(Role.ADMIN)
def edit() -> ResponseReturnValue:
    """The settings form; a save replaces the values and moves the revision on."""
    settings = brand.settings_row()
    form = OrganisationForm(obj=settings if request.method == "GET" else None)
    if form.validate_on_submit():
        brand.save(
            settings,
            name=form.name.data or "",
            accent=form.accent_colour.data or None,
            privacy_url=form.privacy_url.data or None,
            contact_email=form.contact_email.data or None,
            logo=form.prepared_logo,
            remove_logo=bool(form.remove_logo.data),
        )
        db.session.commit()
        flash("Organisation settings saved. Candidate pages show them from now on.", "success")
        return redirect(url_for(".edit"))
    return render_template("organisation/edit.html", form=form, brand=brand.current())


def _cached(response: Response, revision: int) -> ResponseReturnValue:
    """Cache for a year when the URL names the current revision, else revalidate."""
    response.headers["Cache-Control"] = (
        IMMUTABLE if request.args.get("v") == str(revision) else "no-cache"
    )
    response.set_etag(f"r{revision}")
    return response.make_conditional(request)


@bp.route("/organisation/logo")
@public
def logo() -> ResponseReturnValue:
    """The re-encoded logo (PNG), never anything uploaded as it was."""
    stored = brand.logo_of()
    if stored is None:
        abort(404)
    data, content_type, revision = stored
    response = Response(data, mimetype=content_type)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = 'inline; filename="logo.png"'
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return _cached(response, revision)


@bp.route("/organisation/brand.css")
@public
def brand_css() -> ResponseReturnValue:
    """The accent colour as CSS custom properties (a stylesheet, as the Content
    Security Policy allows no inline styles). Only a checked #rrggbb gets here."""
    current = brand.current()
    body = render_template("organisation/brand.css", brand=current)
    response = Response(body, mimetype="text/css")
    return _cached(response, current.revision)
