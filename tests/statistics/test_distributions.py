"""The hand-written distributions against scipy."""

from __future__ import annotations

import pytest
from scipy import stats

from coachkit.statistics.distributions import beta_cdf, f_cdf, f_quantile, normal_quantile


@pytest.mark.parametrize(
    ("x", "a", "b"), [(0.3, 2, 3), (0.9, 0.5, 0.5), (0.01, 4.5, 90), (0.5, 500, 400), (0.7, 1, 1)]
)
def test_beta_cdf_matches_scipy(x, a, b):
    assert beta_cdf(x, a, b) == pytest.approx(stats.beta.cdf(x, a, b), rel=1e-9, abs=1e-300)


@pytest.mark.parametrize(
    ("p", "d1", "d2"),
    [
        (0.025, 9, 45),
        (0.975, 9, 45),
        (0.5, 1, 1),
        (0.975, 99, 9801),
        (0.025, 29, 145),
        (0.999, 2, 3),
    ],
)
def test_f_quantile_matches_scipy(p, d1, d2):
    x = f_quantile(p, d1, d2)
    assert x == pytest.approx(stats.f.ppf(p, d1, d2), rel=1e-9)
    assert f_cdf(x, d1, d2) == pytest.approx(p, rel=1e-9)


def test_normal_quantile_matches_scipy():
    assert normal_quantile(0.975) == pytest.approx(stats.norm.ppf(0.975), rel=1e-12)


def test_distributions_reject_impossible_arguments():
    with pytest.raises(ValueError, match="strictly between"):
        f_quantile(1.0, 2, 3)
    with pytest.raises(ValueError, match="positive"):
        beta_cdf(0.5, 0, 1)
    assert (beta_cdf(0, 2, 3), beta_cdf(1, 2, 3), f_cdf(-1, 2, 3)) == (0.0, 1.0, 0.0)
