"""The candidate's pages, reached without an account through their invite link.

The token in the URL is the capability: every route is public, and everything shown or
changed belongs to the one candidate the token's hash points at. What each request may
still do with the link, and the answer when it may not, is `gate`'s: an unknown token
is a plain 404, an expired or revoked link a kind 410, and once the answers are handed
in the link accepts nothing more, except the voluntary self-identification questions
on the thank-you page.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from coachkit import security
from coachkit.auth.access import public
from coachkit.auth.forms import ActionForm
from coachkit.content.exercises import Exercise, Item
from coachkit.extensions import db
from coachkit.hiring import invitations, self_identification, versions
from coachkit.hiring.invitations import LinkState
from coachkit.hiring.models import Candidate
from coachkit.hiring.screening import answering, dead_ends, gate, timing
from coachkit.hiring.screening.forms import ConsentForm, OpenForm, about_you_class, item_form
from coachkit.organisation import brand

bp = Blueprint("screening", __name__, url_prefix="/screening")
bp.after_request(security.no_referrer)
bp.register_error_handler(HTTPException, dead_ends.http_error)
bp.register_error_handler(CSRFError, dead_ends.csrf_error)


@bp.context_processor
def candidate_page() -> dict[str, object]:
    """What every candidate page's frame needs: the employer's brand (one query) and
    the wording of times."""
    return {
        "brand": brand.current(),
        "relative_time": timing.relative,
        "minutes_left": timing.minutes_left,
    }


def _exercise(candidate: Candidate) -> Exercise:
    return versions.exercise_of(candidate.opening)


def _item_or_404(exercise: Exercise, position: int) -> Item:
    if not 1 <= position <= len(exercise.items):
        abort(404)
    return exercise.items[position - 1]


@bp.route("/<token>", methods=["GET", "POST"])
@public
def welcome(token: str) -> ResponseReturnValue:
    """What the exercise is, the rules and the privacy notice; consent starts it."""
    writing = request.method == "POST"
    invitation = gate.invitation_or_404(token, writing=writing)
    candidate = invitation.candidate
    if (refusal := gate.refusal(token, invitation, writing=writing)) is not None:
        return refusal
    form = ConsentForm()
    if form.validate_on_submit():
        answering.begin(candidate, candidate.opening.time_limit_minutes)
        db.session.commit()
        return redirect(url_for(".item", token=token, position=candidate.last_position))
    return render_template(
        "hiring/screening/welcome.html",
        token=token,
        candidate=candidate,
        opening=candidate.opening,
        invitation=invitation,
        exercise=_exercise(candidate),
        form=form,
        retention_days=current_app.config["HIRING_RETENTION_DAYS"],
        link_minimum_hours=int(answering.UNTIMED_LINK_MINIMUM.total_seconds() // 3600),
        seconds_left=answering.seconds_left(candidate),
    )


@bp.route("/", defaults={"rest": ""})
@bp.route("/<path:rest>")
@public
def unknown(rest: str) -> ResponseReturnValue:
    """Any other address under /screening/ (a link cut off or mistyped past its token):
    the candidate's not-found page, not the staff one, naming the opening's contact
    when the address still starts with a working token."""
    token = rest.partition("/")[0]
    if (invitation := invitations.find(token)) is not None:
        g.screening_opening, g.screening_token = invitation.candidate.opening, token
    abort(404)


def _set_aside_message(position: int, *, kept: bool) -> str:
    earlier = " Your earlier answer to it is kept." if kept else ""
    return (
        f"Your answer to situation {position} was not finished, so that change was not "
        f"saved.{earlier} You can finish it when you come back to it."
    )


def _move(token: str, candidate: Candidate, exercise: Exercise, position: int) -> Response:
    """Remember where the candidate is going, commit, and go there (the review page
    after the last situation)."""
    answering.move_to(candidate, position, exercise)
    db.session.commit()
    if position > len(exercise.items):
        return redirect(url_for(".review", token=token))
    return redirect(url_for(".item", token=token, position=max(position, 1)))


@bp.route("/<token>/items/<int:position>", methods=["GET", "POST"])
@public
def item(token: str, position: int) -> ResponseReturnValue:
    """One situation per page; saving moves on (or back), so no JavaScript is needed.

    Back never blocks: it saves a complete answer, or an open reply's draft even over
    its word limit, and sets half a judgement aside with a note."""
    writing = request.method == "POST"
    invitation = gate.invitation_or_404(token, writing=writing)
    candidate = invitation.candidate
    exercise = _exercise(candidate)
    current = _item_or_404(exercise, position)
    if (elsewhere := gate.not_answering(token, invitation, writing=writing)) is not None:
        return elsewhere
    saved = None if writing else answering.answer_to(candidate, current)
    form = item_form(current, saved.value if saved else None)
    back = request.form.get("action") == "back"
    if back and isinstance(form, OpenForm):
        form.enforce_word_limit = False  # Back keeps a draft over the limit, as autosave does
    if form.validate_on_submit():
        if (value := form.value()) is not None:
            answering.save(candidate, current, value)
        return _move(token, candidate, exercise, position + (-1 if back else 1))
    if back and not isinstance(form, OpenForm):
        # Back never blocks: half a judgement is set aside, any earlier answer kept.
        kept = answering.answer_to(candidate, current) is not None
        flash(_set_aside_message(position, kept=kept), "warning")
        return _move(token, candidate, exercise, position - 1)
    return render_template(
        "hiring/screening/item.html",
        token=token,
        opening=candidate.opening,
        exercise=exercise,
        item=current,
        position=position,
        form=form,
        seconds_left=answering.seconds_left(candidate),
    )


@bp.route("/<token>/items/<int:position>/autosave", methods=["POST"])
@public
def autosave(token: str, position: int) -> ResponseReturnValue:
    """Save the page's answer as it stands (JavaScript calls this every few seconds).

    204 when saved; 200 with a warning when a reply over its word limit was saved
    anyway (nothing typed is lost; moving on enforces the limit); 422 with the reason
    when the answer is incomplete and nothing was saved; 410 when the link accepts
    nothing more or the time is up."""
    invitation = gate.invitation_or_404(token, writing=True)
    candidate = invitation.candidate
    exercise = _exercise(candidate)
    current = _item_or_404(exercise, position)
    if answering.lapsed(candidate, invitation):
        time_was_up = answering.time_up(candidate)
        gate.hand_in_lapsed(candidate, token)
        reason = "Time is up." if time_was_up else "Your link has expired."
        reason += " Your saved answers were handed in."
        return jsonify(reason=reason, next=url_for(".done", token=token)), 410
    if invitations.state(invitation) != LinkState.USABLE:
        return jsonify(reason="This link no longer accepts answers."), 410
    if not answering.started(candidate):
        return jsonify(reason="Start the exercise first."), 409
    form = item_form(current)
    if isinstance(form, OpenForm):
        form.enforce_word_limit = False
    if not form.validate_on_submit():
        reasons = dict.fromkeys(error for errors in form.errors.values() for error in errors)
        return jsonify(saved=False, reason=" ".join(reasons)), 422
    if (value := form.value()) is not None:
        answering.save(candidate, current, value)
        db.session.commit()
    if isinstance(form, OpenForm) and form.words() > form.max_words:
        reason = f"{form.words()} words is over the limit of {form.max_words}."
        return jsonify(saved=True, reason=reason), 200
    return "", 204


@bp.route("/<token>/review")
@public
def review(token: str) -> ResponseReturnValue:
    """Every situation, answered or not, with a link back to each; then hand in."""
    invitation = gate.invitation_or_404(token)
    candidate = invitation.candidate
    if (elsewhere := gate.not_answering(token, invitation, writing=False)) is not None:
        return elsewhere
    exercise = _exercise(candidate)
    answers = answering.answers_of(candidate)
    rows = [(item, answering.is_answered(item, answers.get(item.id))) for item in exercise.items]
    return render_template(
        "hiring/screening/review.html",
        token=token,
        opening=candidate.opening,
        rows=rows,
        missing=sum(1 for _, answered in rows if not answered),
        form=ActionForm(),
        seconds_left=answering.seconds_left(candidate),
    )


@bp.route("/<token>/submit", methods=["POST"])
@public
def submit(token: str) -> ResponseReturnValue:
    """Hand in the answers. A second submit (double click, another tab) changes
    nothing and lands on the same thank-you page."""
    invitation = gate.invitation_or_404(token, writing=True)
    candidate = invitation.candidate
    if invitations.state(invitation) == LinkState.SUBMITTED:
        return redirect(url_for(".done", token=token))
    if (elsewhere := gate.not_answering(token, invitation, writing=True)) is not None:
        return elsewhere
    answering.hand_in(candidate, _exercise(candidate))
    db.session.commit()
    return redirect(url_for(".done", token=token))


@bp.route("/<token>/done")
@public
def done(token: str) -> ResponseReturnValue:
    """Thanks, what happens next, and the voluntary questions about the candidate."""
    invitation = gate.invitation_or_404(token)
    candidate = invitation.candidate
    if candidate.submitted_at is None:
        return redirect(url_for(".welcome", token=token))
    return render_template(
        "hiring/screening/done.html",
        token=token,
        candidate=candidate,
        opening=candidate.opening,
        form=about_you_class()(),
        answered=self_identification.given(candidate),
        ran_out_of_time=answering.ran_out_of_time(candidate),
    )


@bp.route("/<token>/about-you", methods=["POST"])
@public
def about_you(token: str) -> ResponseReturnValue:
    """Save the voluntary answers once, apart from the exercise answers."""
    invitation = gate.invitation_or_404(token, writing=True)
    candidate = invitation.candidate
    if candidate.submitted_at is None:
        return redirect(url_for(".welcome", token=token))
    if self_identification.given(candidate):
        return redirect(url_for(".done", token=token))  # once only; nothing changes
    form = about_you_class()()
    if not form.validate_on_submit():
        return render_template(
            "hiring/screening/done.html",
            token=token,
            candidate=candidate,
            opening=candidate.opening,
            form=form,
            answered=False,
            ran_out_of_time=answering.ran_out_of_time(candidate),
        )
    self_identification.record(candidate, form.answers())
    db.session.commit()
    return redirect(url_for(".done", token=token))
