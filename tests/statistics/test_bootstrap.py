"""The bootstrap interval of Krippendorff's alpha: the shortcut formula, determinism,
the minimum number of units and the bounded cost."""

from __future__ import annotations

import random

import pytest

from coachkit.statistics import bootstrap
from coachkit.statistics.agreement import krippendorff_alpha
from coachkit.statistics.bootstrap import alpha_interval, interval_alpha, resamples_for
from tests.statistics.test_agreement import KRIPPENDORFF_UNITS

# Twelve answers by three raters, one rating missing.
UNITS = [
    [1, 1, 2],
    [2, 2, 2],
    [3, 4, 3],
    [5, 5, 4],
    [4, 4, None],
    [2, 3, 2],
    [1, 2, 1],
    [5, 4, 5],
    [3, 3, 3],
    [4, 5, 4],
    [2, 1, 2],
    [3, 3, 4],
]


def _sums(units):
    return [bootstrap._sums([x for x in unit if x is not None]) for unit in units]


def test_the_per_unit_shortcut_equals_krippendorffs_interval_alpha():
    pairable = [unit for unit in KRIPPENDORFF_UNITS if sum(x is not None for x in unit) >= 2]
    assert interval_alpha(_sums(pairable)) == pytest.approx(0.849, abs=5e-4)
    assert interval_alpha(_sums(UNITS)) == pytest.approx(krippendorff_alpha(UNITS))


def test_each_resample_is_the_full_alpha_of_the_resampled_units():
    # Python's choices() draws the same indices from a population of the same size, so
    # replaying the seed over the units themselves recomputes every resample the slow way.
    rng = random.Random(bootstrap.SEED)
    slow = sorted(
        krippendorff_alpha(rng.choices(UNITS, k=len(UNITS))) for _ in range(resamples_for(12))
    )
    interval = alpha_interval(UNITS)
    assert interval is not None
    assert interval.low == pytest.approx(slow[25]) and interval.high == pytest.approx(slow[974])


def test_the_interval_is_deterministic_and_brackets_the_estimate():
    first, second = alpha_interval(UNITS), alpha_interval(UNITS)
    assert first == second
    assert first is not None and first.low < krippendorff_alpha(UNITS) < first.high
    assert alpha_interval(UNITS, seed=1) != first  # the seed, not luck, makes it repeat


def test_the_interval_needs_ten_pairable_units():
    assert bootstrap.MIN_UNITS == 10
    assert alpha_interval(UNITS[:9]) is None
    assert alpha_interval([*UNITS[:9], [3, None, None]]) is None  # a lone rating: unpaired
    assert alpha_interval(UNITS[:10]) is not None


def test_no_variation_gives_no_interval():
    assert alpha_interval([[3, 3]] * 12) is None


def test_the_cost_is_bounded():
    assert resamples_for(10) == bootstrap.RESAMPLES == 1000
    assert resamples_for(2000) * 2000 <= bootstrap.MAX_DRAWS
    assert resamples_for(5000) == bootstrap.MIN_RESAMPLES  # then linear in the units
    assert resamples_for(10**7) == bootstrap.MIN_RESAMPLES
