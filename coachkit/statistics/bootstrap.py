"""A bootstrap confidence interval for interval-level Krippendorff's alpha.

Units (the answers rated) are resampled with replacement, as Hayes & Krippendorff
(2007) do, and the interval is the 2.5th and 97.5th percentiles of the resampled
alphas. The seed is fixed, so the same ratings always give the same interval, and the
work is bounded: RESAMPLES resamples up to MAX_DRAWS units drawn in all; past that,
fewer resamples (never under MIN_RESAMPLES, so at most MIN_RESAMPLES times the work of
alpha itself). The reports cache the result by their scores revision.

At the interval level alpha reduces to sums over units, which makes each resample a
few additions per unit instead of a new coincidence matrix: with m ratings x_i in a
unit, its observed disagreement is sum_{i != j} (x_i - x_j)^2 / (m - 1) and, over all
N pairable ratings with sums S1 = sum x and S2 = sum x^2, the expected disagreement is
sum_c sum_k n_c n_k (c - k)^2 = 2 N S2 - 2 S1^2, so

    alpha = 1 - (N - 1) * sum(observed) / (2 N S2 - 2 S1^2)
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from math import ceil, floor

# Hayes & Krippendorff recommend 1,000 or more resamples; fewer are used only when
# there are so many units that 1,000 would cost more than MAX_DRAWS unit draws.
RESAMPLES = 1000
MIN_RESAMPLES = 200
MAX_DRAWS = 500_000
MIN_UNITS = 10  # below this, resampling a handful of units says little
SEED = 20261206


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


UnitSums = tuple[int, float, float, float]  # ratings, sum, sum of squares, observed


def _sums(ratings: Sequence[float]) -> UnitSums:
    m = len(ratings)
    s1 = float(sum(ratings))
    s2 = float(sum(x * x for x in ratings))
    return m, s1, s2, (2 * m * s2 - 2 * s1 * s1) / (m - 1)


def interval_alpha(units: Sequence[UnitSums]) -> float | None:
    """Interval alpha from per-unit sums; None when the ratings do not vary."""
    n = sum(unit[0] for unit in units)
    s1 = sum(unit[1] for unit in units)
    s2 = sum(unit[2] for unit in units)
    expected = 2 * n * s2 - 2 * s1 * s1
    if expected <= 1e-9 * max(1.0, n * s2):
        return None
    return 1 - (n - 1) * sum(unit[3] for unit in units) / expected


def resamples_for(units: int) -> int:
    """How many resamples for this many units: RESAMPLES, fewer only when that many
    would draw more than MAX_DRAWS units, never fewer than MIN_RESAMPLES."""
    return max(MIN_RESAMPLES, min(RESAMPLES, MAX_DRAWS // max(units, 1)))


def alpha_interval(
    units: Sequence[Sequence[float | None]], confidence: float = 0.95, seed: int = SEED
) -> Interval | None:
    """Percentile bootstrap interval of interval-level Krippendorff's alpha.

    Units with fewer than two ratings are left out, as alpha leaves them out. None with
    fewer than MIN_UNITS pairable units, or when more resamples than the interval's
    tail have no variation at all (alpha undefined), so no honest interval exists.
    """
    pairable = [[x for x in unit if x is not None] for unit in units]
    sums = [_sums(ratings) for ratings in pairable if len(ratings) >= 2]
    if len(sums) < MIN_UNITS:
        return None
    resamples = resamples_for(len(sums))
    rng = random.Random(seed)  # noqa: S311 - reproducible resampling, not security
    alphas = []
    for _ in range(resamples):
        value = interval_alpha(rng.choices(sums, k=len(sums)))
        if value is not None:
            alphas.append(value)
    tail = (1 - confidence) / 2
    if resamples - len(alphas) > floor(tail * resamples):
        return None
    alphas.sort()
    # Undefined resamples (no variation, perfect agreement) count as the top values.
    alphas += [1.0] * (resamples - len(alphas))
    low = alphas[floor(tail * resamples)]
    high = alphas[ceil((1 - tail) * resamples) - 1]
    return Interval(low, high)
