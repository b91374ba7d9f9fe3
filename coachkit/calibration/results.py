"""What a round shows once ratings are in: each manager's rating of each skill against
the group, how far the managers agree, and each manager's lean over all their coaching.

Agreement uses the hiring reports' statistics (`coachkit.statistics.agreement`): the
interval Krippendorff alpha over the round's skills, and the share of pairs of managers
who gave the same rating or ratings at most one point apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean, pstdev

from coachkit.calibration.models import CalibrationRound, CalibrationSeat
from coachkit.statistics.agreement import (
    CALIBRATION_THRESHOLD,
    GOOD_AGREEMENT,
    krippendorff_alpha,
    percent_agreement,
)

# A rating this far (in points) from the others' mean is worth talking about.
TALKING_POINT = 1.0


@dataclass(frozen=True)
class SkillRow:
    skill: str
    ratings: list[int | None]  # per submitted seat, in seat order
    mean: float | None
    spread: float | None  # population standard deviation of the ratings given
    lowest: int | None
    highest: int | None

    def apart(self, index: int) -> bool:
        """Whether seat `index`'s rating is a talking point: `TALKING_POINT` or more
        from the mean of the other managers' ratings of this skill."""
        mine = self.ratings[index]
        others = [r for i, r in enumerate(self.ratings) if i != index and r is not None]
        return mine is not None and bool(others) and abs(mine - fmean(others)) >= TALKING_POINT


@dataclass(frozen=True)
class Agreement:
    raters: int
    alpha: float | None
    exact: float | None  # share of rater pairs per skill with the same rating
    within_one: float | None
    pairs: int

    @property
    def no_variation(self) -> bool:
        """Every manager gave every skill the same rating: alpha is undefined because
        there is nothing to disagree about, which is full agreement, not missing data."""
        return self.alpha is None and self.pairs > 0 and self.exact == 1.0


def skill_rows(round_: CalibrationRound, seats: Sequence[CalibrationSeat]) -> list[SkillRow]:
    """One row per skill of the round, with each submitted seat's rating."""
    given = [{r.skill: r.rating for r in seat.ratings} for seat in seats]
    rows = []
    for skill in round_.skills:
        ratings = [ratings.get(skill) for ratings in given]
        present = [r for r in ratings if r is not None]
        rows.append(
            SkillRow(
                skill,
                ratings,
                fmean(present) if present else None,
                pstdev(present) if len(present) > 1 else None,
                min(present, default=None),
                max(present, default=None),
            )
        )
    return rows


def agreement(rows: Sequence[SkillRow]) -> Agreement:
    """Agreement over the round's skills (the units), each rated by every manager."""
    units = [[float(r) if r is not None else None for r in row.ratings] for row in rows]
    raters = len(rows[0].ratings) if rows else 0
    shares = percent_agreement(units)
    return Agreement(
        raters,
        krippendorff_alpha(units, "interval") if raters >= 2 else None,
        shares.exact,
        shares.within_one,
        shares.pairs,
    )


def interpret(found: Agreement) -> str:
    """Plain words for the round's agreement."""
    if found.raters < 2:
        return "Agreement shows once at least two managers have handed in."
    if found.no_variation:
        return "Every manager gave every skill the same rating: full agreement."
    if found.alpha is None:
        return "Too few ratings to measure agreement."
    if found.alpha >= GOOD_AGREEMENT:
        return "The managers rate this conversation alike."
    if found.alpha >= CALIBRATION_THRESHOLD:
        return "The managers mostly agree; talk through the skills marked below."
    return (
        "The managers read this conversation differently: agree on what each rating "
        "looks like before rating real sessions."
    )
