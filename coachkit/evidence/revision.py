"""The revision of everything the evidence reports read, in one cheap query.

No writer keeps a counter for these reports; instead the key is made of values every
relevant change moves on, each read from an index: a coaching save writes a revision
row (new or edited ratings), a completed attempt writes skill scores, a hand-over is a
new row, and deleting a person (whose rows cascade) or adding one (an account a
hand-over's e-mail now matches) changes the count of people. A candidate's results
move the applicant pool's spread; they change with the rater scores (the openings'
scores revisions) and with new candidates. A judgement-only exercise handed in is
picked up at the next of these changes.
"""

from __future__ import annotations

from collections.abc import Hashable

from sqlalchemy import func, select

from coachkit.auth.models import User
from coachkit.coaching.models import Revision
from coachkit.extensions import db
from coachkit.hiring.models import Candidate, Handover, Opening
from coachkit.training.models import SkillScore


def data_revision() -> Hashable:
    """A key that changes whenever the data behind the evidence reports may have."""
    row = db.session.execute(
        select(
            select(func.max(Revision.id)).scalar_subquery(),
            select(func.max(SkillScore.id)).scalar_subquery(),
            select(func.max(Handover.id)).scalar_subquery(),
            select(func.count(Handover.id)).scalar_subquery(),
            select(func.count(User.id)).scalar_subquery(),
            select(func.count(Candidate.id)).scalar_subquery(),
            select(func.coalesce(func.sum(Opening.scores_revision), 0)).scalar_subquery(),
        )
    ).one()
    return tuple(row)
