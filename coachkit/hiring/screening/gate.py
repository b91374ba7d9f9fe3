"""The invite link as a gate: what a request through it may still do, and the answer
when it may not.

An unknown token is a 404 that says how to check the link; a link replaced by a newer
one (Resend, a reminder), an expired or a revoked link a kind 410 that says whom to ask;
after submission a GET lands on the thank-you page.

A time limit is enforced here, not in the browser: the first request after the deadline
(and its grace) hands in what was saved. So does the first request to a started
attempt's expired link (starting keeps the link alive past the deadline, so this only
happens without a time limit, or to an attempt started before that): the candidate is
never left with answers saved but not handed in. A revoked link hands in nothing. That
includes a GET, an exception to "GET never changes state" made on purpose: the attempt
is already over by the clock or the calendar, and the request only records it.
"""

from __future__ import annotations

from flask import abort, current_app, g, make_response, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from werkzeug.wrappers import Response

from coachkit.extensions import db
from coachkit.hiring import invitations, results, versions
from coachkit.hiring.invitations import LinkState
from coachkit.hiring.models import Candidate, Invitation
from coachkit.hiring.screening import answering

# An earlier link of an invitation: a newer one was issued (not a LinkState, as the
# invitation itself may be perfectly usable through its new link).
REPLACED = "replaced"


def invitation_or_404(token: str, *, writing: bool = False) -> Invitation:
    """The invitation behind `token`; with `writing`, its candidate's row locked."""
    invitation = invitations.find(token)
    if invitation is None:
        if (earlier := invitations.replaced(token)) is not None:
            abort(make_response(gone(earlier, REPLACED)))
        abort(404)
    g.screening_opening = invitation.candidate.opening  # for the error pages' contact
    if writing:
        results.lock(invitation.candidate)
    return invitation


def gone(invitation: Invitation, reason: str) -> tuple[str, int]:
    """The kind 410 page of a link that no longer works (`reason`: a LinkState or
    REPLACED), saying why and whom to ask."""
    candidate = invitation.candidate
    return render_template(
        "hiring/screening/gone.html",
        opening=candidate.opening,
        invitation=invitation,
        reason=str(reason),
    ), 410


def refusal(token: str, invitation: Invitation, *, writing: bool) -> ResponseReturnValue | None:
    """The answer to a request the link no longer allows, or None to go on: a started
    attempt whose time or link ran out is handed in; otherwise a kind 410, or after
    submission the thank-you page for a GET."""
    if answering.lapsed(invitation.candidate, invitation):
        return hand_in_lapsed(invitation.candidate, token)
    link_state = invitations.state(invitation)
    if link_state == LinkState.USABLE:
        return None
    if link_state == LinkState.SUBMITTED and not writing:
        return redirect(url_for("hiring.screening.done", token=token))
    return gone(invitation, link_state)


def hand_in_lapsed(candidate: Candidate, token: str) -> Response:
    """Hand in what was saved when the time or the link has run out, then say so."""
    results.lock(candidate)
    if answering.hand_in(candidate, versions.exercise_of(candidate.opening), timed_out=True):
        current_app.logger.info(
            "candidate %s ran out of time or link; answers handed in", candidate.id
        )
    db.session.commit()
    return redirect(url_for("hiring.screening.done", token=token))


def not_answering(
    token: str, invitation: Invitation, *, writing: bool
) -> ResponseReturnValue | None:
    """The response when this request cannot work on the answers (link closed, not
    started yet, time up), or None to go on."""
    if (refused := refusal(token, invitation, writing=writing)) is not None:
        return refused
    if not answering.started(invitation.candidate):
        return redirect(url_for("hiring.screening.welcome", token=token))
    return None
