"""Agreement coefficients against published worked examples and hand computations."""

from __future__ import annotations

from math import fsum

import numpy as np
import pytest

from coachkit.statistics.agreement import (
    PercentAgreement,
    flagged_for_calibration,
    icc_2_1,
    icc_2_k,
    interpret_agreement,
    interpret_icc,
    interpret_kappa,
    krippendorff_alpha,
    percent_agreement,
    weighted_kappa,
)

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability, section C
# (https://repository.upenn.edu/asc_papers/43): 4 observers x 12 units, missing data.
# Published: nominal 0.743, ordinal 0.815, interval 0.849. Unit 12 has a single value.
_ = None
OBSERVERS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],  # A
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],  # B
    [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],  # C
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],  # D
]
KRIPPENDORFF_UNITS = [list(unit) for unit in zip(*OBSERVERS, strict=True)]


@pytest.mark.parametrize(
    ("level", "published"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)]
)
def test_krippendorff_alpha_matches_the_2011_worked_example(level, published):
    assert krippendorff_alpha(KRIPPENDORFF_UNITS, level) == pytest.approx(published, abs=5e-4)


def test_krippendorff_alpha_ignores_units_with_one_rating():
    with_lone_ratings = [*KRIPPENDORFF_UNITS, [4, None, None], [None, 1]]
    assert krippendorff_alpha(with_lone_ratings) == krippendorff_alpha(KRIPPENDORFF_UNITS)


def test_krippendorff_alpha_is_one_when_raters_agree_on_varied_units():
    assert krippendorff_alpha([[1, 1, 1], [3, 3, None], [5, 5, 5]], "ordinal") == 1.0


@pytest.mark.parametrize(
    "units",
    [
        [],
        [[1, None], [None, 4]],  # nothing pairable
        [[3, 3], [3, 3, 3]],  # no variation: expected disagreement is 0
    ],
)
@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval"])
def test_krippendorff_alpha_is_undefined_without_pairable_varied_ratings(units, level):
    assert krippendorff_alpha(units, level) is None


# Hand computation, categories 1..3 at positions 0..2, pairs (1,1) (2,2) (2,3) (3,3):
# rater 1 margins (1, 2, 1), rater 2 margins (1, 1, 2), n = 4.
# Quadratic weights (i-j)^2: observed sum = 1 (the pair 2,3), so D_o = 1/4.
#   chance sum of w * row_i * col_j = 1*(0*1 + 1*1 + 4*2) + 2*(1*1 + 0*1 + 1*2)
#                                   + 1*(4*1 + 1*1 + 0*2) = 9 + 6 + 5 = 20, D_e = 20/16.
#   kappa = 1 - (1/4) / (20/16) = 1 - 0.2 = 0.8
# Linear weights |i-j|: chance sum = 1*(0 + 1 + 2*2) + 2*(1 + 0 + 2) + 1*(2 + 1 + 0)
#                                  = 5 + 6 + 3 = 14, kappa = 1 - (1/4) / (14/16) = 5/7.
HAND_PAIRS = [(1, 1), (2, 2), (2, 3), (3, 3)]


def test_weighted_kappa_matches_hand_computation():
    assert weighted_kappa(HAND_PAIRS, (1, 2, 3)) == pytest.approx(0.8)
    assert weighted_kappa(HAND_PAIRS, (1, 2, 3), "linear") == pytest.approx(5 / 7)


def test_weighted_kappa_is_one_for_perfect_agreement():
    assert weighted_kappa([(1, 1), (2, 2), (4, 4), (5, 5)]) == 1.0


def test_quadratic_kappa_equals_its_moment_form():
    # Quadratic-weighted kappa equals 2 s_xy / (s_x^2 + s_y^2 + (mean_x - mean_y)^2) with
    # population moments (Cohen 1968; Schuster 2004): an independent second computation.
    pairs = [(1, 2), (2, 2), (3, 4), (4, 4), (5, 3), (2, 1), (3, 3), (4, 5), (5, 5), (1, 1)]
    xs, ys = [a for a, _ in pairs], [b for _, b in pairs]
    mx, my = fsum(xs) / len(xs), fsum(ys) / len(ys)
    sxy = fsum((a - mx) * (b - my) for a, b in pairs) / len(pairs)
    sxx = fsum((a - mx) ** 2 for a in xs) / len(xs)
    syy = fsum((b - my) ** 2 for b in ys) / len(ys)
    expected = 2 * sxy / (sxx + syy + (mx - my) ** 2)
    assert weighted_kappa(pairs) == pytest.approx(expected)


@pytest.mark.parametrize("pairs", [[], [(3, 4)], [(3, 3), (3, 3), (3, 3)]])
def test_weighted_kappa_is_undefined_with_one_pair_or_no_chance_disagreement(pairs):
    assert weighted_kappa(pairs) is None


def test_weighted_kappa_rejects_ratings_outside_the_categories():
    with pytest.raises(ValueError, match="outside the categories"):
        weighted_kappa([(1, 6), (2, 2)])


def test_icc_2_1_matches_shrout_and_fleiss_table_2():
    # Shrout & Fleiss (1979), Psychological Bulletin 86(2), 420-428: the Table 2
    # data, 6 targets x 4 judges, for which the paper reports ICC(2,1) = .29.
    ratings = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    assert round(icc_2_1(ratings), 2) == 0.29


@pytest.mark.parametrize(
    "ratings",
    [
        [[4, 4, 4]],  # one target
        [[3, 3], [3, 3]],  # no variation
        [[1, 2], [2, 1]],  # BMS = JMS = 0 and the denominator is exactly 0
    ],
)
def test_icc_2_1_is_undefined_without_variation_or_targets(ratings):
    assert icc_2_1(ratings) is None


def test_agreement_words_and_calibration_flag_follow_the_thresholds():
    assert interpret_agreement(0.849) == "good agreement"
    assert interpret_agreement(0.743) == "tentative agreement"
    assert interpret_agreement(0.5).startswith("low agreement")
    assert interpret_kappa(0.8) == "substantial agreement"
    assert interpret_kappa(-0.1).startswith("poor")
    assert flagged_for_calibration(0.66)
    assert not flagged_for_calibration(0.667)
    assert not flagged_for_calibration(None)


# Shrout & Fleiss (1979), Table 4, for the Table 2 data: ICC(2,1) = .29, ICC(2,4) = .62.
SHROUT_FLEISS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]


def test_icc_2_k_matches_shrout_and_fleiss_table_4():
    assert round(icc_2_k(SHROUT_FLEISS), 2) == 0.62
    assert round(icc_2_1(SHROUT_FLEISS), 2) == 0.29


def _icc_reference(ratings: np.ndarray) -> tuple[float, float]:
    """ICC(2,1) and ICC(2,k) from a two-way ANOVA written with numpy (McGraw & Wong
    1996, case 2A: absolute agreement, random raters)."""
    n, k = ratings.shape
    grand = ratings.mean()
    ss_rows = k * ((ratings.mean(axis=1) - grand) ** 2).sum()
    ss_cols = n * ((ratings.mean(axis=0) - grand) ** 2).sum()
    ss_error = ((ratings - grand) ** 2).sum() - ss_rows - ss_cols
    msr, msc, mse = ss_rows / (n - 1), ss_cols / (k - 1), ss_error / ((n - 1) * (k - 1))
    single = (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)
    average = (msr - mse) / (msr + (msc - mse) / n)
    return float(single), float(average)


@pytest.mark.parametrize(("seed", "shape"), [(1, (12, 2)), (2, (30, 3)), (3, (8, 5))])
def test_icc_matches_a_numpy_anova_reference(seed, shape):
    truth = np.random.default_rng(seed).integers(1, 6, size=(shape[0], 1))
    noise = np.random.default_rng(seed + 10).integers(-1, 2, size=shape)
    ratings = np.clip(truth + noise, 1, 5)
    single, average = _icc_reference(ratings.astype(float))
    table = ratings.tolist()
    assert icc_2_1(table) == pytest.approx(single)
    assert icc_2_k(table) == pytest.approx(average)
    assert icc_2_k(table) >= icc_2_1(table)  # the mean of k raters is more reliable


def test_icc_2_k_is_undefined_like_icc_2_1():
    assert icc_2_k([[3, 3], [3, 3]]) is None
    assert icc_2_k([[4, 4, 4]]) is None


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0.49, "poor reliability"),
        (0.50, "moderate reliability"),
        (0.75, "good reliability"),
        (0.90, "good reliability"),
        (0.9001, "excellent reliability"),
        (None, "not enough ratings to judge"),
    ],
)
def test_icc_words_follow_koo_and_li(value, words):
    assert interpret_icc(value) == words


def test_percent_agreement_matches_hand_count():
    # Pairs: unit 1 (1,1) (1,2) (1,2); unit 2 (3,3); unit 3 none; unit 4 (2,4).
    # Exact: 2 of 5. Within one point: 4 of 5.
    units = [[1, 1, 2], [3, 3, None], [5, None, None], [2, 4]]
    result = percent_agreement(units)
    assert (result.pairs, result.exact, result.within_one) == (5, 2 / 5, 4 / 5)
    assert percent_agreement([[1, None], [None]]) == PercentAgreement(0, None, None)


def test_percent_agreement_of_two_raters_matches_numpy():
    first = np.array([1, 2, 3, 4, 5, 3, 2, 4, 4, 1])
    second = np.array([1, 3, 3, 2, 5, 3, 1, 4, 5, 3])
    result = percent_agreement(list(zip(first.tolist(), second.tolist(), strict=True)))
    assert result.exact == pytest.approx(float(np.mean(first == second)))
    assert result.within_one == pytest.approx(float(np.mean(np.abs(first - second) <= 1)))
