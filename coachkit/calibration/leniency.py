"""Leniency and severity: does a manager rate higher or lower than their peers?

For each of a manager's coaching ratings, the offset is the rating minus the mean of
every other manager's ratings of the same skill; the manager's lean is the mean offset
with a t interval. Every figure comes from the coaches' totals per skill (count, sum,
sum of squares: `coaching.models.COACH_SKILL_TOTALS`), a row per coach and skill, so
the cost does not grow with the number of ratings.

The interval treats the offsets as independent; ratings of the same person by the same
manager are not quite, so read it as a guide to the size of the lean, not a verdict.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from coachkit.coaching.models import CoachSkillTotal
from coachkit.extensions import db
from coachkit.statistics.paired import difference_from_sums

# Fewer coaching ratings than this and a lean is not worth reading.
MIN_RATINGS = 10


@dataclass(frozen=True)
class Lean:
    n: int
    mean: float | None  # mean offset from peers, in rating points
    low: float | None
    high: float | None

    @property
    def words(self) -> str:
        if self.n == 0:
            return "No coaching ratings with peers' ratings of the same skills yet."
        if self.n < MIN_RATINGS or self.mean is None or self.low is None or self.high is None:
            return f"Too few coaching ratings to judge ({self.n}; {MIN_RATINGS} needed)."
        size = f"{abs(self.mean):.2f} points"
        if self.low > 0:
            return f"Rates higher than peers (lenient) by about {size}."
        if self.high < 0:
            return f"Rates lower than peers (severe) by about {size}."
        return "In line with peers: the interval includes no difference."


@dataclass
class _Sums:
    n: int = 0
    total: float = 0.0
    squares: float = 0.0


def _sums(coach_ids: list[int]) -> dict[int, dict[str, _Sums]]:
    """Per coach of `coach_ids` and skill: count, sum and sum of squares of their
    coaching ratings (a few rows per coach)."""
    rows = db.session.execute(
        select(
            CoachSkillTotal.coach_id,
            CoachSkillTotal.skill,
            CoachSkillTotal.ratings,
            CoachSkillTotal.total,
            CoachSkillTotal.squares,
        ).where(CoachSkillTotal.coach_id.in_(coach_ids), CoachSkillTotal.ratings > 0)
    )
    sums: dict[int, dict[str, _Sums]] = defaultdict(dict)
    for coach_id, skill, n, total, squares in rows:
        sums[coach_id][skill] = _Sums(n, float(total), float(squares))
    return sums


def _everyone() -> dict[str, _Sums]:
    """Per skill: the same sums over every coach, added up by the database (a row per
    skill however many coaches there are)."""
    rows = db.session.execute(
        select(
            CoachSkillTotal.skill,
            func.sum(CoachSkillTotal.ratings),
            func.sum(CoachSkillTotal.total),
            func.sum(CoachSkillTotal.squares),
        ).group_by(CoachSkillTotal.skill)
    )
    return defaultdict(
        _Sums, {skill: _Sums(int(n), float(t), float(q)) for skill, n, t, q in rows if n}
    )


def leans(coach_ids: Iterable[int]) -> dict[int, Lean]:
    """Each coach's lean against every other coach rating the same skills."""
    wanted = list(coach_ids)
    sums, everyone = _sums(wanted), _everyone()
    return {coach_id: _lean(sums.get(coach_id, {}), everyone) for coach_id in wanted}


def _lean(mine: dict[str, _Sums], everyone: dict[str, _Sums]) -> Lean:
    n, offset_sum, offset_squares = 0, 0.0, 0.0
    for skill, s in mine.items():
        peers_n = everyone[skill].n - s.n
        if peers_n == 0:
            continue
        peer_mean = (everyone[skill].total - s.total) / peers_n
        # sum over my ratings r of (r - p) and (r - p)^2, from the sums alone
        n += s.n
        offset_sum += s.total - s.n * peer_mean
        offset_squares += s.squares - 2 * peer_mean * s.total + s.n * peer_mean**2
    found = difference_from_sums(n, offset_sum, offset_squares)
    if found is None:
        return Lean(0, None, None, None)
    return Lean(n, found.mean, found.low, found.high)
