"""Item analysis against hand computations."""

from __future__ import annotations

import pytest
from scipy import stats

from coachkit.statistics.item_analysis import (
    complete_rows,
    corrected_item_total,
    cronbach_alpha,
    cronbach_interval,
    difficulty,
    interpret_alpha,
    interpret_difficulty,
    interpret_discrimination,
)

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


@pytest.mark.parametrize(("alpha", "n", "k"), [(0.9618, 4, 3), (0.75, 30, 6), (0.5, 12, 2)])
def test_feldt_interval_matches_scipy_f(alpha, n, k):
    d1, d2 = n - 1, (n - 1) * (k - 1)
    interval = cronbach_interval(alpha, n, k)
    assert interval is not None
    assert interval.low == pytest.approx(1 - (1 - alpha) * stats.f.ppf(0.975, d1, d2), rel=1e-9)
    assert interval.high == pytest.approx(1 - (1 - alpha) * stats.f.ppf(0.025, d1, d2), rel=1e-9)
    assert interval.low < alpha < interval.high


def test_feldt_interval_needs_three_candidates_and_two_items():
    assert cronbach_interval(0.8, 2, 5) is None
    assert cronbach_interval(0.8, 20, 1) is None


def test_a_blank_is_missing_not_the_lowest_score():
    # Candidate 5 left item 1 blank. Counting it as 0 would lower item 1's difficulty
    # from 1.5/3 to 1.2/3 and add a candidate with a low total to alpha.
    scores = [*SCORES, [None, 3, 3]]
    assert difficulty([row[0] for row in scores], max_score=3) == pytest.approx(1.5 / 3)
    assert cronbach_alpha(scores) == cronbach_alpha(SCORES)  # only complete rows
    assert complete_rows(scores) == SCORES
    zeroed = [*SCORES, [0, 3, 3]]
    assert cronbach_alpha(zeroed) != cronbach_alpha(scores)


def test_corrected_item_total_uses_the_mean_of_the_other_answered_items():
    # With no blanks the rest mean correlates exactly as the rest total.
    assert corrected_item_total(SCORES)[0] == pytest.approx(7.5 / 63.75**0.5)
    # A blank leaves that candidate out of the item's own correlation only.
    with_blank = [*SCORES, [None, 0, 0]]
    r = corrected_item_total(with_blank)
    assert r[0] == pytest.approx(7.5 / 63.75**0.5)
    assert r[1] != corrected_item_total(SCORES)[1]
