"""Training impact: do a skill's coaching ratings change after people complete a
module that trains it?

For each module and each skill it trains, a person who completed the module (their
first completion) is paired with themselves: the mean of their coaching ratings of the
skill in the `window` days before completing against the mean in the `window` days
from completing on. The comparison is the people who did not complete the module in
that period, around the takers' median completion date. Ratings a coach kept private
are left out. Groups under MIN_SHOWN people show nothing.

Data (`impact_report`): the coaching ratings and the first completions (the practice
records) of the people in scope, 2 queries, cached with the practice retries. The
comparison's means are worked out once per skill and turning point, which modules
completed at about the same time share, then each module leaves out its own takers.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate, groupby
from operator import itemgetter
from statistics import median_low

from coachkit.content.library import library
from coachkit.evidence import reading
from coachkit.statistics.paired import Difference, mean_difference


@dataclass(frozen=True)
class Series:
    """One person's ratings of one skill, by day (`date.toordinal`), with running sums
    for windows."""

    days: list[int]
    sums: list[float]  # sums[i]: total of the first i ratings

    def around(self, day: int, window: int) -> tuple[float, float] | None:
        """The means of the ratings in the `window` days before `day` and in the
        `window` days from it on; None unless both have some."""
        days, sums = self.days, self.sums
        low, middle = bisect_left(days, day - window), bisect_left(days, day)
        high = bisect_left(days, day + window)
        if low == middle or middle == high:
            return None
        return (sums[middle] - sums[low]) / (middle - low), (sums[high] - sums[middle]) / (
            high - middle
        )


def day_number(day: date | str) -> int:
    """A date, or its ISO text, as `date.toordinal` numbers it."""
    return (day if isinstance(day, date) else date.fromisoformat(day)).toordinal()


def series(rows: Sequence[tuple[int, str, date | str, int]]) -> dict[tuple[int, str], Series]:
    """Ratings (person, skill, date or its ISO text, rating), ordered by person and
    skill (as the ratings index reads them), as a series per person and skill."""
    result = {}
    for key, found in groupby(rows, key=itemgetter(0, 1)):
        if key in result:
            raise ValueError("ratings must come ordered by person and skill")
        dated = sorted((day_number(held_on), rating) for _p, _s, held_on, rating in found)
        result[key] = Series([d for d, _r in dated], [0, *accumulate(r for _d, r in dated)])
    return result


@dataclass(frozen=True)
class Group:
    n: int
    difference: Difference | None  # None when suppressed

    @property
    def suppressed(self) -> bool:
        return self.n < reading.MIN_SHOWN

    @property
    def reading(self) -> str:
        return reading.change_reading(self.difference, self.n)


@dataclass(frozen=True)
class SkillImpact:
    skill: str
    name: str
    took: Group
    others: Group


@dataclass(frozen=True)
class ModuleImpact:
    slug: str
    title: str
    takers: int  # completed it, in scope
    pivot: date | None  # the takers' median completion date, the comparison's turning point
    skills: list[SkillImpact]  # the skills someone was rated on before and after

    @property
    def shown(self) -> int:
        """Groups with enough people to show."""
        return sum(not g.suppressed for s in self.skills for g in (s.took, s.others))


def _group(pairs: list[tuple[float, float]]) -> Group:
    if len(pairs) < reading.MIN_SHOWN:
        return Group(len(pairs), None)
    return Group(len(pairs), mean_difference([b for b, _a in pairs], [a for _b, a in pairs]))


def _pairs(
    people: Iterable[tuple[int, date]],
    skill: str,
    ratings: dict[tuple[int, str], Series],
    days: int,
) -> dict[int, tuple[float, float]]:
    """(before, after) means of each person around their own date, where both exist."""
    pairs = {}
    for person, moment in people:
        found = ratings.get((person, skill))
        if found is None:
            continue
        means = found.around(moment.toordinal(), days)
        if means is not None:
            pairs[person] = means
    return pairs


def module_impacts(
    completions: Sequence[tuple[int, str, date | str]],
    ratings: dict[tuple[int, str], Series],
    days: int,
) -> list[ModuleImpact]:
    """Per module someone in scope completed, per skill it trains, the paired change of
    those who took it and of those who did not (completions: person, module, date or
    its ISO text)."""
    taken: dict[str, dict[int, date]] = defaultdict(dict)
    for person, slug, done in completions:
        taken[slug][person] = done if isinstance(done, date) else date.fromisoformat(done)
    rated: dict[str, list[int]] = defaultdict(list)  # skill -> people rated on it
    for person, skill in ratings:
        rated[skill].append(person)
    names = {skill.id: skill.name for skill in library().skills.values()}
    around: dict[tuple[str, date], dict[int, tuple[float, float]]] = {}  # everyone's
    impacts = []
    window = timedelta(days=days)
    for module in library().modules.values():
        takers = taken.get(module.slug, {})
        if not takers:
            continue
        pivot = median_low(sorted(takers.values()))

        def others(skill: str, pivot: date = pivot, takers: dict[int, date] = takers) -> Group:
            if (skill, pivot) not in around:
                people = ((person, pivot) for person in rated[skill])
                around[skill, pivot] = _pairs(people, skill, ratings, days)
            return _group(
                [
                    pair
                    for person, pair in around[skill, pivot].items()
                    if person not in takers or not pivot - window <= takers[person] < pivot + window
                ]
            )

        skills = [
            SkillImpact(
                skill,
                names.get(skill, skill),
                _group(list(_pairs(takers.items(), skill, ratings, days).values())),
                others(skill),
            )
            for skill in module.skills
        ]
        skills = [s for s in skills if s.took.n or s.others.n]
        impacts.append(ModuleImpact(module.slug, module.title, len(takers), pivot, skills))
    # The modules with most to show first.
    return sorted(impacts, key=lambda m: (-m.shown, -m.takers, m.title))
