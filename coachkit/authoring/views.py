"""Authoring: an author's previews of content files, each checked line by line, with
the checked file to download for review into content/ (nothing here changes what
learners or candidates get). Playing a preview is in `module_views` and
`exercise_views`, nested under this blueprint."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.wrappers import Response

from coachkit.auth.access import authors
from coachkit.auth.forms import ActionForm
from coachkit.authoring import exercise_views, module_views
from coachkit.authoring.checking import check
from coachkit.authoring.forms import EditPreviewForm, NewPreviewForm
from coachkit.authoring.models import (
    PREVIEW_HOURS,
    Preview,
    own_preview_or_404,
    own_previews,
    prune,
)
from coachkit.content.conversation_map import conversation_map
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.notifications import scans

bp = Blueprint("authoring", __name__, url_prefix="/authoring")
bp.register_blueprint(module_views.bp)
bp.register_blueprint(exercise_views.bp)
bp.register_blueprint(exercise_views.openings_bp)
scans.register_with(bp, "authoring.expired_previews", prune)


@bp.route("/")
@authors
def index() -> str:
    return render_template(
        "authoring/index.html",
        form=NewPreviewForm(),
        previews=own_previews(),
        hours=PREVIEW_HOURS,
    )


@bp.route("/new", methods=["POST"])
@authors
def new() -> ResponseReturnValue:
    """Check an uploaded or pasted file and keep it as a preview for its author."""
    form = NewPreviewForm()
    values = form.values() if form.validate_on_submit() else None
    if values is None:
        previews = own_previews()
        return render_template(
            "authoring/index.html", form=form, previews=previews, hours=PREVIEW_HOURS
        ), 422
    prune(utcnow())
    preview = Preview(owner_id=current_user.id, progress={}, **values)
    preview.touch()
    db.session.add(preview)
    db.session.commit()
    return redirect(url_for(".show", preview_id=preview.id))


@bp.route("/previews/<int:preview_id>", methods=["GET", "POST"])
@authors
def show(preview_id: int) -> ResponseReturnValue:
    """The file with each problem beside its line; on POST, the edited text checked."""
    preview = own_preview_or_404(preview_id)
    if preview.opening_id is not None:
        return redirect(url_for("authoring.exercise.welcome", preview_id=preview.id))
    form = EditPreviewForm(data={"text": preview.source})
    if form.validate_on_submit():
        preview.source = (form.text.data or "").replace("\r\n", "\n")
        preview.touch()
        db.session.commit()
        flash("Checked again.", "success")
        return redirect(url_for(".show", preview_id=preview.id))
    checked = check(preview)
    module = checked.module
    return render_template(
        "authoring/show.html",
        preview=preview,
        checked=checked,
        form=form,
        action_form=ActionForm(),
        cmap=conversation_map(module) if module is not None else None,
        module=module,
    ), (422 if form.errors else 200)


@bp.route("/previews/<int:preview_id>/download")
@authors
def download(preview_id: int) -> Response:
    """The file as checked, to add to content/ through the usual review."""
    preview = own_preview_or_404(preview_id)
    response = Response(preview.source, mimetype="text/markdown; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{preview.file_name}.md"'
    return response


@bp.route("/previews/<int:preview_id>/delete", methods=["POST"])
@authors
def delete(preview_id: int) -> Response:
    preview = own_preview_or_404(preview_id)
    if ActionForm().validate_on_submit():
        db.session.delete(preview)
        db.session.commit()
        flash(f"Deleted the preview of {preview.file_name}.md.", "success")
    return redirect(url_for(".index"))
