"""How the reports turn agreement coefficients into flags."""

from __future__ import annotations

from coachkit.hiring.reports.statistics import ALPHA, KAPPA, Figure
from coachkit.statistics.agreement import interpret_kappa


def test_kappa_is_flagged_only_where_its_words_stop_being_reassuring():
    def flagged(method: str, value: float) -> bool:
        return Figure(method, value, "", None, 10, 30, 2, 0).needs_calibration

    assert interpret_kappa(0.624) == "substantial agreement"
    assert not flagged(KAPPA, 0.624)
    assert flagged(KAPPA, 0.60)  # moderate
    assert flagged(ALPHA, 0.624)  # Krippendorff: below 0.667
