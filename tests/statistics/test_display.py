"""Display rounding never contradicts a flag: shown digits compare with every threshold
the way the exact value does."""

from __future__ import annotations

import pytest

from coachkit.statistics.agreement import CALIBRATION_THRESHOLD, flagged_for_calibration
from coachkit.statistics.display import shown

THRESHOLDS = [0.8, CALIBRATION_THRESHOLD, 0.2, 0.9, 0.05, 0.0, 0.3]
OFFSETS = [-0.004, -0.0005, -0.00004, -1e-9, 0.0, 1e-9, 0.00004, 0.0005, 0.004]


def _side(a: float, b: float) -> int:
    return (a > b) - (a < b)


@pytest.mark.parametrize("threshold", THRESHOLDS)
@pytest.mark.parametrize("offset", OFFSETS)
def test_shown_digits_stay_on_the_values_side_of_the_threshold(threshold, offset):
    value = threshold + offset
    text = shown(value, threshold)
    assert _side(float(text), threshold) == _side(value, threshold), text
    assert len(text.split(".")[1]) <= 4


@pytest.mark.parametrize(
    ("value", "thresholds", "text"),
    [
        (0.7995, (0.8,), "0.799"),  # not "0.80" beside "below 0.8"
        (0.799999, (0.8,), "0.7999"),
        (0.8, (0.8,), "0.80"),  # exactly at the threshold: "at or above 0.8"
        (0.80001, (0.8,), "0.8001"),
        (0.6665, (0.667, 0.8), "0.666"),  # not "0.67" beside "below 0.667"
        (0.9004, (0.2, 0.9), "0.9004"),  # "very easy" is above 0.9, so not "0.90"
        (0.1999, (0.2,), "0.1999"),
        (0.7345, (0.8,), "0.73"),  # far from every threshold: as always
        (-0.001, (), "0.00"),
        (-0.001, (0.0,), "-0.001"),
        (None, (0.8,), "–"),
    ],
)
def test_shown_examples(value, thresholds, text):
    assert shown(value, *thresholds) == text


def test_percentages_use_the_same_rule():
    assert shown(99.6, 0, 100, places=0) == "99.6"
    assert shown(100.0, 0, 100, places=0) == "100"
    assert shown(0.3, 0, 100, places=0) == "0.3"
    assert shown(42.4, 0, 100, places=0) == "42"


def test_a_flagged_alpha_never_shows_at_or_above_the_threshold():
    for step in range(-200, 201):
        value = CALIBRATION_THRESHOLD + step / 100_000
        displayed = float(shown(value, CALIBRATION_THRESHOLD, 0.8))
        assert flagged_for_calibration(value) == (displayed < CALIBRATION_THRESHOLD), value
