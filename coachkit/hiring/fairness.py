"""Voluntary self-identification: the questions candidates may answer after handing in
their exercise, and the groups the adverse impact report compares.

Answers are optional and stored apart from the exercise answers
(`SelfIdentification`). Nobody sees them one by one: the adverse impact report shows
counts per group only.
"""

from __future__ import annotations

from dataclasses import dataclass

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
