"""The few probability distributions the statistics need, written out so nothing heavier
than the standard library is needed at run time: the normal quantile (the standard
library's NormalDist), the regularized incomplete beta function and the F distribution
built on it. Tests compare them with scipy.
"""

from __future__ import annotations

from math import exp, lgamma, log, log1p
from statistics import NormalDist

_TINY = 1e-300
_EPSILON = 1e-15
_MAX_TERMS = 10_000


def normal_quantile(p: float) -> float:
    """The standard normal distribution's p-quantile (1.959964 for 0.975)."""
    return NormalDist().inv_cdf(p)


def _beta_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the incomplete beta function, evaluated by the modified
    Lentz method (Press et al., Numerical Recipes, 3rd ed., section 6.4)."""
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    result = d
    for m in range(1, _MAX_TERMS + 1):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > _TINY else _TINY)
            c = 1.0 + numerator / c
            c = c if abs(c) > _TINY else _TINY
            result *= c * d
        if abs(c * d - 1.0) < _EPSILON:
            break
    return result


def beta_cdf(x: float, a: float, b: float) -> float:
    """The regularized incomplete beta function I_x(a, b): P(X <= x) for X ~ Beta(a, b)."""
    if a <= 0 or b <= 0:
        raise ValueError("the beta distribution's parameters must be positive")
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x))
    # The fraction converges fast on this side of the mean; use symmetry on the other.
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def f_cdf(x: float, d1: float, d2: float) -> float:
    """P(F <= x) for Snedecor's F with d1 and d2 degrees of freedom."""
    if x <= 0:
        return 0.0
    return beta_cdf(d1 * x / (d1 * x + d2), d1 / 2, d2 / 2)


def f_quantile(p: float, d1: float, d2: float) -> float:
    """The p-quantile of F(d1, d2), found by bisection on the beta scale (to about
    1e-15 in y = d1 x / (d1 x + d2), which fixes x to many more digits than shown)."""
    if not 0 < p < 1:
        raise ValueError("p must lie strictly between 0 and 1")
    low, high = 0.0, 1.0
    for _ in range(200):
        middle = (low + high) / 2
        if middle in (low, high):
            break
        if beta_cdf(middle, d1 / 2, d2 / 2) < p:
            low = middle
        else:
            high = middle
    y = (low + high) / 2
    return d2 * y / (d1 * (1 - y))
