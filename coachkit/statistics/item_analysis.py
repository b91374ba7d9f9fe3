"""Exercise quality from candidates' scores: item difficulty, discrimination, reliability.

A scores matrix has one row per candidate and one column per item (scored 0..max, as
floats). A blank answer is None: missing, not the lowest score, so an item nobody
bothers to answer does not look hard. Difficulty and discrimination use the candidates
who answered the item; Cronbach's alpha uses the candidates who answered every item.
Functions return None where a statistic is undefined.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from math import fsum, sqrt

from coachkit.statistics.distributions import f_quantile

# The item analysis report appears once this many candidates have answered; below it a
# single candidate moves every number.
MIN_CANDIDATES_FOR_REPORT = 10
# Below this many candidates the figures are shown as a first look only: a correlation
# from 29 people has a 95% interval about +-0.35 wide, enough to move an item from
# "weak" to "good", and alpha's interval is as wide (see cronbach_interval).
MIN_CANDIDATES_TO_ACT = 30

ScoresMatrix = Sequence[Sequence[float | None]]


def difficulty(item_scores: Sequence[float | None], max_score: float) -> float | None:
    """Difficulty index p: the mean score as a proportion of the maximum (0 = nobody
    scored, 1 = everybody scored full marks), over the candidates who answered (None
    scores are blanks and left out). None when nobody answered."""
    if max_score <= 0:
        raise ValueError("max_score must be positive")
    given = [score for score in item_scores if score is not None]
    if any(not 0 <= score <= max_score for score in given):
        raise ValueError(f"item scores must lie between 0 and {max_score}")
    if not given:
        return None
    return fsum(given) / len(given) / max_score


def corrected_item_total(scores: ScoresMatrix) -> list[float | None]:
    """Discrimination per item: the Pearson correlation of the item with the rest of
    the exercise (the item is left out so it does not correlate with itself).

    The rest is the mean of the candidate's other answered items, so a blank elsewhere
    does not drag it down (with no blanks it correlates exactly as the rest total
    does). Only candidates who answered the item and at least one other count. None
    for an item when fewer than 3 such candidates, fewer than 2 items, or either the
    item or the rest does not vary."""
    items = _items(scores)
    if len(items) < 2:
        return [None] * len(items)
    result: list[float | None] = []
    for i in range(len(items)):
        xs: list[float] = []
        rests: list[float] = []
        for row in scores:
            rest = [s for j, s in enumerate(row) if j != i and s is not None]
            score = row[i]
            if score is not None and rest:
                xs.append(score)
                rests.append(fsum(rest) / len(rest))
        result.append(pearson(xs, rests))
    return result


def complete_rows(scores: ScoresMatrix) -> list[list[float]]:
    """The rows without a blank (the candidates who answered every item)."""
    _items(scores)
    return [[s for s in row if s is not None] for row in scores if None not in row]


def cronbach_alpha(scores: ScoresMatrix) -> float | None:
    """Cronbach's alpha = k / (k - 1) * (1 - sum of item variances / variance of totals)
    for k items (sample variances), over the candidates with no blank. None with fewer
    than 2 such candidates or 2 items, or when the totals do not vary."""
    rows = complete_rows(scores)
    k = len(scores[0]) if scores else 0
    if k < 2 or len(rows) < 2:
        return None
    total_variance = statistics.variance([fsum(row) for row in rows])
    if total_variance == 0:
        return None
    item_variance = fsum(statistics.variance(item) for item in zip(*rows, strict=True))
    return k / (k - 1) * (1 - item_variance / total_variance)


@dataclass(frozen=True)
class Interval:
    low: float
    high: float


def cronbach_interval(
    alpha: float, candidates: int, items: int, confidence: float = 0.95
) -> Interval | None:
    """Feldt's (1965) interval for Cronbach's alpha: (1 - alpha) / (1 - alpha_hat)
    follows F with n - 1 and (n - 1)(k - 1) degrees of freedom, so

        [1 - (1 - alpha_hat) F_(1 - g/2),  1 - (1 - alpha_hat) F_(g/2)],  g = 1 - confidence

    for n candidates and k items. None with fewer than 3 candidates or 2 items."""
    if candidates < 3 or items < 2:
        return None
    d1, d2 = candidates - 1, (candidates - 1) * (items - 1)
    tail = (1 - confidence) / 2
    return Interval(
        1 - (1 - alpha) * f_quantile(1 - tail, d1, d2),
        1 - (1 - alpha) * f_quantile(tail, d1, d2),
    )


def _items(scores: ScoresMatrix) -> list[list[float | None]]:
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
