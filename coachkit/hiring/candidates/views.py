"""An opening's candidates, for recruiters and admins: the list, a candidate's page
with their answers once rated, notes, decisions, deletion, and the comparison of their
scores (on the page, or as CSV). Adding and inviting them are in `invite_views`, on
this same blueprint.

URLs sit under the opening (/hiring/openings/<id>/...), like the opening's own pages in
coachkit.hiring.openings; lists show names unless codes are asked for (blindness is
for raters, whose pages never show names).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from coachkit.auth.access import allow
from coachkit.content.library import library
from coachkit.extensions import db
from coachkit.hiring import invitations
from coachkit.hiring.candidates import comparison, decisions, deletion, notes
from coachkit.hiring.candidates.forms import DecisionForm, DeleteCandidateForm, NoteForm
from coachkit.hiring.candidates.summary import candidate_page
from coachkit.hiring.models import HIRERS, Candidate, CandidateStatus, visible_candidates
from coachkit.hiring.scope import candidate_or_404, opening_or_404
from coachkit.hiring.status_counts import status_counts
from coachkit.security import page_number, safe_next
from coachkit.spreadsheet import csv_response

bp = Blueprint("candidates", __name__, url_prefix="/hiring/openings/<int:opening_id>")
CLOSED_MESSAGE = "This opening is closed. Reopen it to add or invite candidates."
# What the candidate page shows besides the candidate row.
CANDIDATE_PAGE = (selectinload(Candidate.invitation), selectinload(Candidate.skill_results))
DECIDED = {
    CandidateStatus.SHORTLISTED: "Shortlisted {code}.",
    CandidateStatus.REJECTED: "Marked {code} as rejected.",
    CandidateStatus.HIRED: (
        "Marked {code} as hired. Hand their skill profile to their new team below."
    ),
}


@bp.context_processor
def template_helpers() -> dict[str, object]:
    return {"time_taken": comparison.time_taken, "score_text": comparison.score_text}


@bp.route("/candidates")
@allow(*HIRERS)
def index(opening_id: int) -> str:
    """The opening's candidates with their invite state, by name unless names=0."""
    opening = opening_or_404(opening_id)
    view = comparison.parse(request.args, (), names_allowed=True)
    statement = comparison.listing(visible_candidates(current_user, opening.id), view)
    page = db.paginate(statement, page=page_number(), per_page=comparison.PER_PAGE)
    return render_template(
        "hiring/candidates/index.html",
        opening=opening,
        page=page,
        view=view,
        counts=status_counts([opening.id])[opening.id],
        statuses=list(CandidateStatus),
        link_state=invitations.state,
    )


@bp.route("/candidates/<int:candidate_id>")
@allow(*HIRERS)
def show(opening_id: int, candidate_id: int) -> str:
    opening = opening_or_404(opening_id)
    candidate = candidate_or_404(opening.id, candidate_id, *CANDIDATE_PAGE)
    return render_template("hiring/candidates/show.html", **candidate_page(opening, candidate))


def back_to(candidate: Candidate) -> Response:
    """Back to the candidate's page."""
    return redirect(url_for(".show", opening_id=candidate.opening_id, candidate_id=candidate.id))


@bp.route("/candidates/<int:candidate_id>/decision", methods=["POST"])
@allow(*HIRERS)
def decide(opening_id: int, candidate_id: int) -> ResponseReturnValue:
    """Shortlist, reject or hire a candidate who has handed in, with a reason; back to
    the candidate, or to the comparison the buttons were pressed on."""
    opening = opening_or_404(opening_id)
    candidate = candidate_or_404(opening.id, candidate_id, *CANDIDATE_PAGE)
    form = DecisionForm()
    back = safe_next(form.next.data)
    if not form.validate_on_submit():
        if form.reason.errors:
            page = candidate_page(opening, candidate, decision_form=form)
            return render_template("hiring/candidates/show.html", **page)
        flash("Choose shortlist, reject or hire.", "error")
        return redirect(back) if back else back_to(candidate)
    decision = CandidateStatus(form.decision.data)
    try:
        withdrawn = decisions.decide(candidate, decision, form.reason.data or "", current_user)
    except decisions.NotAnswered:
        flash("Decide once the candidate has handed in their answers.", "error")
        return redirect(back) if back else back_to(candidate)
    db.session.commit()
    if withdrawn:
        flash("The hand-over to their team was withdrawn: they are no longer a new starter.")
    flash(DECIDED[decision].format(code=candidate.code), "success")
    return redirect(back) if back else back_to(candidate)


@bp.route("/candidates/<int:candidate_id>/notes", methods=["POST"])
@allow(*HIRERS)
def note(opening_id: int, candidate_id: int) -> ResponseReturnValue:
    """Write a note on the candidate (for deciders; the rating pages never show it)."""
    opening = opening_or_404(opening_id)
    candidate = candidate_or_404(opening.id, candidate_id, *CANDIDATE_PAGE)
    form = NoteForm()
    if not form.validate_on_submit():
        page = candidate_page(opening, candidate, note_form=form)
        return render_template("hiring/candidates/show.html", **page)
    notes.add(candidate, current_user, form.text.data or "")
    db.session.commit()
    flash("Note added.", "success")
    return back_to(candidate)


@bp.route("/candidates/<int:candidate_id>/delete", methods=["POST"])
@allow(*HIRERS)
def delete(opening_id: int, candidate_id: int) -> ResponseReturnValue:
    """Delete a candidate with their invite, answers, scores and self-identification."""
    opening = opening_or_404(opening_id)
    candidate = candidate_or_404(opening.id, candidate_id, *CANDIDATE_PAGE)
    form = DeleteCandidateForm()
    if not form.validate_on_submit():
        return render_template(
            "hiring/candidates/show.html", **candidate_page(opening, candidate, form)
        )
    code = candidate.code
    deletion.delete_candidate(candidate)
    db.session.commit()
    flash(
        f"Deleted candidate {code} with their invite link, answers, scores and any "
        "self-identification. This cannot be undone.",
        "success",
    )
    return redirect(url_for(".index", opening_id=opening.id))


@bp.route("/compare")
@allow(*HIRERS)
def compare(opening_id: int) -> str:
    """Candidates side by side: skills, overall score, time taken, status."""
    opening = opening_or_404(opening_id)
    view, skills, statement = comparison.requested(opening, request.args, current_user)
    counts = status_counts([opening.id])[opening.id]
    page = db.paginate(statement, page=page_number(), per_page=comparison.PER_PAGE, count=False)
    # The status counts shown above the table give the total: no count query.
    page.total = counts[view.status] if view.status else counts.total
    return render_template(
        "hiring/candidates/compare.html",
        opening=opening,
        view=view,
        skills=skills,
        catalogue=library().skills,
        page=page,
        rows=comparison.rows(page.items),
        counts=counts,
        statuses=list(CandidateStatus),
    )


@bp.route("/compare.csv")
@allow(*HIRERS)
def export(opening_id: int) -> Response:
    """The comparison as CSV, with the same filter and order; names only when shown."""
    opening = opening_or_404(opening_id)
    view, skills, statement = comparison.requested(opening, request.args, current_user)
    table = comparison.rows(db.session.scalars(statement))
    return csv_response(
        f"opening-{opening.id}-comparison{'-with-names' if view.names else ''}.csv",
        comparison.csv_header(skills, library().skills, view.names),
        comparison.csv_rows(table, skills, view.names),
    )
