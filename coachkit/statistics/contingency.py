"""Two groups' selection counts compared: Fisher's exact test and the ratio of their
selection rates with its confidence interval.

A 2 x 2 table here is (selected, total) for a focal group and for a reference group.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from math import comb, exp, log, sqrt

from coachkit.statistics.distributions import normal_quantile

# Tables whose probability is within this relative distance of the observed table's
# count as "as extreme" (the same tolerance as R's fisher.test and scipy's fisher_exact,
# so that ties computed with rounding are not lost).
_RELATIVE_TIE = Fraction(1, 10_000_000)


def _check(selected: int, total: int) -> None:
    if not 0 <= selected <= total:
        raise ValueError("selected must be between 0 and total")


def fisher_exact(focal: tuple[int, int], reference: tuple[int, int]) -> float:
    """Two-sided p of Fisher's exact test for two groups' (selected, total).

    With the margins fixed, the number selected in the focal group follows the
    hypergeometric distribution; p is the probability of every table no more likely
    than the observed one (the "minimum likelihood" two-sided test of R and scipy).
    Computed with exact integers; 1.0 when nobody or everybody was selected.
    """
    (a, n1), (c, n2) = focal, reference
    _check(a, n1)
    _check(c, n2)
    chosen = a + c
    # Weight of x selected in the focal group: C(n1, x) C(n2, chosen - x); the
    # probability divides by C(n1 + n2, chosen), which cancels in the comparison.
    low, high = max(0, chosen - n2), min(chosen, n1)
    weights = [comb(n1, x) * comb(n2, chosen - x) for x in range(low, high + 1)]
    observed = weights[a - low]
    limit = observed * (1 + _RELATIVE_TIE)
    extreme = sum(weight for weight in weights if weight <= limit)
    return float(min(Fraction(1), Fraction(extreme, comb(n1 + n2, chosen))))


@dataclass(frozen=True)
class RatioInterval:
    low: float
    high: float


def rate_ratio_interval(
    focal: tuple[int, int], reference: tuple[int, int], confidence: float = 0.95
) -> RatioInterval | None:
    """Confidence interval for the ratio of selection rates (focal / reference) by the
    log method of Katz et al. (1978):

        exp(ln(r) -+ z * sqrt(1/a - 1/n1 + 1/c - 1/n2)),  r = (a / n1) / (c / n2)

    None where the sample does not allow it: nobody selected in either group (the log
    of 0 is undefined) or an empty group.
    """
    (a, n1), (c, n2) = focal, reference
    _check(a, n1)
    _check(c, n2)
    if a == 0 or c == 0:
        return None
    ratio = (a / n1) / (c / n2)
    spread = normal_quantile(0.5 + confidence / 2) * sqrt(1 / a - 1 / n1 + 1 / c - 1 / n2)
    return RatioInterval(exp(log(ratio) - spread), exp(log(ratio) + spread))
