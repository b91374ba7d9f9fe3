"""Adverse impact by the four-fifths rule of the Uniform Guidelines on Employee Selection
Procedures (29 CFR 1607.4(D)): a group whose selection rate is less than four-fifths
of the highest group's rate is generally taken as evidence of adverse impact.

The rule is a rule of thumb. With small numbers one hire more or less flips the result,
so beside each ratio stand Fisher's exact test, the ratio's confidence interval and the
"one person" check: a ratio below four-fifths is flagged only when moving a single
selection from the highest group to this one would still leave it below. The Questions
and Answers on the Guidelines (1979, Q&A 21) set aside results that "the selection of
one different person" would reverse; this check is a little stricter about flagging
(it asks only whether the ratio would reach 0.8, not whether the order of the groups
would flip), so a flag always survives one changed decision. A `small_sample` warning
stays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from fractions import Fraction

from coachkit.statistics.contingency import RatioInterval, fisher_exact, rate_ratio_interval

FOUR_FIFTHS = Fraction(4, 5)
# Below 30 people in a group a selection rate is too unstable to compare. The Guidelines
# set no number (1607.4(D) only warns about "small numbers"); 30 is the usual rule of thumb.
MIN_GROUP_TOTAL = 30
# With fewer than 5 people selected in all, moving a single selection between groups
# can swing a ratio across four-fifths; the 1979 Questions and Answers advise against
# acting on a result that the selection of one different person would reverse.
MIN_TOTAL_SELECTED = 5


class Verdict(StrEnum):
    """Which rule decided a group's row."""

    HIGHEST = "highest"  # the group the others are compared with
    NOBODY_SELECTED = "nobody-selected"  # no ratios: nobody in any group was selected
    AT_OR_ABOVE = "at-or-above"  # ratio 0.8 or more
    ONE_PERSON = "one-person"  # below 0.8, but one selection moved would lift it
    BELOW = "below"  # below 0.8 and more than one person's difference: flagged


@dataclass(frozen=True)
class GroupImpact:
    group: str
    selected: int
    total: int
    selection_rate: float
    # Selection rate over the highest group's; None when nobody in any group was
    # selected, or when there is no other group to compare with.
    impact_ratio: float | None
    below_four_fifths: bool
    small_group: bool
    highest: bool = False  # the reference group (the first with the highest rate)
    # Below four-fifths, but moving one selected person from the highest group to this
    # one would bring the ratio to 0.8 or more: the difference is one person's.
    one_person: bool = False
    p_value: float | None = None  # Fisher's exact test against the highest group
    interval: RatioInterval | None = None  # 95% interval of the impact ratio (Katz)

    @property
    def flagged(self) -> bool:
        """Below four-fifths and not explained by one person."""
        return self.below_four_fifths and not self.one_person

    @property
    def verdict(self) -> Verdict:
        if self.impact_ratio is None:
            return Verdict.NOBODY_SELECTED
        if self.highest:
            return Verdict.HIGHEST
        if not self.below_four_fifths:
            return Verdict.AT_OR_ABOVE
        return Verdict.ONE_PERSON if self.one_person else Verdict.BELOW


@dataclass(frozen=True)
class AdverseImpact:
    groups: tuple[GroupImpact, ...]
    # True when any group has fewer than MIN_GROUP_TOTAL people or fewer than
    # MIN_TOTAL_SELECTED were selected overall: read the ratios with caution.
    small_sample: bool

    @property
    def comparable(self) -> bool:
        """Whether there are two or more groups to compare (one group: nothing to)."""
        return len(self.groups) >= 2

    @property
    def indicated(self) -> bool:
        """Whether any group is flagged: below four-fifths, not by one person."""
        return any(group.flagged for group in self.groups)


Counts = Mapping[str, tuple[int, int]]


def four_fifths(counts: Counts) -> AdverseImpact:
    """Compare each group's selection rate (selected / total) with the highest one.

    `counts` maps a group label to (selected, total); groups with a total of 0 are left
    out, the rest keep their order. The comparison is exact (fractions), so a ratio of
    exactly 0.8 is not below four-fifths. With a single group there is nothing to
    compare: its ratio is None. Impossible counts raise ValueError.
    """
    for group, (selected, total) in counts.items():
        if not 0 <= selected <= total:
            raise ValueError(f"{group}: selected must be between 0 and total")
    present = {group: pair for group, pair in counts.items() if pair[1] > 0}
    rates = {group: Fraction(*pair) for group, pair in present.items()}
    highest = max(rates.values(), default=Fraction(0))
    reference = next((group for group, rate in rates.items() if rate == highest), None)
    comparable = len(rates) >= 2 and highest > 0
    rows = [_row(group, present, reference if comparable else None) for group in present]
    total_selected = sum(row.selected for row in rows)
    small = total_selected < MIN_TOTAL_SELECTED or any(row.small_group for row in rows)
    return AdverseImpact(groups=tuple(rows), small_sample=small)


def _row(group: str, counts: Counts, reference: str | None) -> GroupImpact:
    """One group's row against the reference group (None: no ratios)."""
    selected, total = counts[group]
    rate = Fraction(selected, total)
    plain = GroupImpact(group, selected, total, float(rate), None, False, total < MIN_GROUP_TOTAL)
    if reference is None:
        return plain
    if group == reference:
        return replace(plain, impact_ratio=1.0, highest=True)
    ratio = rate / Fraction(*counts[reference])
    below = ratio < FOUR_FIFTHS
    return replace(
        plain,
        impact_ratio=float(ratio),
        below_four_fifths=below,
        one_person=below and _one_person(group, counts, reference),
        p_value=fisher_exact(counts[group], counts[reference]),
        interval=rate_ratio_interval(counts[group], counts[reference]),
    )


def _one_person(group: str, counts: Counts, reference: str) -> bool:
    """Whether moving one selection from the reference group to `group` brings its
    ratio to four-fifths or more (against whichever group is then highest)."""
    selected, total = counts[group]
    if selected == total:
        return True  # everyone selected: cannot be below four-fifths
    moved = dict(counts)
    moved[group] = (selected + 1, total)
    moved[reference] = (counts[reference][0] - 1, counts[reference][1])
    highest = max(Fraction(*pair) for pair in moved.values())
    return Fraction(selected + 1, total) >= FOUR_FIFTHS * highest
