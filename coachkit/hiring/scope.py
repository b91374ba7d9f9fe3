"""The one place hiring views look up openings and candidates for the person asking:
someone who may not see an opening, or a candidate through another opening's URL,
gets a 404, never the record."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_login import current_user
from sqlalchemy import Select, bindparam

from coachkit.auth.models import User
from coachkit.extensions import db
from coachkit.hiring.models import Candidate, Opening, visible_candidates, visible_openings
from coachkit.prepared import per_viewer, viewer_params


@per_viewer
def _opening(user: User) -> Select[tuple[Opening]]:
    return visible_openings(user).where(Opening.id == bindparam("opening_id"))


def opening_or_404(opening_id: int, *options: Any) -> Opening:
    statement = _opening(current_user.role)
    if options:  # loader options differ by page: not worth a statement of their own
        statement = statement.options(*options)
    opening = db.session.scalar(statement, viewer_params(current_user, opening_id=opening_id))
    if opening is None:
        abort(404)
    return opening


def candidate_or_404(opening_id: int | None, candidate_id: int, *options: Any) -> Candidate:
    """A candidate of opening `opening_id` (of any opening the user sees, when None)."""
    candidate = db.session.scalar(
        visible_candidates(current_user, opening_id)
        .where(Candidate.id == candidate_id)
        .options(*options)
    )
    if candidate is None:
        abort(404)
    return candidate
