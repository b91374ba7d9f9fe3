"""Practice results by attempt number: do people do better when they play a module
again? An attempt's result is the ending it reached, scored poor 1, mixed 2, good 3;
attempts are numbered per person and module in the order they were started. Read from
the practice records (`training.practice`, the first three results of each person at
each module) in 1 query, counted by the database per module and combination of
results (results are whole numbers 1-3, so a few rows per module come back)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import fmean
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select

from coachkit.content.library import library
from coachkit.database import plain_rows
from coachkit.evidence import reading
from coachkit.statistics.paired import Difference, mean_difference
from coachkit.training.models import PracticeRecord
from coachkit.training.practice import ENDING_SCORES, RESULTS

NUMBERS = tuple(range(1, len(RESULTS) + 1))  # the attempts shown; later ones are rare


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


def _combinations(in_scope: ColumnElement[bool]) -> Select[Any]:
    """Per module and combination of first, second and third results: how many people."""
    results = [getattr(PracticeRecord, name) for name in RESULTS]
    return (
        select(PracticeRecord.module_slug, *results, func.count())
        .where(in_scope, PracticeRecord.result_1.is_not(None))
        .group_by(PracticeRecord.module_slug, *results)
    )


def module_retries(in_scope: ColumnElement[bool], params: Mapping[str, Any]) -> list[ModuleRetries]:
    """Per module practised by at least MIN_SHOWN of the people `in_scope` selects
    (1 query)."""
    results: dict[str, list[list[float]]] = defaultdict(lambda: [[] for _ in NUMBERS])
    pairs: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for slug, *found, people in plain_rows(_combinations(in_scope), params):
        for position, result in enumerate(found):
            if result is not None:
                results[slug][position].extend([float(result)] * people)
        if found[1] is not None:
            pairs[slug].extend([(float(found[0]), float(found[1]))] * people)
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
