"""Voluntary self-identification: the questions candidates may answer after handing in
their exercise, and recording their answers, once.

The answers go to their own table (`SelfIdentification`), never next to the exercise
answers, and no page shows them one by one: the fairness report (adverse impact) only
counts them per group.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from coachkit.extensions import db
from coachkit.hiring.models import Candidate, SelfIdentification

PREFER_NOT = "Prefer not to say"


@dataclass(frozen=True)
class Category:
    field: str  # the column of SelfIdentification
    question: str
    choices: tuple[str, ...]  # the groups compared; PREFER_NOT is offered besides


CATEGORIES = (
    Category("sex", "Which best describes you?", ("Woman", "Man", "Non-binary or another way")),
    Category(
        "ethnicity",
        "What is your ethnic group?",
        (
            "Asian or Asian British",
            "Black, African or Caribbean",
            "Mixed or multiple groups",
            "White",
            "Another ethnic group",
        ),
    ),
    Category("age_band", "How old are you?", ("Under 40", "40 or over")),
)
CATEGORY_BY_FIELD = {category.field: category for category in CATEGORIES}


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
