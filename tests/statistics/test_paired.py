"""Paired differences and the t quantile against scipy."""

from __future__ import annotations

import pytest
from scipy import stats

from coachkit.statistics.paired import (
    difference_from_sums,
    mean_difference,
    t_cdf,
    t_quantile,
)

BEFORE = [2.0, 3.0, 2.5, 3.5, 2.0, 3.0, 4.0, 2.5]
AFTER = [3.0, 3.5, 2.5, 4.0, 3.0, 3.5, 4.0, 3.5]


@pytest.mark.parametrize("df", [1, 2, 3, 4, 7, 10, 29, 120, 1000])
@pytest.mark.parametrize("p", [0.5, 0.9, 0.975, 0.995, 0.025])
def test_t_quantile_matches_scipy(p: float, df: int) -> None:
    assert t_quantile(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(("t", "df"), [(-3.2, 2), (0.0, 5), (1.7, 9), (2.5, 40)])
def test_t_cdf_matches_scipy(t: float, df: int) -> None:
    assert t_cdf(t, df) == pytest.approx(stats.t.cdf(t, df), abs=1e-12)


def test_mean_difference_matches_ttest_rel() -> None:
    found = mean_difference(BEFORE, AFTER)
    expected = stats.ttest_rel(AFTER, BEFORE).confidence_interval(0.95)
    assert found is not None
    assert found.n == len(BEFORE)
    assert found.mean == pytest.approx(sum(AFTER) / 8 - sum(BEFORE) / 8)
    assert (found.low, found.high) == pytest.approx((expected.low, expected.high), abs=1e-10)
    assert found.clear


def test_mean_difference_edges() -> None:
    assert mean_difference([], []) is None
    single = mean_difference([2.0], [3.0])
    assert single is not None and single.low is None and not single.clear
    flat = mean_difference([2.0, 3.0], [3.0, 4.0])
    assert flat is not None and (flat.low, flat.high) == (1.0, 1.0)
    with pytest.raises(ValueError):
        mean_difference([1.0], [1.0, 2.0])
    with pytest.raises(ValueError):
        t_quantile(1.0, 3)


def test_difference_from_sums_matches_ttest_rel() -> None:
    differences = [a - b for a, b in zip(AFTER, BEFORE, strict=True)]
    found = difference_from_sums(
        len(differences), sum(differences), sum(d * d for d in differences)
    )
    expected = stats.ttest_rel(AFTER, BEFORE).confidence_interval(0.95)
    assert found is not None and found.n == 8
    assert (found.low, found.high) == pytest.approx((expected.low, expected.high), abs=1e-10)
    assert difference_from_sums(0, 0.0, 0.0) is None
    assert difference_from_sums(1, 2.0, 4.0) == mean_difference([1.0], [3.0])
