"""Training impact: do a skill's coaching ratings change after people complete a
module that trains it?

For each module and each skill it trains, a person who completed the module (their
first completion) is paired with themselves: the mean of their coaching ratings of the
skill in the `window` days before completing against the mean in the `window` days
from completing on. The comparison is the people who did not complete the module in
that period, around the takers' median completion date. Ratings a coach kept private
are left out. Groups under MIN_SHOWN people show nothing.

Data (`impact_report`): the takers and median day per module from the practice
records, then each person's sums and counts of ratings before and after, added up by
the database (2 more queries), cached with the practice retries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coachkit.content.library import library
from coachkit.evidence import reading
from coachkit.statistics.paired import Difference, mean_difference


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


Pairs = dict[tuple[str, str], list[tuple[float, float]]]  # (module, skill) -> pairs


def module_impacts(
    takers: dict[str, tuple[int, date]], took: Pairs, others: Pairs
) -> list[ModuleImpact]:
    """Per module someone in scope completed (takers: module -> how many, median day),
    per skill it trains, the paired change of those who took it and of those who did
    not ((before, after) means of each person, where both exist)."""
    names = {skill.id: skill.name for skill in library().skills.values()}
    impacts = []
    for module in library().modules.values():
        if module.slug not in takers:
            continue
        count, pivot = takers[module.slug]
        skills = [
            SkillImpact(
                skill,
                names.get(skill, skill),
                _group(took.get((module.slug, skill), [])),
                _group(others.get((module.slug, skill), [])),
            )
            for skill in module.skills
        ]
        skills = [s for s in skills if s.took.n or s.others.n]
        impacts.append(ModuleImpact(module.slug, module.title, count, pivot, skills))
    # The modules with most to show first.
    return sorted(impacts, key=lambda m: (-m.shown, -m.takers, m.title))
