"""Adding and inviting an opening's candidates, for recruiters and admins: one by one,
several at once or from a CSV file; their invite links, e-mailed or shown to send
yourself (after a redirect, so a reload issues no new link, and again until replaced:
`sealed_links`); resending and revoking them.

Routes on the candidates blueprint (`views.bp`), so their endpoints read
`hiring.candidates.<view>` like the rest of the candidate pages.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from coachkit import mail
from coachkit.auth.access import allow
from coachkit.auth.forms import ActionForm
from coachkit.extensions import db
from coachkit.hiring import invitations, sealed_links
from coachkit.hiring.candidates import candidate_csv, roster
from coachkit.hiring.candidates.views import CANDIDATE_PAGE, CLOSED_MESSAGE, back_to, bp
from coachkit.hiring.models import HIRERS, Candidate, Opening, visible_candidates
from coachkit.hiring.openings.forms import BulkCandidatesForm, CandidateForm, UploadForm
from coachkit.hiring.openings.summary import opening_page
from coachkit.hiring.scope import candidate_or_404, opening_or_404
from coachkit.notifications import outbox

# The links last shown to this user to send themselves (candidate ids, in the session;
# the links stay sealed in the database), so a reload shows them again, not new ones.
SHOWN_LINKS = "hiring_shown_links"


@bp.route("/candidates", methods=["POST"])
@allow(*HIRERS)
def add(opening_id: int) -> ResponseReturnValue:
    opening = opening_or_404(opening_id)
    form = CandidateForm()
    if not opening.is_open:
        flash(CLOSED_MESSAGE, "error")
        return redirect(url_for("hiring.openings.show", opening_id=opening.id))
    if form.validate_on_submit():
        try:
            candidate = roster.add(opening, form.name.data or "", form.email.data or "")
            db.session.commit()
        except (roster.AlreadyCandidate, IntegrityError):
            db.session.rollback()
            form.email.errors = ["This e-mail address is already a candidate for this opening."]
        else:
            flash(f"Added {candidate.name} as candidate {candidate.code}.", "success")
            return redirect(url_for(".show", opening_id=opening.id, candidate_id=candidate.id))
    return render_template(
        "hiring/openings/show.html", **opening_page(opening, candidate_form=form)
    )


@bp.route("/candidates/bulk", methods=["POST"])
@allow(*HIRERS)
def add_many(opening_id: int) -> ResponseReturnValue:
    """Add the candidates of every filled row, or none when any row is wrong."""
    opening = opening_or_404(opening_id)
    form = BulkCandidatesForm()
    if not opening.is_open:
        flash(CLOSED_MESSAGE, "error")
        return redirect(url_for("hiring.openings.show", opening_id=opening.id))
    if form.validate_on_submit():
        try:
            added = roster.add_rows(opening, form.used_rows())
            db.session.commit()
        except roster.RowsRefused as refused:
            db.session.rollback()
            for at, reason in refused.problems.items():
                form.rows[at].form.email.errors = [f"{reason}."]
        except IntegrityError:  # someone added one of these candidates meanwhile
            db.session.rollback()
            form.rows[0].form.email.errors = ["Someone added candidates meanwhile: add again."]
        else:
            listed = ", ".join(f"{c.name} ({c.code})" for c in added)
            flash(
                f"Added {len(added)} candidate{'' if len(added) == 1 else 's'}: {listed}.",
                "success",
            )
            return redirect(url_for("hiring.openings.show", opening_id=opening.id))
    return render_template("hiring/openings/show.html", **opening_page(opening, bulk_form=form))


@bp.route("/candidates/upload", methods=["POST"])
@allow(*HIRERS)
def upload(opening_id: int) -> ResponseReturnValue:
    """Add candidates from a CSV file: good rows are added, bad ones reported by line."""
    opening = opening_or_404(opening_id)
    form = UploadForm()
    if not opening.is_open:
        flash(CLOSED_MESSAGE, "error")
        return redirect(url_for("hiring.openings.show", opening_id=opening.id))
    if form.validate_on_submit():
        try:
            rows = candidate_csv.read_csv(form.file.data.read())
            report = roster.import_rows(opening, rows)
            db.session.commit()
        except candidate_csv.UnreadableFile as error:
            db.session.rollback()
            form.file.errors = [str(error)]
        except IntegrityError:  # someone added one of these candidates meanwhile
            db.session.rollback()
            form.file.errors = ["Someone added candidates at the same moment. Upload again."]
        else:
            return render_template("hiring/candidates/upload.html", opening=opening, report=report)
    return render_template("hiring/openings/show.html", **opening_page(opening, upload_form=form))


def _deliver(
    opening: Opening, issued: list[tuple[Candidate, str]], remaining: int = 0
) -> ResponseReturnValue:
    """Commit the new links with their e-mails in the outbox (the worker sends them),
    and redirect to the links that will not be e-mailed (kept sealed, so reloading that
    page shows them again instead of issuing new ones). `remaining` new candidates wait
    for the next "Invite all"."""
    opening_id, ids = opening.id, [candidate.id for candidate, _url in issued]
    batch = outbox.new_batch()
    queued = invitations.queue(issued, batch) if mail.configured() else set()
    unsent = [candidate.id for candidate, _url in issued if candidate.id not in queued]
    for candidate, url in issued:
        if candidate.id not in queued and candidate.invitation is not None:
            sealed_links.seal(candidate.invitation, url)
    db.session.commit()
    still_to_invite = _still_to_invite(remaining)
    if not unsent:
        done = f"{len(queued)} invitation{'' if len(queued) == 1 else 's'} on the way by e-mail."
        flash(f"{done} {still_to_invite}".strip(), "success")
        if len(ids) == 1 and not remaining:
            return redirect(url_for(".show", opening_id=opening_id, candidate_id=ids[0]))
        return redirect(url_for("hiring.openings.show", opening_id=opening_id, batch=batch))
    session[SHOWN_LINKS] = {
        "opening": opening_id,
        "ids": unsent,
        "sent": len(queued),
        "remaining": remaining,
    }
    return redirect(url_for(".links", opening_id=opening_id))


@bp.route("/invite-links")
@allow(*HIRERS)
def links(opening_id: int) -> str:
    """The links last issued here to send yourself, as long as each still works."""
    opening = opening_or_404(opening_id)
    shown = session.get(SHOWN_LINKS) or {}
    if shown.get("opening") != opening.id:
        shown = {}
    listed = db.session.scalars(
        visible_candidates(current_user, opening.id)
        .where(Candidate.id.in_([int(i) for i in shown.get("ids", [])]))
        .options(selectinload(Candidate.invitation))
        .order_by(Candidate.id)
    ).all()
    unsent = [(c, sealed_links.unseal(c.invitation) if c.invitation else None) for c in listed]
    return render_template(
        "hiring/candidates/invite_links.html",
        opening=opening,
        unsent=unsent,
        sent_count=int(shown.get("sent", 0)),
        mail_configured=mail.configured(),
        still_to_invite=_still_to_invite(int(shown.get("remaining", 0))),
    )


def _still_to_invite(remaining: int) -> str:
    if not remaining:
        return ""
    return (
        f"{remaining} new candidate{' is' if remaining == 1 else 's are'} still to invite: "
        "press “Invite all” again."
    )


@bp.route("/invite-all", methods=["POST"])
@allow(*HIRERS)
def invite_all(opening_id: int) -> ResponseReturnValue:
    """Issue links for the next INVITE_BATCH candidates not invited yet, oldest first."""
    opening = opening_or_404(opening_id)
    if not ActionForm().validate_on_submit():
        return redirect(url_for("hiring.openings.show", opening_id=opening.id))
    if not opening.is_open:
        flash(CLOSED_MESSAGE, "error")
        return redirect(url_for("hiring.openings.show", opening_id=opening.id))
    invited = invitations.invite_new(opening)
    if not invited.issued:
        flash("Every candidate has a link already: nobody new to invite.", "info")
        return redirect(url_for("hiring.openings.show", opening_id=opening.id))
    return _deliver(opening, invited.issued, invited.remaining)


@bp.route("/candidates/<int:candidate_id>/invite", methods=["POST"])
@allow(*HIRERS)
def invite(opening_id: int, candidate_id: int) -> ResponseReturnValue:
    """Issue a link (or a fresh one, with a later expiry): e-mailed or shown once."""
    opening = opening_or_404(opening_id)
    candidate = candidate_or_404(opening.id, candidate_id, *CANDIDATE_PAGE)
    if not ActionForm().validate_on_submit():
        return back_to(candidate)
    if not opening.is_open:
        flash(CLOSED_MESSAGE, "error")
        return back_to(candidate)
    if candidate.submitted_at is not None:
        flash(
            "This candidate has handed in their answers: a new link would accept nothing.", "error"
        )
        return back_to(candidate)
    return _deliver(opening, [(candidate, invitations.issue(candidate))])


@bp.route("/candidates/<int:candidate_id>/revoke", methods=["POST"])
@allow(*HIRERS)
def revoke(opening_id: int, candidate_id: int) -> Response:
    opening = opening_or_404(opening_id)
    candidate = candidate_or_404(opening.id, candidate_id, *CANDIDATE_PAGE)
    if ActionForm().validate_on_submit():
        if invitations.revoke(candidate):
            db.session.commit()
            flash("Link revoked: it no longer opens the exercise.", "success")
        else:
            flash("There was no working link to revoke.", "info")
    return back_to(candidate)
