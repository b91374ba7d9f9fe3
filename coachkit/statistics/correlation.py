"""Correlation between two measures of the same people: Pearson's r, Spearman's rho,
their 95% confidence intervals (Fisher's z), and Thorndike's case 2 correction for a
restricted range.

Pure functions over plain numbers; None where the figure does not exist (fewer than
three pairs, or a measure that does not vary).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import fmean

from coachkit.statistics.distributions import normal_quantile

Z_95 = normal_quantile(0.975)  # 1.959963984540054
# Fieller, Hartley and Pearson (1957): the variance of Fisher's z of Spearman's rho.
SPEARMAN_VARIANCE = 1.06


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's product-moment correlation of paired values."""
    if len(xs) != len(ys):
        raise ValueError("pearson needs pairs: the two sequences differ in length")
    if len(xs) < 3:
        return None
    mean_x, mean_y = fmean(xs), fmean(ys)
    dx = [x - mean_x for x in xs]
    dy = [y - mean_y for y in ys]
    sxx = math.fsum(d * d for d in dx)
    syy = math.fsum(d * d for d in dy)
    if sxx == 0 or syy == 0:
        return None
    r = math.fsum(a * b for a, b in zip(dx, dy, strict=True)) / math.sqrt(sxx * syy)
    return max(-1.0, min(1.0, r))


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks, ties sharing their mean rank (as scipy.stats.rankdata)."""
    order = sorted(range(len(values)), key=values.__getitem__)
    result = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            result[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return result


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Spearman's rank correlation: Pearson's r of the ranks (ties averaged)."""
    if len(xs) != len(ys):
        raise ValueError("spearman needs pairs: the two sequences differ in length")
    return pearson(ranks(xs), ranks(ys))


def fisher_interval(
    r: float, n: int, variance: float = 1.0, z: float = Z_95
) -> tuple[float, float] | None:
    """The 95% confidence interval of a correlation `r` of `n` pairs through Fisher's
    z = atanh(r), whose standard error is sqrt(variance / (n - 3)): variance 1 for
    Pearson, SPEARMAN_VARIANCE for Spearman. None below four pairs."""
    if n < 4:
        return None
    if abs(r) >= 1:
        return (r, r)
    centre = math.atanh(r)
    half = z * math.sqrt(variance / (n - 3))
    return (math.tanh(centre - half), math.tanh(centre + half))


def thorndike_case2(r: float, sd_restricted: float, sd_unrestricted: float) -> float | None:
    """The correlation in the whole applicant pool estimated from `r` among those
    selected (Thorndike's case 2; Hunter and Schmidt's direct range restriction).

    Assumes selection was made directly on the predictor (the screening score), and
    that the predictor-criterion relation is linear with the same spread of the
    criterion at every predictor score (homoscedastic). `sd_restricted` is the
    predictor's spread among the selected, `sd_unrestricted` in the pool."""
    if sd_restricted <= 0 or sd_unrestricted <= 0:
        return None
    u = sd_unrestricted / sd_restricted
    return r * u / math.sqrt(1 - r * r + r * r * u * u)
