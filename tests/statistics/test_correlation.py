"""Correlations, their intervals and the range-restriction correction against scipy
and a textbook example."""

from __future__ import annotations

import math

import pytest
from scipy import stats

from coachkit.statistics.correlation import (
    SPEARMAN_VARIANCE,
    fisher_interval,
    pearson,
    ranks,
    spearman,
    thorndike_case2,
)

SCREENING = [2.4, 3.1, 3.8, 2.9, 4.5, 3.3, 4.0, 2.2, 3.6, 4.8, 3.0, 3.9]
COACHING = [2.0, 3.5, 3.0, 3.0, 4.5, 2.5, 4.0, 2.5, 3.5, 4.0, 3.0, 4.5]  # ties on purpose


def test_pearson_matches_scipy() -> None:
    assert pearson(SCREENING, COACHING) == pytest.approx(
        stats.pearsonr(SCREENING, COACHING).statistic, abs=1e-12
    )


def test_spearman_matches_scipy_with_ties() -> None:
    assert ranks(COACHING) == pytest.approx(list(stats.rankdata(COACHING)))
    assert spearman(SCREENING, COACHING) == pytest.approx(
        stats.spearmanr(SCREENING, COACHING).statistic, abs=1e-12
    )


def test_fisher_interval_matches_scipy_pearson_interval() -> None:
    result = stats.pearsonr(SCREENING, COACHING)
    expected = result.confidence_interval(confidence_level=0.95)
    low, high = fisher_interval(result.statistic, len(SCREENING))
    assert (low, high) == pytest.approx((expected.low, expected.high), abs=1e-9)


def test_spearman_interval_uses_the_fieller_variance() -> None:
    rho = spearman(SCREENING, COACHING)
    n = len(SCREENING)
    half = stats.norm.ppf(0.975) * math.sqrt(SPEARMAN_VARIANCE / (n - 3))
    expected = (math.tanh(math.atanh(rho) - half), math.tanh(math.atanh(rho) + half))
    assert fisher_interval(rho, n, SPEARMAN_VARIANCE) == pytest.approx(expected, abs=1e-12)


def test_no_figure_without_enough_pairs_or_spread() -> None:
    assert pearson([1, 2], [2, 3]) is None
    assert pearson([1, 2, 3], [4, 4, 4]) is None
    assert fisher_interval(0.5, 3) is None
    assert fisher_interval(1.0, 10) == (1.0, 1.0)
    with pytest.raises(ValueError):
        pearson([1, 2, 3], [1, 2])


def test_thorndike_case2_textbook_example() -> None:
    # Hunter & Schmidt style worked example: r = .30 among hires whose predictor SD is
    # half the pool's (u = 2): R = .3 * 2 / sqrt(1 - .09 + .09 * 4) = .6 / sqrt(1.27).
    corrected = thorndike_case2(0.30, sd_restricted=5.0, sd_unrestricted=10.0)
    assert corrected == pytest.approx(0.6 / math.sqrt(1.27), abs=1e-12)
    assert corrected == pytest.approx(0.5324, abs=1e-4)
    # No restriction, no change; a negative r keeps its sign.
    assert thorndike_case2(0.4, 1.0, 1.0) == pytest.approx(0.4)
    assert thorndike_case2(-0.3, 5.0, 10.0) == pytest.approx(-corrected)
    assert thorndike_case2(0.3, 0.0, 1.0) is None
