"""Fisher's exact test and the impact ratio's interval against scipy on fixed cases."""

from __future__ import annotations

import pytest
from scipy import stats
from scipy.stats.contingency import relative_risk

from coachkit.statistics.contingency import fisher_exact, rate_ratio_interval

# (focal selected, focal total), (reference selected, reference total)
CASES = [
    ((3, 10), (8, 10)),
    ((0, 5), (5, 5)),
    ((12, 40), (48, 80)),  # the Uniform Guidelines' Q&A 12 example
    ((1, 30), (6, 30)),
    ((7, 12), (7, 12)),  # equal rates: p = 1
    ((2, 50), (9, 45)),
    ((150, 400), (210, 420)),
    ((4, 20), (8, 20)),
    ((39, 49), (10, 10)),
    ((0, 7), (0, 9)),  # nobody selected
]


@pytest.mark.parametrize(("focal", "reference"), CASES)
def test_fisher_exact_matches_scipy(focal, reference):
    (a, n1), (c, n2) = focal, reference
    expected = stats.fisher_exact([[a, n1 - a], [c, n2 - c]], alternative="two-sided").pvalue
    assert fisher_exact(focal, reference) == pytest.approx(expected, rel=1e-9, abs=1e-15)


def test_fisher_exact_is_symmetric_in_the_groups():
    assert fisher_exact((3, 10), (8, 10)) == pytest.approx(fisher_exact((8, 10), (3, 10)))


@pytest.mark.parametrize(("focal", "reference"), [c for c in CASES if c[0][0] and c[1][0]])
def test_rate_ratio_interval_matches_scipy_katz(focal, reference):
    (a, n1), (c, n2) = focal, reference
    expected = relative_risk(a, n1, c, n2).confidence_interval(confidence_level=0.95)
    interval = rate_ratio_interval(focal, reference)
    assert interval is not None
    assert (interval.low, interval.high) == pytest.approx((expected.low, expected.high), rel=1e-9)
    assert interval.low < (a / n1) / (c / n2) < interval.high


def test_rate_ratio_interval_needs_someone_selected_in_both_groups():
    assert rate_ratio_interval((0, 10), (5, 10)) is None
    assert rate_ratio_interval((5, 10), (0, 10)) is None


def test_contingency_rejects_impossible_counts():
    with pytest.raises(ValueError, match="between 0 and total"):
        fisher_exact((5, 4), (1, 2))
    with pytest.raises(ValueError, match="between 0 and total"):
        rate_ratio_interval((1, 2), (-1, 2))
