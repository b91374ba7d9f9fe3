"""Paired differences (after minus before, per person): the mean with its 95%
confidence interval from Student's t, computed here without scipy.

The t quantile is found by bisection on the t distribution's CDF, written through
the regularised incomplete beta function (a continued fraction, Lentz's method, as in
Numerical Recipes 6.4); accurate to about 1e-12.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean, stdev

_EPSILON = 1e-15
_TINY = 1e-300


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function (modified Lentz)."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > _TINY else _TINY)
    fraction = d
    for m in range(1, 500):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > _TINY else _TINY)
            c = 1 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            fraction *= c * d
        if abs(c * d - 1) < _EPSILON:
            break
    return fraction


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b), for 0 <= x <= 1."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _beta_fraction(a, b, x) / a
    return 1 - math.exp(log_front) * _beta_fraction(b, a, 1 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with `df` degrees of freedom."""
    tail = incomplete_beta(df / 2, 0.5, df / (df + t * t)) / 2
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
