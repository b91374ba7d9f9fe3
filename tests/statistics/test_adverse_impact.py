"""The four-fifths rule against the Uniform Guidelines' worked examples."""

from __future__ import annotations

import pytest

from coachkit.statistics.adverse_impact import four_fifths


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
