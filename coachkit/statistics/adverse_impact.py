"""Adverse impact by the four-fifths rule of the Uniform Guidelines on Employee Selection
Procedures (29 CFR 1607.4(D)): a group whose selection rate is less than four-fifths
of the highest group's rate is generally taken as evidence of adverse impact.

The rule is a rule of thumb. With small numbers one hire more or less flips the result,
so the report carries a `small_sample` warning rather than hiding the ratios.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

FOUR_FIFTHS = Fraction(4, 5)
# Below 30 people in a group a selection rate is too unstable to compare. The Guidelines
# set no number (1607.4(D) only warns about "small numbers"); 30 is the usual rule of thumb.
MIN_GROUP_TOTAL = 30
# With fewer than 5 people selected in all, moving a single selection between groups
# can swing a ratio across four-fifths; the 1979 Questions and Answers advise against
# acting on a result that the selection of one different person would reverse.
MIN_TOTAL_SELECTED = 5


@dataclass(frozen=True)
class GroupImpact:
    group: str
    selected: int
    total: int
    selection_rate: float
    # Selection rate over the highest group's; None when nobody in any group was selected.
    impact_ratio: float | None
    below_four_fifths: bool
    small_group: bool


@dataclass(frozen=True)
class AdverseImpact:
    groups: tuple[GroupImpact, ...]
    # True when any group has fewer than MIN_GROUP_TOTAL people or fewer than
    # MIN_TOTAL_SELECTED were selected overall: read the ratios with caution.
    small_sample: bool

    @property
    def indicated(self) -> bool:
        """Whether any group falls below four-fifths of the highest rate."""
        return any(group.below_four_fifths for group in self.groups)


def four_fifths(counts: Mapping[str, tuple[int, int]]) -> AdverseImpact:
    """Compare each group's selection rate (selected / total) with the highest one.

    `counts` maps a group label to (selected, total); groups with a total of 0 are left
    out, the rest keep their order. The comparison is exact (fractions), so a ratio of
    exactly 0.8 is not below four-fifths. Impossible counts raise ValueError.
    """
    for group, (selected, total) in counts.items():
        if not 0 <= selected <= total:
            raise ValueError(f"{group}: selected must be between 0 and total")
    rates = {
        group: Fraction(selected, total) for group, (selected, total) in counts.items() if total > 0
    }
    highest = max(rates.values(), default=Fraction(0))
    rows = []
    for group, rate in rates.items():
        selected, total = counts[group]
        ratio = rate / highest if highest else None
        rows.append(
            GroupImpact(
                group=group,
                selected=selected,
                total=total,
                selection_rate=float(rate),
                impact_ratio=None if ratio is None else float(ratio),
                below_four_fifths=ratio is not None and ratio < FOUR_FIFTHS,
                small_group=total < MIN_GROUP_TOTAL,
            )
        )
    total_selected = sum(row.selected for row in rows)
    small = total_selected < MIN_TOTAL_SELECTED or any(row.small_group for row in rows)
    return AdverseImpact(groups=tuple(rows), small_sample=small)
