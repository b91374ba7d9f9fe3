"""Paired differences (after minus before, per person): the mean with its 95%
confidence interval from Student's t, computed here without scipy.

The t quantile is found by bisection on the t distribution's CDF, written through
the regularised incomplete beta function of `distributions`; accurate to about 1e-12.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean, stdev

from coachkit.statistics.distributions import beta_cdf


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with `df` degrees of freedom."""
    if t * t < df:  # near the centre, the form that keeps its precision there
        half = beta_cdf(t * t / (df + t * t), 0.5, df / 2) / 2
        return 0.5 + half if t >= 0 else 0.5 - half
    tail = beta_cdf(df / (df + t * t), df / 2, 0.5) / 2
    return 1 - tail if t >= 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The t value below which a share `p` of Student's t with `df` degrees of freedom
    lies (scipy.stats.t.ppf)."""
    if not 0 < p < 1 or df <= 0:
        raise ValueError("t_quantile needs 0 < p < 1 and df > 0")
    if p < 0.5:
        return -t_quantile(1 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        low, high = high, high * 2
    for _ in range(200):
        middle = (low + high) / 2
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-13 * max(1.0, high):
            break
    return (low + high) / 2


@dataclass(frozen=True)
class Difference:
    """The mean of paired differences with its confidence interval."""

    n: int
    mean: float
    low: float | None  # None for a single pair
    high: float | None

    @property
    def clear(self) -> bool:
        """Whether the interval leaves out no change at all."""
        return self.low is not None and self.high is not None and (self.low > 0 or self.high < 0)


def mean_difference(
    before: Sequence[float], after: Sequence[float], level: float = 0.95
) -> Difference | None:
    """Mean of after - before per pair, with its `level` interval (as
    scipy.stats.ttest_rel(after, before).confidence_interval(level)). None without pairs."""
    if len(before) != len(after):
        raise ValueError("mean_difference needs pairs: the two sequences differ in length")
    differences = [a - b for a, b in zip(after, before, strict=True)]
    if not differences:
        return None
    mean = fmean(differences)
    if len(differences) < 2:
        return Difference(1, mean, None, None)
    spread = stdev(differences)
    half = (
        t_quantile(1 - (1 - level) / 2, len(differences) - 1) * spread / math.sqrt(len(differences))
    )
    return Difference(len(differences), mean, mean - half, mean + half)


def difference_from_sums(
    n: int, total: float, squares: float, level: float = 0.95
) -> Difference | None:
    """The same as `mean_difference`, from the count, sum and sum of squares of the
    differences (as a database aggregates them)."""
    if n < 1:
        return None
    mean = total / n
    if n < 2:
        return Difference(1, mean, None, None)
    spread = math.sqrt(max(0.0, (squares - n * mean * mean) / (n - 1)))
    half = t_quantile(1 - (1 - level) / 2, n - 1) * spread / math.sqrt(n)
    return Difference(n, mean, mean - half, mean + half)
