"""How the agreement report turns ratings into one figure and one flag."""

from __future__ import annotations

import pytest

from coachkit.hiring.reports.statistics import figure
from coachkit.statistics.agreement import icc_2_1, icc_2_k, krippendorff_alpha, weighted_kappa
from coachkit.statistics.bootstrap import alpha_interval


def units_of(columns: dict[int, list[int | None]]) -> dict:
    """{(candidate, item, skill): {rater: rating}} from each rater's column."""
    count = len(next(iter(columns.values())))
    return {
        (candidate, "reply", "ownership"): {
            rater: column[candidate] for rater, column in columns.items() if column[candidate]
        }
        for candidate in range(count)
    }


# Two raters whose quadratic kappa (0.617, "substantial") used to pass while the same
# data's alpha (0.640) is below 0.667: with kappa for two raters and alpha for three, a
# third rater joining flipped the flag without anyone rating differently.
TWO = {1: [4, 4, 5, 4, 5, 2, 2, 3], 2: [3, 3, 5, 5, 5, 1, 4, 4]}


def test_one_coefficient_family_whatever_the_number_of_raters():
    two = figure(units_of(TWO))
    table = list(zip(*TWO.values(), strict=True))
    assert weighted_kappa(table) == pytest.approx(0.617, abs=5e-4)
    assert two.value == pytest.approx(krippendorff_alpha(table, "interval")) == 0.64
    assert two.needs_calibration
    three = figure(units_of({**TWO, 3: TWO[1]}))
    assert three.value == pytest.approx(
        krippendorff_alpha(list(zip(*TWO.values(), TWO[1], strict=True)), "interval")
    )
    # Both flags read alpha against the same 0.667.
    assert two.needs_calibration == (two.value < 0.667)
    assert three.needs_calibration == (three.value < 0.667)


def test_raters_who_agree_without_variation_are_not_too_early_to_tell():
    same = figure(units_of({1: [3, 3, 3, 3], 2: [3, 3, 3, 3]}))
    assert same.value is None and same.no_variation and not same.needs_calibration
    assert "same score" in same.words and same.percent.exact == 1.0
    nothing = figure(units_of({1: [3, 4, 2]}))
    assert nothing.value is None and not nothing.no_variation and nothing.single == 3


def test_percent_agreement_and_both_iccs_stand_beside_alpha():
    f = figure(units_of(TWO))
    # Pairs: (4,3) (4,3) (5,5) (4,5) (5,5) (2,1) (2,4) (3,4): 2 exact, 7 within one.
    assert (f.percent.pairs, f.percent.exact, f.percent.within_one) == (8, 2 / 8, 7 / 8)
    table = [list(pair) for pair in zip(*TWO.values(), strict=True)]
    assert f.icc == pytest.approx(icc_2_1(table))
    assert f.icc_mean == pytest.approx(icc_2_k(table))
    assert "reliability" in f.icc_mean_words


def test_the_bootstrap_interval_appears_from_ten_units():
    nine = {1: [*TWO[1], 1], 2: [*TWO[2], 1]}
    assert figure(units_of(nine)).interval is None
    ten = {1: [*nine[1], 5], 2: [*nine[2], 4]}
    f = figure(units_of(ten))
    assert f.interval == alpha_interval(list(zip(*ten.values(), strict=True)))
    assert f.interval is not None and f.interval.low < f.value < f.interval.high
