"""The fairness report: the adverse impact (four-fifths) comparison of the groups
candidates self-identified with (`coachkit.hiring.self_identification`).

Answers are optional and stored apart from the exercise answers. Nobody sees them one
by one: the report shows counts per group only, and leaves out groups too small to
keep anyone's answer to themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from coachkit.extensions import db
from coachkit.hiring.models import (
    ANSWERED,
    Candidate,
    CandidateStatus,
    Opening,
    SelfIdentification,
)
from coachkit.hiring.self_identification import CATEGORIES, PREFER_NOT, Category
from coachkit.statistics import adverse_impact

SELECTED = (CandidateStatus.SHORTLISTED, CandidateStatus.HIRED)
# A group with fewer candidates than this is not shown: a recruiter who knows the few
# candidates could tell who answered what. Its candidates are counted as "not shown".
MIN_GROUP_SHOWN = 5
UNDECIDED = (CandidateStatus.SUBMITTED, CandidateStatus.SCORED)


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
