"""Inter-rater agreement: do the people scoring a screening exercise score it alike?

Weighted kappa compares two raters; Krippendorff's alpha handles any number of raters
and missing ratings; ICC(2,1) and ICC(2,k) are the classic coefficients for a complete
table (one rater's score, and the raters' mean); percent agreement is the plain share of
ratings that agree. Each coefficient returns None when it is undefined (too little
data, or no variation to agree about) rather than raising or dividing by zero.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations, pairwise
from math import fsum
from typing import Literal

# Krippendorff (2004, Content Analysis, 2nd ed., p. 241): rely on data with alpha >= .800,
# draw only tentative conclusions from .667 <= alpha < .800, discard anything lower.
GOOD_AGREEMENT = 0.80
CALIBRATION_THRESHOLD = 0.667
# Landis & Koch (1977): upper bound of each kappa band; above 0.80 is "almost perfect".
LANDIS_KOCH_BANDS = ((0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial"))
# Koo & Li (2016, J Chiropr Med 15(2), 155-163) for ICC: below 0.50 poor, 0.50-0.75
# moderate, 0.75-0.90 good, above 0.90 excellent (lower bounds inclusive here).
KOO_LI_BANDS = ((0.50, "poor"), (0.75, "moderate"))
EXCELLENT_ICC = 0.90

Level = Literal["interval", "ordinal", "nominal"]
Metric = Callable[[float, float], float]


def weighted_kappa(
    pairs: Sequence[tuple[int, int]],
    categories: Sequence[int] = (1, 2, 3, 4, 5),
    weights: Literal["quadratic", "linear"] = "quadratic",
) -> float | None:
    """Cohen's (1968) weighted kappa for two raters who rated the same units.

    kappa_w = 1 - sum(w_ij * o_ij) / sum(w_ij * e_ij), where o_ij are the observed
    proportions of (rater 1 = category i, rater 2 = category j), e_ij = row_i * col_j the
    proportions expected by chance, and w_ij = |i - j| (linear) or (i - j)^2 (quadratic)
    the disagreement weights over the positions of `categories` (ordered, equally spaced).
    None with fewer than 2 pairs, or when chance disagreement is 0 (both raters used one
    and the same category throughout). Ratings outside `categories` raise ValueError.
    """
    position = {category: i for i, category in enumerate(categories)}
    unknown = {rating for pair in pairs for rating in pair} - position.keys()
    if unknown:
        raise ValueError(f"ratings outside the categories: {sorted(unknown)}")
    if len(pairs) < 2:
        return None
    power = 2 if weights == "quadratic" else 1
    rows = Counter(position[a] for a, _ in pairs)
    cols = Counter(position[b] for _, b in pairs)
    # Integer sums keep this exact; 1/n and 1/n^2 scalings fold into the final ratio.
    observed = sum(abs(position[a] - position[b]) ** power for a, b in pairs)
    expected = sum(abs(i - j) ** power * rows[i] * cols[j] for i in rows for j in cols)
    if expected == 0:
        return None
    return float(1 - Fraction(observed * len(pairs), expected))


def krippendorff_alpha(
    units: Sequence[Sequence[float | None]], level: Level = "interval"
) -> float | None:
    """Krippendorff's alpha for any number of raters, with missing ratings allowed.

    Each unit is the list of ratings it received (None for a missing one); units left
    with fewer than 2 ratings cannot be paired and are ignored. Following Krippendorff
    (2011), the coincidence matrix o_ck counts each ordered pair of ratings within a unit
    with weight 1/(m_u - 1); n_c are its margins and n the number of pairable ratings:
        alpha = 1 - D_o / D_e = 1 - (n - 1) * sum(o_ck * d_ck) / sum(n_c * n_k * d_ck)
    with the squared difference d_ck for the level of measurement: nominal (c != k),
    ordinal (ranks from the margins) or interval ((c - k)^2). None when nothing is
    pairable or when every pairable rating is the same value (D_e = 0).
    """
    pairable = [[rating for rating in unit if rating is not None] for unit in units]
    pairable = [ratings for ratings in pairable if len(ratings) >= 2]
    coincidences: defaultdict[tuple[float, float], float] = defaultdict(float)
    for ratings in pairable:
        for i, c in enumerate(ratings):
            for j, k in enumerate(ratings):
                if i != j:
                    coincidences[c, k] += 1 / (len(ratings) - 1)
    margins = Counter(rating for ratings in pairable for rating in ratings)
    if not margins:
        return None
    delta = _metric(level, margins)
    expected = fsum(margins[c] * margins[k] * delta(c, k) for c in margins for k in margins)
    if expected == 0:
        return None
    n = sum(margins.values())
    observed = fsum(o * delta(c, k) for (c, k), o in coincidences.items())
    return 1 - (n - 1) * observed / expected


def _metric(level: Level, margins: Counter[float]) -> Metric:
    """The squared difference function for a level of measurement (Krippendorff 2011)."""
    if level == "nominal":
        return lambda c, k: 0.0 if c == k else 1.0
    if level == "interval":
        return lambda c, k: (c - k) ** 2
    # Ordinal: d_ck = (sum of n_g for g from c to k  -  (n_c + n_k) / 2)^2, so the
    # distance between two values grows with how many ratings lie between them.
    values = sorted(margins)
    below: dict[float, float] = {values[0]: 0.0}
    for lower, value in pairwise(values):
        below[value] = below[lower] + margins[lower]

    def ordinal(c: float, k: float) -> float:
        low, high = min(c, k), max(c, k)
        between = below[high] + margins[high] - below[low]
        return (between - (margins[c] + margins[k]) / 2) ** 2

    return ordinal


@dataclass(frozen=True)
class MeanSquares:
    """The two-way ANOVA of n targets by k judges (Shrout & Fleiss 1979, Table 1)."""

    n: int
    k: int
    bms: Fraction  # between targets
    jms: Fraction  # between judges
    ems: Fraction  # residual


def mean_squares(matrix: Sequence[Sequence[float]]) -> MeanSquares | None:
    """Mean squares of a complete targets-by-judges table; None with fewer than 2
    targets or judges. Ragged rows raise ValueError."""
    n = len(matrix)
    k = len(matrix[0]) if matrix else 0
    if any(len(row) != k for row in matrix):
        raise ValueError("every target needs a rating from every rater")
    if n < 2 or k < 2:
        return None
    # Exact rational arithmetic on the sums (ratings are whole numbers), so "no
    # variation" is an exact zero, not 1e-17; only a handful of Fractions per call.
    total = Fraction(sum(sum(row) for row in matrix))
    correction = total * total / (n * k)
    ss_total = Fraction(sum(x * x for row in matrix for x in row)) - correction
    ss_rows = Fraction(sum(sum(row) ** 2 for row in matrix)) / k - correction
    ss_cols = Fraction(sum(sum(col) ** 2 for col in zip(*matrix, strict=True))) / n - correction
    ems = (ss_total - ss_rows - ss_cols) / ((n - 1) * (k - 1))
    return MeanSquares(n, k, ss_rows / (n - 1), ss_cols / (k - 1), ems)


def icc_2_1(matrix: Sequence[Sequence[float]]) -> float | None:
    """Shrout & Fleiss (1979) ICC(2,1): two-way random effects, absolute agreement,
    single rater. Rows are targets (candidates), columns are raters; complete data only.

        ICC(2,1) = (BMS - EMS) / (BMS + (k - 1) EMS + k (JMS - EMS) / n)
    with BMS, JMS and EMS the between-targets, between-judges and residual mean squares
    of n targets by k judges. None with fewer than 2 targets or raters, or when the
    denominator is 0 (no variation). Ragged rows raise ValueError.
    """
    squares = mean_squares(matrix)
    if squares is None:
        return None
    n, k, bms, jms, ems = squares.n, squares.k, squares.bms, squares.jms, squares.ems
    denominator = bms + (k - 1) * ems + k * (jms - ems) / n
    return None if denominator == 0 else float((bms - ems) / denominator)


def icc_2_k(matrix: Sequence[Sequence[float]]) -> float | None:
    """Shrout & Fleiss (1979) ICC(2,k): the reliability of the mean of the k raters'
    scores, which is the score a candidate actually gets.

        ICC(2,k) = (BMS - EMS) / (BMS + (JMS - EMS) / n)
    None as for icc_2_1.
    """
    squares = mean_squares(matrix)
    if squares is None:
        return None
    denominator = squares.bms + (squares.jms - squares.ems) / squares.n
    return None if denominator == 0 else float((squares.bms - squares.ems) / denominator)


def interpret_icc(value: float | None) -> str:
    """Plain words for an ICC with Koo & Li's (2016) bands: below 0.50 poor, 0.50 to
    0.75 moderate, 0.75 to 0.90 good, above 0.90 excellent."""
    if value is None:
        return "not enough ratings to judge"
    for upper, words in KOO_LI_BANDS:
        if value < upper:
            return f"{words} reliability"
    return "excellent reliability" if value > EXCELLENT_ICC else "good reliability"


@dataclass(frozen=True)
class PercentAgreement:
    """Share of pairs of ratings of the same unit that agree exactly or within one
    point, over every pair of raters who rated the unit."""

    pairs: int
    exact: float | None
    within_one: float | None


def percent_agreement(units: Sequence[Sequence[float | None]]) -> PercentAgreement:
    """Pairwise percent agreement: every unordered pair of ratings within a unit counts
    once (missing ratings are skipped). None shares when nothing can be paired."""
    exact = within = pairs = 0
    for unit in units:
        ratings = [rating for rating in unit if rating is not None]
        for a, b in combinations(ratings, 2):
            pairs += 1
            exact += a == b
            within += abs(a - b) <= 1
    if not pairs:
        return PercentAgreement(0, None, None)
    return PercentAgreement(pairs, exact / pairs, within / pairs)


def interpret_agreement(value: float | None) -> str:
    """Plain words for Krippendorff's alpha with Krippendorff's (2004) bands:
    >= 0.80 good; 0.667 up to 0.80 tentative; below 0.667 low (flag for calibration)."""
    if value is None:
        return "not enough ratings to judge agreement"
    if value >= GOOD_AGREEMENT:
        return "good agreement"
    if value >= CALIBRATION_THRESHOLD:
        return "tentative agreement"
    return "low agreement: raters should calibrate"


def interpret_kappa(value: float | None) -> str:
    """Plain words for kappa with Landis & Koch's (1977) bands: below 0 poor,
    0-0.20 slight, 0.21-0.40 fair, 0.41-0.60 moderate, 0.61-0.80 substantial,
    0.81-1 almost perfect."""
    if value is None:
        return "not enough ratings to judge agreement"
    if value < 0:
        return "poor agreement (worse than chance)"
    for upper, words in LANDIS_KOCH_BANDS:
        if value <= upper:
            return f"{words} agreement"
    return "almost perfect agreement"


def flagged_for_calibration(value: float | None) -> bool:
    """Whether an item's agreement is below CALIBRATION_THRESHOLD. Undefined agreement
    is not flagged: either too few ratings to tell, or every rating was the same."""
    return value is not None and value < CALIBRATION_THRESHOLD
