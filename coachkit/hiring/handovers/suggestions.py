"""A new starter's skill profile from their hand-over, and the training modules that
suit them best: those that train their weakest skills."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from coachkit.content.modules import Module
from coachkit.content.skills import Skill

STRONG_SCORE = 4.0  # a skill scored at or above this is not a training need
WEAKEST_COUNT = 3
SUGGESTION_COUNT = 3


@dataclass(frozen=True)
class SkillLine:
    skill: str
    name: str
    score: float
    anchor: str  # what the rounded score looks like, from the catalogue


def rounded(score: float) -> int:
    """A 1-5 score rounded half up to a whole rating."""
    return min(5, max(1, int(score + 0.5)))


def profile(skills: Mapping[str, float], catalogue: Mapping[str, Skill]) -> list[SkillLine]:
    """The hand-over's skills in catalogue order, each with its anchor text."""
    order = [skill for skill in catalogue if skill in skills]
    order += [skill for skill in skills if skill not in catalogue]
    return [
        SkillLine(
            skill,
            catalogue[skill].name if skill in catalogue else skill,
            float(skills[skill]),
            catalogue[skill].anchor_for(rounded(skills[skill])) if skill in catalogue else "",
        )
        for skill in order
    ]


def weakest(lines: Iterable[SkillLine], count: int = WEAKEST_COUNT) -> list[SkillLine]:
    """Up to `count` lowest-scored skills below STRONG_SCORE, lowest first (ties keep
    catalogue order)."""
    weak = [line for line in lines if line.score < STRONG_SCORE]
    return sorted(weak, key=lambda line: line.score)[:count]


@dataclass(frozen=True)
class Suggestion:
    module: Module
    trains: list[SkillLine]


def suggestions(
    weak: list[SkillLine], modules: Iterable[Module], count: int = SUGGESTION_COUNT
) -> list[Suggestion]:
    """Modules that train the weakest skills, best first: the weakest skill counts most,
    and a module training several of them beats one training a single skill."""
    weight = {line.skill: len(weak) - index for index, line in enumerate(weak)}
    ranked = []
    for position, module in enumerate(modules):
        trains = [line for line in weak if line.skill in module.skills]
        if trains:
            ranked.append((-sum(weight[line.skill] for line in trains), position, module, trains))
    ranked.sort(key=lambda entry: entry[:2])
    return [Suggestion(module, trains) for _w, _p, module, trains in ranked[:count]]
