"""The one place hiring views look up openings and candidates for the person asking:
someone who may not see an opening, or a candidate through another opening's URL,
gets a 404, never the record."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy.sql.base import ExecutableOption

from coachkit.extensions import db
from coachkit.hiring.models import Candidate, Opening, visible_candidates, visible_openings


def opening_or_404(opening_id: int, *options: ExecutableOption) -> Opening:
    opening = db.session.scalar(
        visible_openings(current_user).where(Opening.id == opening_id).options(*options)
    )
    if opening is None:
        abort(404)
    return opening


def candidate_or_404(
    opening_id: int | None, candidate_id: int, *options: ExecutableOption
) -> Candidate:
    """A candidate of opening `opening_id` (of any opening the user sees, when None)."""
    candidate = db.session.scalar(
        visible_candidates(current_user, opening_id)
        .where(Candidate.id == candidate_id)
        .options(*options)
    )
    if candidate is None:
        abort(404)
    return candidate
