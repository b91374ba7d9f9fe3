"""Practice results by attempt number: do people do better when they play a module
again? An attempt's result is the ending it reached, scored poor 1, mixed 2, good 3;
attempts are numbered per person and module in the order they were started. Read from
the attempts alone, along their (person, module, status, start) index, in 1 query
with a row per person and module back."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import fmean
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, select

from coachkit.content.library import library
from coachkit.database import plain_rows
from coachkit.evidence import reading
from coachkit.statistics.paired import Difference, mean_difference
from coachkit.training.models import Attempt, AttemptStatus

NUMBERS = (1, 2, 3)  # the attempts shown; later ones are rare


@dataclass(frozen=True)
class AttemptNumber:
    label: str
    n: int  # people with an attempt of this number
    mean: float | None  # mean ending score, 1-3; None when suppressed
    good: float | None  # share reaching a good ending; None when suppressed

    @property
    def suppressed(self) -> bool:
        return self.n < reading.MIN_SHOWN


@dataclass(frozen=True)
class ModuleRetries:
    slug: str
    title: str
    numbers: list[AttemptNumber]
    retried: int  # people with a second attempt
    second_minus_first: Difference | None  # None when suppressed

    @property
    def suppressed(self) -> bool:
        return self.retried < reading.MIN_SHOWN

    @property
    def reading(self) -> str:
        return reading.change_reading(self.second_minus_first, self.retried, "Results")


ENDING_SCORES = {"good": 3, "mixed": 2, "poor": 1}


def _numbered(in_scope: ColumnElement[bool]) -> Any:
    """Each completed attempt's ending score and its number for its person and module."""
    score = case(*((Attempt.outcome == outcome, value) for outcome, value in ENDING_SCORES.items()))
    number = func.row_number().over(
        partition_by=(Attempt.user_id, Attempt.module_slug), order_by=Attempt.started_at
    )
    return (
        select(Attempt.user_id, Attempt.module_slug, score.label("result"), number.label("number"))
        .where(in_scope, Attempt.status == AttemptStatus.COMPLETED, Attempt.outcome.is_not(None))
        .subquery()
    )


def _by_person(in_scope: ColumnElement[bool]) -> Select[Any]:
    """Per person and module, the results of their first attempts (one scan)."""
    numbered = _numbered(in_scope)
    at = [func.max(case((numbered.c.number == number, numbered.c.result))) for number in NUMBERS]
    return (
        select(numbered.c.module_slug, *at)
        .where(numbered.c.number <= max(NUMBERS))
        .group_by(numbered.c.user_id, numbered.c.module_slug)
    )


def module_retries(in_scope: ColumnElement[bool], params: Mapping[str, Any]) -> list[ModuleRetries]:
    """Per module practised by at least MIN_SHOWN of the people `in_scope` selects
    (1 query)."""
    results: dict[str, list[list[float]]] = defaultdict(lambda: [[] for _ in NUMBERS])
    pairs: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for slug, *found in plain_rows(_by_person(in_scope), params):
        for position, result in enumerate(found):
            if result is not None:
                results[slug][position].append(float(result))
        if found[1] is not None:
            pairs[slug].append((float(found[0]), float(found[1])))
    modules = []
    for module in library().modules.values():
        if len(results.get(module.slug, [[]])[0]) < reading.MIN_SHOWN:
            continue  # practised by too few to show anything
        numbers = [
            _number(n, found) for n, found in zip(NUMBERS, results[module.slug], strict=True)
        ]
        retried = pairs.get(module.slug, [])
        difference = (
            mean_difference([b for b, _a in retried], [a for _b, a in retried])
            if len(retried) >= reading.MIN_SHOWN
            else None
        )
        modules.append(ModuleRetries(module.slug, module.title, numbers, len(retried), difference))
    return modules


def _number(number: int, results: list[float]) -> AttemptNumber:
    if len(results) < reading.MIN_SHOWN:
        return AttemptNumber(str(number), len(results), None, None)
    good = sum(result == ENDING_SCORES["good"] for result in results) / len(results)
    return AttemptNumber(str(number), len(results), fmean(results), good)
