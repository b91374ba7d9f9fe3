"""Playing a previewed module through the player's own pages (training/play.html and
results.html), its answers kept in the preview alone."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from wtforms import SelectChoice

from coachkit.auth.access import authors
from coachkit.auth.forms import ActionForm
from coachkit.authoring import module_play
from coachkit.authoring.checking import check
from coachkit.authoring.models import Preview, PreviewKind, own_preview_or_404
from coachkit.content.library import library
from coachkit.content.modules import Module
from coachkit.extensions import db
from coachkit.training.conversation import step_progress
from coachkit.training.forms import ChoiceForm, ReflectionForm, StepForm
from coachkit.training.order import shown_replies
from coachkit.training.player import StaleAnswer
from coachkit.training.results import overall, skill_lines, strongest_path

bp = Blueprint("module", __name__, url_prefix="/previews/<int:preview_id>/module")
NEWEST_LINE = "now"


def _playable(preview_id: int) -> tuple[Preview, Module]:
    preview = own_preview_or_404(preview_id, PreviewKind.MODULE)
    module = check(preview).module
    if module is None:
        abort(404)  # a file with errors cannot be played; its page says why
    return preview, module


@bp.route("/start", methods=["POST"])
@authors
def start(preview_id: int) -> ResponseReturnValue:
    """Play from the beginning (the preview's earlier answers are dropped)."""
    preview, _module = _playable(preview_id)
    if ActionForm().validate_on_submit():
        module_play.restart(preview)
        db.session.commit()
    return redirect(url_for(".play", preview_id=preview.id))


@bp.route("/play", methods=["GET", "POST"])
@authors
def play(preview_id: int) -> ResponseReturnValue:
    preview, module = _playable(preview_id)
    state = module_play.replay(module, module_play.steps_of(preview))
    if state.ended:
        return redirect(url_for(".results", preview_id=preview.id))
    node = state.node
    sent = StepForm()
    if sent.validate_on_submit() and (sent.node.data, sent.position.data) != (
        node.id,
        len(state.taken),
    ):
        flash("That answer was already recorded. Here is where you are now.", "info")
        return redirect(url_for(".play", preview_id=preview.id))
    form = ReflectionForm() if node.kind == "reflect" else ChoiceForm()
    if isinstance(form, ChoiceForm):
        form.choice.choices = [
            SelectChoice(str(i), c.text) for i, c in shown_replies(node, preview.id)
        ]
    if form.validate_on_submit():
        try:
            state = module_play.answer(
                preview,
                module,
                position=len(state.taken),
                choice=form.choice.data if isinstance(form, ChoiceForm) else None,
                reflection=form.reflection.data if isinstance(form, ReflectionForm) else None,
            )
        except StaleAnswer:
            return redirect(url_for(".play", preview_id=preview.id))
        except ValueError as error:
            field = form.choice if isinstance(form, ChoiceForm) else form.reflection
            field.errors = [*field.errors, str(error)]
        else:
            db.session.commit()
            if state.ended:
                return redirect(url_for(".results", preview_id=preview.id))
            return redirect(url_for(".play", preview_id=preview.id, _anchor=NEWEST_LINE))
    form.position.data, form.node.data = len(state.taken), node.id
    return render_template(
        "authoring/module_play.html",
        preview=preview,
        module=module,
        node=node,
        form=form,
        taken=state.taken,
        progress=step_progress(module, node.id, len(state.taken)),
        newest=NEWEST_LINE,
    )


@bp.route("/results")
@authors
def results(preview_id: int) -> ResponseReturnValue:
    """The results page a learner would see, made from the preview's answers."""
    preview, module = _playable(preview_id)
    state = module_play.replay(module, module_play.steps_of(preview))
    if not state.ended:
        return redirect(url_for(".play", preview_id=preview.id))
    return render_template(
        "authoring/module_results.html",
        preview=preview,
        module=module,
        taken=state.taken,
        best=strongest_path(module),
        ending=state.node,
        lines=skill_lines(module, state.scores, library().skills),
        overall=overall(module, state.scores),
        skills=library().skills,
        form=ActionForm(),
        learner=None,
    )
