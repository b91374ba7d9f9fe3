"""Hiring statistics against published worked examples and hand computations."""

from __future__ import annotations

from math import fsum

import pytest

from coachkit.hiring.reports.adverse_impact import four_fifths
from coachkit.hiring.reports.agreement import (
    flagged_for_calibration,
    icc_2_1,
    interpret_agreement,
    interpret_kappa,
    krippendorff_alpha,
    weighted_kappa,
)
from coachkit.hiring.reports.item_analysis import (
    corrected_item_total,
    cronbach_alpha,
    difficulty,
    interpret_alpha,
    interpret_difficulty,
    interpret_discrimination,
)
from coachkit.hiring.reports.statistics import ALPHA, KAPPA, Figure

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


def test_kappa_is_flagged_only_where_its_words_stop_being_reassuring():
    def flagged(method: str, value: float) -> bool:
        return Figure(method, value, "", None, 10, 30, 2, 0).needs_calibration

    assert interpret_kappa(0.624) == "substantial agreement"
    assert not flagged(KAPPA, 0.624)
    assert flagged(KAPPA, 0.60)  # moderate
    assert flagged(ALPHA, 0.624)  # Krippendorff: below 0.667


# Hand computation for 4 candidates x 3 items:
#   item 1: 2,1,3,0  mean 1.5,  sum of squared deviations 5    -> variance 5/3
#   item 2: 3,1,3,1  mean 2,    sum of squared deviations 4    -> variance 4/3
#   item 3: 3,2,3,1  mean 2.25, sum of squared deviations 2.75 -> variance 2.75/3
#   totals: 8,4,9,2  mean 5.75, sum of squared deviations 32.75 -> variance 32.75/3
#   alpha = 3/2 * (1 - 11.75/32.75) = 31.5/32.75 = 0.961832...
# Item 1 against the rest (items 2 + 3 = 6,3,6,2; mean 4.25; deviations 1.75,-1.25,1.75,
# -2.25; squares sum 12.75): cross products .5*1.75 + .5*1.25 + 1.5*1.75 + 1.5*2.25 = 7.5,
# r = 7.5 / sqrt(5 * 12.75) = 0.939336...
SCORES = [[2, 3, 3], [1, 1, 2], [3, 3, 3], [0, 1, 1]]


def test_cronbach_alpha_matches_hand_computation():
    assert cronbach_alpha(SCORES) == pytest.approx(31.5 / 32.75)


def test_corrected_item_total_matches_hand_computation():
    assert corrected_item_total(SCORES)[0] == pytest.approx(7.5 / 63.75**0.5)


def test_corrected_item_total_flags_a_reversed_item_and_a_constant_rest():
    # Item 3 is item 1 reversed: against the rest (2,0,2,0) it correlates exactly -1.
    # Item 1's rest, items 2 + 3, is 1 for everyone: undefined.
    scores = [[1, 1, 0], [0, 0, 1], [1, 1, 0], [0, 0, 1]]
    r = corrected_item_total(scores)
    assert r[0] is None
    assert r[2] == pytest.approx(-1.0)
    assert interpret_discrimination(r[2]) == "negative: check the scoring key"


def test_difficulty_is_mean_proportion_of_maximum():
    # (2 + 1 + 3 + 0) / 4 = 1.5 out of 4 -> 0.375
    assert difficulty([2, 1, 3, 0], max_score=4) == pytest.approx(0.375)
    assert interpret_difficulty(0.95) == "very easy"
    assert interpret_difficulty(0.1) == "very hard"


@pytest.mark.parametrize(
    "scores",
    [
        [],
        [[1, 2, 3]],  # one candidate
        [[1], [2], [3]],  # one item
        [[1, 2], [2, 1], [3, 0]],  # every total is 3
    ],
)
def test_cronbach_alpha_is_undefined_without_varied_totals(scores):
    assert cronbach_alpha(scores) is None


def test_item_statistics_are_undefined_with_too_few_candidates():
    assert corrected_item_total([[1, 2], [2, 1]]) == [None, None]
    assert difficulty([], max_score=5) is None
    assert interpret_alpha(None).startswith("not enough")


def test_item_statistics_reject_ragged_or_out_of_range_scores():
    with pytest.raises(ValueError, match="every item"):
        cronbach_alpha([[1, 2], [1]])
    with pytest.raises(ValueError, match="between 0 and"):
        difficulty([6], max_score=5)


def test_four_fifths_flags_the_uniform_guidelines_example():
    # Uniform Guidelines Questions and Answers (1979, 44 Fed. Reg. 11996), Q&A 12:
    # 48 of 80 whites (60%) and 12 of 40 blacks (30%) hired; 30/60 = 50% < 80%.
    report = four_fifths({"white": (48, 80), "black": (12, 40)})
    white, black = report.groups
    assert (white.selection_rate, white.impact_ratio) == (0.6, 1.0)
    assert (black.selection_rate, black.impact_ratio) == (0.3, 0.5)
    assert black.below_four_fifths and not white.below_four_fifths
    assert report.indicated and not report.small_sample


def test_four_fifths_exactly_four_fifths_is_not_adverse_impact():
    # Same Questions and Answers, Q&A 11: rates 60%, 45%, 48%, 51% give ratios 75%, 80%,
    # 85%; adverse impact is indicated for the 45% group only (80% is not "less than").
    report = four_fifths(
        {"white": (60, 100), "indian": (45, 100), "hispanic": (48, 100), "black": (51, 100)}
    )
    flagged = {group.group for group in report.groups if group.below_four_fifths}
    assert flagged == {"indian"}
    assert [group.impact_ratio for group in report.groups] == pytest.approx([1, 0.75, 0.8, 0.85])


def test_four_fifths_warns_on_small_samples():
    # 80 of 120 (0.667) against 12 of 29 (0.414): ratio 0.62, and a group under 30.
    report = four_fifths({"a": (80, 120), "b": (12, 29)})
    assert report.small_sample and report.groups[1].small_group
    assert report.groups[1].below_four_fifths
    # Large groups but only 4 selected in all: one hire moves the ratio a long way.
    assert four_fifths({"a": (3, 100), "b": (1, 100)}).small_sample


def test_four_fifths_with_nobody_selected_has_no_ratios():
    report = four_fifths({"a": (0, 50), "b": (0, 40), "empty": (0, 0)})
    assert [group.group for group in report.groups] == ["a", "b"]
    assert all(g.impact_ratio is None and not g.below_four_fifths for g in report.groups)
    assert report.small_sample and not report.indicated


def test_four_fifths_rejects_impossible_counts():
    with pytest.raises(ValueError, match="between 0 and total"):
        four_fifths({"a": (5, 4)})
