"""The fairness report: the adverse impact (four-fifths) comparison of the groups
candidates self-identified with (`coachkit.hiring.self_identification`).

Answers are optional and stored apart from the exercise answers. Nobody sees them one
by one: the report shows counts per group only, and leaves out groups too small to
keep anyone's answer to themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement, case, func, select

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


class Basis(StrEnum):
    """What counts as selected. Undecided candidates are left out of the rates: they
    are neither selected nor turned down yet."""

    SHORTLISTED = "shortlisted"  # shortlisted or hired, against rejected
    HIRED = "hired"  # hired, against rejected (shortlisted ones are still undecided)

    @property
    def selected(self) -> tuple[CandidateStatus, ...]:
        if self is Basis.HIRED:
            return (CandidateStatus.HIRED,)
        return (CandidateStatus.SHORTLISTED, CandidateStatus.HIRED)

    @property
    def decided(self) -> tuple[CandidateStatus, ...]:
        return (*self.selected, CandidateStatus.REJECTED)

    @property
    def label(self) -> str:
        return "hired" if self is Basis.HIRED else "shortlisted or hired"


# A group with fewer candidates than this is not shown: a recruiter who knows the few
# candidates could tell who answered what. Its candidates are counted as "not shown".
MIN_GROUP_SHOWN = 5


@dataclass(frozen=True)
class CategoryImpact:
    category: Category
    impact: adverse_impact.AdverseImpact
    prefer_not: int  # decided candidates who preferred not to say: not compared
    not_answered: int  # decided candidates who left the question (or the form) out
    hidden: int = 0  # candidates in groups under MIN_GROUP_SHOWN, left out for privacy


@dataclass(frozen=True)
class FairnessReport:
    basis: Basis
    assessed: int  # candidates who handed in
    selected: int  # selected on this basis
    undecided: int  # handed in, no decision yet on this basis: left out of the rates
    categories: list[CategoryImpact]

    @property
    def decided(self) -> int:
        return self.assessed - self.undecided


def fairness_report(opening: Opening, basis: Basis = Basis.SHORTLISTED) -> FairnessReport:
    """The four-fifths comparison per self-identification category among the decided
    candidates: counts only (1 + one query per category). Groups under MIN_GROUP_SHOWN
    are left out of the comparison and only counted together, so no one's answer can
    be inferred."""
    is_selected = case((Candidate.status.in_(basis.selected), 1), else_=0)
    is_decided = case((Candidate.status.in_(basis.decided), 1), else_=0)
    assessed, selected, decided = db.session.execute(
        select(func.count(), func.sum(is_selected), func.sum(is_decided)).where(
            Candidate.opening_id == opening.id, Candidate.status.in_(ANSWERED)
        )
    ).one()
    assessed, decided = int(assessed or 0), int(decided or 0)
    categories = [
        _category(opening, basis, category, decided, is_selected) for category in CATEGORIES
    ]
    return FairnessReport(basis, assessed, int(selected or 0), assessed - decided, categories)


def _category(
    opening: Opening,
    basis: Basis,
    category: Category,
    decided: int,
    is_selected: ColumnElement[int],
) -> CategoryImpact:
    """One category's comparison among the decided candidates (1 query)."""
    column = getattr(SelfIdentification, category.field)
    counts = {
        group: (int(chosen or 0), int(total))
        for group, total, chosen in db.session.execute(
            select(column, func.count(), func.sum(is_selected))
            .join(Candidate, Candidate.id == SelfIdentification.candidate_id)
            .where(
                Candidate.opening_id == opening.id,
                Candidate.status.in_(basis.decided),
                column.is_not(None),
            )
            .group_by(column)
        )
    }
    given = {group: counts[group] for group in category.choices if group in counts}
    compared = {g: c for g, c in given.items() if c[1] >= MIN_GROUP_SHOWN}
    hidden = sum(total for g, (_chosen, total) in given.items() if g not in compared)
    prefer_not = counts.get(PREFER_NOT, (0, 0))[1]
    answered = sum(total for _chosen, total in given.values()) + prefer_not
    return CategoryImpact(
        category, adverse_impact.four_fifths(compared), prefer_not, decided - answered, hidden
    )
