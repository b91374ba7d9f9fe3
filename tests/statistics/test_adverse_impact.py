"""The four-fifths rule against the Uniform Guidelines' worked examples."""

from __future__ import annotations

import pytest

from coachkit.statistics.adverse_impact import Verdict, four_fifths
from coachkit.statistics.contingency import fisher_exact


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


def test_one_person_check_unflags_a_difference_of_one_selection():
    # 3 of 10 against 4 of 10: ratio 0.75. Moving one selection gives 4 of 10 against
    # 3 of 10, and the focal group becomes the highest: within one person.
    report = four_fifths({"a": (4, 10), "b": (3, 10)})
    b = report.groups[1]
    assert b.below_four_fifths and b.one_person and not b.flagged
    assert b.verdict == Verdict.ONE_PERSON and not report.indicated


def test_one_person_check_keeps_a_larger_difference_flagged():
    # 8 of 20 against 4 of 20: ratio 0.5; moved, 7 of 20 against 5 of 20 = 0.714 < 0.8.
    report = four_fifths({"a": (8, 20), "b": (4, 20)})
    b = report.groups[1]
    assert b.flagged and b.verdict == Verdict.BELOW and report.indicated
    # The Guidelines' Q&A 12 example stays flagged: 13/40 against 47/80 is 0.553.
    assert four_fifths({"white": (48, 80), "black": (12, 40)}).groups[1].flagged


def test_one_person_check_reaching_exactly_four_fifths_is_one_person():
    # 3/10 against 6/10 = 0.5; moved, 4/10 against 5/10 = exactly 0.8: not below.
    b = four_fifths({"a": (6, 10), "b": (3, 10)}).groups[1]
    assert b.impact_ratio == 0.5 and b.one_person


def test_one_person_check_compares_with_whichever_group_is_then_highest():
    # c: 6/10 against a: 9/10 = 0.667. Moved from a: 7/10 against a's 8/10 would pass
    # (0.875), but b is still at 9/10: 7/10 / 9/10 = 0.778, below. Still flagged.
    c = four_fifths({"a": (9, 10), "b": (9, 10), "c": (6, 10)}).groups[2]
    assert c.flagged


def test_one_group_alone_has_nothing_to_compare():
    report = four_fifths({"a": (5, 10), "empty": (0, 0)})
    assert not report.comparable and not report.indicated
    (a,) = report.groups
    assert a.impact_ratio is None and a.p_value is None and a.verdict == Verdict.NOBODY_SELECTED


def test_each_row_carries_fisher_p_and_the_ratio_interval_against_the_highest():
    report = four_fifths({"white": (48, 80), "black": (12, 40)})
    white, black = report.groups
    assert white.highest and white.verdict == Verdict.HIGHEST and white.p_value is None
    assert black.p_value == pytest.approx(fisher_exact((12, 40), (48, 80)))
    assert black.interval is not None and black.interval.low < 0.5 < black.interval.high
    # Nobody selected in a group: a ratio of 0 but no log interval.
    zero = four_fifths({"a": (5, 10), "b": (0, 10)}).groups[1]
    assert zero.impact_ratio == 0 and zero.interval is None and zero.flagged
