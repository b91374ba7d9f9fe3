"""Voluntary self-identification: the questions candidates may answer after handing in
their exercise, and the adverse impact (four-fifths) report that compares the groups.

Answers are optional and stored apart from the exercise answers
(`SelfIdentification`). Nobody sees them one by one: the adverse impact report shows
counts per group only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from coachkit.extensions import db
from coachkit.hiring import adverse_impact
from coachkit.hiring.models import (
    ANSWERED,
    Candidate,
    CandidateStatus,
    Opening,
    SelfIdentification,
)

PREFER_NOT = "Prefer not to say"
SELECTED = (CandidateStatus.SHORTLISTED, CandidateStatus.HIRED)
# A group with fewer candidates than this is not shown: a recruiter who knows the few
# candidates could tell who answered what. Its candidates are counted as "not shown".
MIN_GROUP_SHOWN = 5
UNDECIDED = (CandidateStatus.SUBMITTED, CandidateStatus.SCORED)


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


@dataclass(frozen=True)
class CategoryImpact:
    category: Category
    impact: adverse_impact.AdverseImpact
    prefer_not: int  # assessed candidates who preferred not to say: not compared
    not_answered: int  # assessed candidates who left the question (or the form) out
    hidden: int = 0  # candidates in groups under MIN_GROUP_SHOWN, left out for privacy


@dataclass(frozen=True)
class FairnessReport:
    assessed: int  # candidates who handed in
    selected: int  # shortlisted or hired
    undecided: int  # handed in, no decision yet (counted as not selected)
    categories: list[CategoryImpact]


def fairness_report(opening: Opening) -> FairnessReport:
    """The four-fifths comparison per self-identification category: counts only
    (1 + one query per category). Groups under MIN_GROUP_SHOWN are left out of the
    comparison and only counted together, so no one's answer can be inferred."""
    is_selected = case((Candidate.status.in_(SELECTED), 1), else_=0)
    scope = (Candidate.opening_id == opening.id, Candidate.status.in_(ANSWERED))
    assessed, selected, undecided = db.session.execute(
        select(
            func.count(),
            func.sum(is_selected),
            func.sum(case((Candidate.status.in_(UNDECIDED), 1), else_=0)),
        ).where(*scope)
    ).one()
    assessed = int(assessed or 0)
    categories = []
    for category in CATEGORIES:
        column = getattr(SelfIdentification, category.field)
        counts = {
            group: (int(chosen or 0), int(total))
            for group, total, chosen in db.session.execute(
                select(column, func.count(), func.sum(is_selected))
                .join(Candidate, Candidate.id == SelfIdentification.candidate_id)
                .where(*scope, column.is_not(None))
                .group_by(column)
            )
        }
        given = {group: counts[group] for group in category.choices if group in counts}
        compared = {g: c for g, c in given.items() if c[1] >= MIN_GROUP_SHOWN}
        hidden = sum(total for g, (_chosen, total) in given.items() if g not in compared)
        prefer_not = counts.get(PREFER_NOT, (0, 0))[1]
        answered = sum(total for _chosen, total in given.values()) + prefer_not
        categories.append(
            CategoryImpact(
                category,
                adverse_impact.four_fifths(compared),
                prefer_not,
                assessed - answered,
                hidden,
            )
        )
    return FairnessReport(assessed, int(selected or 0), int(undecided or 0), categories)
