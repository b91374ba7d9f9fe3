"""Which modules to suggest after a session: those that train the weakest skills."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from coachkit.content.modules import Module

WEAK_RATING = 3  # a coaching rating at or below this is worth practising
WEAKEST_COUNT = 3
SUGGESTION_COUNT = 3


@dataclass(frozen=True)
class Weakness:
    skill: str
    reason: str  # e.g. "rated 2 in this session"


def weakest_skills(
    ratings: Mapping[str, int],
    training: Mapping[str, float],
    catalogue: Iterable[str],
    count: int = WEAKEST_COUNT,
) -> list[Weakness]:
    """The weakest skills: this session's lowest ratings (3 or below) first, then the
    skills with the lowest practice rating (1-5) among those not rated. Ties keep catalogue
    order, so the result is stable."""
    order = {skill: index for index, skill in enumerate(catalogue)}
    rated = sorted(
        (s for s, r in ratings.items() if r <= WEAK_RATING and s in order),
        key=lambda s: (ratings[s], order[s]),
    )
    found = [Weakness(s, f"rated {ratings[s]} in this session") for s in rated]
    practised = sorted(
        (s for s in training if s not in ratings and s in order),
        key=lambda s: (training[s], order[s]),
    )
    found += [Weakness(s, f"practice {training[s]:.1f} / 5") for s in practised]
    return found[:count]


@dataclass(frozen=True)
class Suggestion:
    module: Module
    trains: list[Weakness]


def suggest_modules(
    weak: list[Weakness],
    modules: Iterable[Module],
    exclude: set[str],
    count: int = SUGGESTION_COUNT,
) -> list[Suggestion]:
    """Modules training the weak skills, best first: the weakest skill counts most,
    a module training several weak skills beats one training a single skill."""
    weight = {w.skill: len(weak) - index for index, w in enumerate(weak)}
    ranked = []
    for module in modules:
        if module.slug in exclude:
            continue
        trains = [w for w in weak if w.skill in module.skills]
        if trains:
            ranked.append((-sum(weight[w.skill] for w in trains), module.title, module, trains))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [Suggestion(module, trains) for _score, _title, module, trains in ranked[:count]]
