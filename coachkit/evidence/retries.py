"""Practice results by attempt number: do people do better when they play a module
again? Each completed attempt's result is the mean of its skill ratings (1-5)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from statistics import fmean

from coachkit.content.library import library
from coachkit.evidence import reading
from coachkit.statistics.paired import Difference, mean_difference

LAST_NUMBER = 4  # the fourth attempt and later are shown together as "4+"


@dataclass(frozen=True)
class AttemptNumber:
    label: str
    n: int  # people with an attempt of this number
    mean: float | None  # None when suppressed

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
        return reading.change_reading(self.second_minus_first, self.retried)


def module_retries(rows: Sequence[tuple[int, str, datetime, float]]) -> list[ModuleRetries]:
    """Rows of completed attempts (person, module, completed at, result) by module."""
    ordered: dict[str, dict[int, list[tuple[datetime, float]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for person, slug, completed_at, result in rows:
        ordered[slug][person].append((completed_at, float(result)))
    found = []
    for module in library().modules.values():
        people = ordered.get(module.slug)
        if not people:
            continue
        by_number: dict[int, list[float]] = defaultdict(list)
        firsts, seconds = [], []
        for attempts in people.values():
            results = [result for _when, result in sorted(attempts)]
            for number, result in enumerate(results[: LAST_NUMBER - 1], start=1):
                by_number[number].append(result)
            if len(results) >= LAST_NUMBER:  # one value per person: their later mean
                by_number[LAST_NUMBER].append(fmean(results[LAST_NUMBER - 1 :]))
            if len(results) >= 2:
                firsts.append(results[0])
                seconds.append(results[1])
        numbers = [
            _number(number, by_number.get(number, [])) for number in range(1, LAST_NUMBER + 1)
        ]
        retried = len(firsts)
        difference = mean_difference(firsts, seconds) if retried >= reading.MIN_SHOWN else None
        found.append(ModuleRetries(module.slug, module.title, numbers, retried, difference))
    return found


def _number(number: int, results: list[float]) -> AttemptNumber:
    label = f"{number}+" if number == LAST_NUMBER else str(number)
    shown = len(results) >= reading.MIN_SHOWN
    return AttemptNumber(label, len(results), fmean(results) if shown else None)
