"""Recording a candidate's voluntary self-identification, once, after they hand in.

The answers go to their own table (`SelfIdentification`), never next to the exercise
answers, and no page shows them one by one; the adverse impact report counts them.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select

from coachkit.extensions import db
from coachkit.hiring.fairness import CATEGORY_BY_FIELD, PREFER_NOT
from coachkit.hiring.models import Candidate, SelfIdentification


def given(candidate: Candidate) -> bool:
    """Whether the candidate has already answered (or declined) the questions."""
    found = db.session.scalar(
        select(SelfIdentification.id).where(SelfIdentification.candidate_id == candidate.id)
    )
    return found is not None


def record(candidate: Candidate, answers: Mapping[str, str | None]) -> SelfIdentification:
    """Store the candidate's answers (None where left blank). Call once, with the
    candidate's row locked; ValueError for a question or choice that does not exist."""
    for field, choice in answers.items():
        category = CATEGORY_BY_FIELD.get(field)
        if category is None:
            raise ValueError(f"no such question: {field}")
        if choice is not None and choice not in (*category.choices, PREFER_NOT):
            raise ValueError(f"not a choice for {field}: {choice}")
    row = SelfIdentification(
        candidate_id=candidate.id, opening_id=candidate.opening_id, **dict(answers)
    )
    db.session.add(row)
    db.session.flush()
    return row
