"""Exercise quality from candidates' scores: item difficulty, discrimination, reliability.

A scores matrix has one row per candidate and one column per item (scored 0..max, as
floats). Rows must be complete: a candidate who skipped an item scores 0 on it, or is
left out by the caller. Functions return None where a statistic is undefined.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from math import fsum, sqrt

# The item analysis report appears once this many candidates have answered; below it a
# single candidate moves every number.
MIN_CANDIDATES_FOR_REPORT = 10

ScoresMatrix = Sequence[Sequence[float]]


def difficulty(item_scores: Sequence[float], max_score: float) -> float | None:
    """Difficulty index p: the mean score as a proportion of the maximum (0 = nobody
    scored, 1 = everybody scored full marks). None when there are no scores."""
    if max_score <= 0:
        raise ValueError("max_score must be positive")
    if any(not 0 <= score <= max_score for score in item_scores):
        raise ValueError(f"item scores must lie between 0 and {max_score}")
    if not item_scores:
        return None
    return fsum(item_scores) / len(item_scores) / max_score


def corrected_item_total(scores: ScoresMatrix) -> list[float | None]:
    """Discrimination per item: the Pearson correlation of the item with the total of
    the other items (the item is left out so it does not correlate with itself).
    None for an item when fewer than 3 candidates, fewer than 2 items, or either the
    item or the rest total does not vary."""
    items = _items(scores)
    if len(items) < 2:
        return [None] * len(items)
    return [
        pearson(
            item,
            [fsum(s for j, s in enumerate(row) if j != i) for row in scores],
        )
        for i, item in enumerate(items)
    ]


def cronbach_alpha(scores: ScoresMatrix) -> float | None:
    """Cronbach's alpha = k / (k - 1) * (1 - sum of item variances / variance of totals)
    for k items (sample variances). None with fewer than 2 candidates or items, or when
    the totals do not vary."""
    items = _items(scores)
    k = len(items)
    if k < 2 or len(scores) < 2:
        return None
    total_variance = statistics.variance([fsum(row) for row in scores])
    if total_variance == 0:
        return None
    item_variance = fsum(statistics.variance(item) for item in items)
    return k / (k - 1) * (1 - item_variance / total_variance)


def _items(scores: ScoresMatrix) -> list[list[float]]:
    """The matrix's columns; ragged rows raise ValueError."""
    width = len(scores[0]) if scores else 0
    if any(len(row) != width for row in scores):
        raise ValueError("every candidate needs a score for every item")
    return [[row[i] for row in scores] for i in range(width)]


def pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Pearson's r = sum(dx * dy) / sqrt(sum(dx^2) * sum(dy^2)); None with fewer than
    3 pairs or a constant variable (checked exactly, not after rounding)."""
    if len(x) < 3 or min(x) == max(x) or min(y) == max(y):
        return None
    mean_x, mean_y = fsum(x) / len(x), fsum(y) / len(y)
    dx = [v - mean_x for v in x]
    dy = [v - mean_y for v in y]
    r = fsum(a * b for a, b in zip(dx, dy, strict=True)) / sqrt(
        fsum(a * a for a in dx) * fsum(b * b for b in dy)
    )
    return max(-1.0, min(1.0, r))


def interpret_difficulty(p: float | None) -> str:
    """Below 0.2 very hard, above 0.9 very easy: either way the item tells candidates
    apart poorly. In between is the useful range."""
    if p is None:
        return "no answers yet"
    if p < 0.2:
        return "very hard"
    if p > 0.9:
        return "very easy"
    return "moderate difficulty"


def interpret_discrimination(r: float | None) -> str:
    """Corrected item-total correlation: >= 0.3 good, 0.2 to 0.3 acceptable, below 0.2
    weak (review the item), negative (strong candidates do worse: check the key)."""
    if r is None:
        return "not enough varied answers to judge"
    if r < 0:
        return "negative: check the scoring key"
    if r < 0.2:
        return "weak: review the item"
    if r < 0.3:
        return "acceptable"
    return "good"


def interpret_alpha(alpha: float | None) -> str:
    """Cronbach's alpha: >= 0.8 good, 0.7 to 0.8 acceptable, 0.6 to 0.7 questionable,
    below 0.6 poor (George & Mallery's bands, coarsened)."""
    if alpha is None:
        return "not enough varied answers to judge"
    if alpha >= 0.8:
        return "good"
    if alpha >= 0.7:
        return "acceptable"
    if alpha >= 0.6:
        return "questionable"
    return "poor"
