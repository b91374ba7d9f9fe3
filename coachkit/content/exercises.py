"""Screening exercises: realistic customer situations that show how a candidate relates
to people, expressed in the skills of the catalogue.

A *judgement* item offers four or five responses, each with a scoring key: how effective
experienced staff judge it, from 1 (makes things worse) to 5 (very effective). The
candidate either picks the most and least effective (`best-worst`) or rates every
response (`rate`). An *open* item asks for a written reply, which raters score 1-5 per
skill against anchors written for that item. The format and these scoring rules are
documented, with a complete example, in content/README.md; `exercise_parser` reads and
checks the files.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import fmean
from types import MappingProxyType
from typing import Literal

from markupsafe import Markup

from coachkit.content.problems import Collector, Problem

ItemKind = Literal["judgement", "open"]
AnswerMode = Literal["best-worst", "rate"]
ITEM_KINDS: tuple[ItemKind, ...] = ("judgement", "open")
ANSWER_MODES: tuple[AnswerMode, ...] = ("best-worst", "rate")
RATINGS = range(1, 6)  # scoring keys, candidates' ratings and raters' ratings alike
RESPONSES_PER_ITEM = (4, 5)
MINUTES = range(8, 16)
MAX_WORDS = range(20, 501)
DEFAULT_MAX_WORDS = 150


@dataclass(frozen=True)
class Response:
    """A response to a judgement item, as the customer would hear it."""

    text: str
    key: int  # expert effectiveness rating, 1-5
    line: int
    why: str = ""  # the author's reason for the key, for reviewers and raters


@dataclass(frozen=True)
class Item:
    id: str
    kind: ItemKind
    line: int
    situation_html: Markup
    skills: tuple[str, ...]
    answer: AnswerMode | None = None  # judgement items only
    responses: tuple[Response, ...] = ()  # judgement items only
    prompt: str = ""  # open items only: what the candidate is asked to write
    max_words: int = 0  # open items only
    rubric: Mapping[str, Mapping[int, str]] = field(  # open items: skill -> rating -> anchor
        default_factory=lambda: MappingProxyType({})
    )
    skills_line: int = 0

    @property
    def keyed(self) -> bool:
        """Scored automatically against the key (judgement), not by raters (open)."""
        return self.kind == "judgement"

    @property
    def best_index(self) -> int:
        keys = [response.key for response in self.responses]
        return keys.index(max(keys))

    @property
    def worst_index(self) -> int:
        keys = [response.key for response in self.responses]
        return keys.index(min(keys))

    def anchor_for(self, skill: str, rating: int) -> str:
        """The rubric anchor for `rating`, or the nearest lower one that is written."""
        anchors = self.rubric[skill]
        return next(anchors[r] for r in range(rating, 0, -1) if r in anchors)


@dataclass(frozen=True)
class Exercise:
    slug: str
    path: Path
    version: str
    title: str
    summary: str
    setting: str  # where it happens, e.g. "Contact centre"
    minutes: int  # typical candidate time
    skills: tuple[str, ...]
    intro_html: Markup
    items: tuple[Item, ...] = field(repr=False)
    skills_line: int = 1

    def item(self, item_id: str) -> Item | None:
        return next((item for item in self.items if item.id == item_id), None)


def _check_best_worst(item: Item, problems: Collector) -> None:
    """A best-worst item is scored against one best and one worst response."""
    keys = [response.key for response in item.responses]
    for extreme, word in ((max(keys), "highest"), (min(keys), "lowest")):
        tied = [response for response in item.responses if response.key == extreme]
        for response in tied[1:]:
            problems.add(
                response.line,
                f"best-worst item '{item.id}' needs one response with the {word} key, "
                f"but this one shares {extreme} with line {tied[0].line}",
            )


def check_exercise(exercise: Exercise, skill_ids: Collection[str]) -> list[Problem]:
    """Problems across a parsed exercise: skills that are not in the catalogue, listed
    skills no item measures (or the reverse), and best-worst items without one best and
    one worst response."""
    problems = Collector(exercise.path)
    for skill in exercise.skills:
        if skill not in skill_ids:
            problems.add(exercise.skills_line, f"unknown skill '{skill}' in skills")
        elif not any(skill in item.skills for item in exercise.items):
            problems.add(exercise.skills_line, f"'{skill}' is in skills but no item measures it")
    for item in exercise.items:
        for skill in item.skills:
            if skill not in skill_ids:
                problems.add(
                    item.skills_line, f"unknown skill '{skill}' in {item.kind} '{item.id}'"
                )
            elif skill not in exercise.skills:
                problems.add(
                    item.skills_line,
                    f"{item.kind} '{item.id}' measures '{skill}', "
                    "which the front matter's skills do not list",
                )
        keys_usable = item.responses and all(r.key in RATINGS for r in item.responses)
        if item.answer == "best-worst" and keys_usable:
            _check_best_worst(item, problems)
    return problems.problems


def _keys(item: Item, mode: AnswerMode) -> list[int]:
    if item.answer != mode:
        raise ValueError(f"item '{item.id}' is not answered as {mode}")
    return [response.key for response in item.responses]


def score_best_worst(item: Item, best: int, worst: int) -> float:
    """Credit from 0 to 1 for picking response `best` as the most effective and `worst`
    as the least (indexes into `item.responses`).

    Each pick earns half, graded by how far its key sits between the item's lowest and
    highest key: the best pick earns (key - lowest) / (highest - lowest), the worst pick
    (highest - key) / (highest - lowest). The keyed best and worst score 1.0; the two
    swapped score 0.0; a near miss earns most of its half.
    """
    keys = _keys(item, "best-worst")
    if best == worst or not (0 <= best < len(keys) and 0 <= worst < len(keys)):
        raise ValueError("best and worst must be two different responses of the item")
    lowest, highest = min(keys), max(keys)
    if lowest == highest:
        raise ValueError(f"item '{item.id}' has no spread of keys to score against")
    return (keys[best] - lowest + highest - keys[worst]) / (2 * (highest - lowest))


def score_ratings(item: Item, ratings: Sequence[int]) -> float:
    """Credit from 0 to 1 for rating every response 1-5, in order:
    1 - mean |rating - key| / 4. Matching every key scores 1.0; each point of
    distance from a key costs a quarter of that response's share."""
    keys = _keys(item, "rate")
    if len(ratings) != len(keys) or any(rating not in RATINGS for rating in ratings):
        raise ValueError(f"item '{item.id}' needs one rating from 1 to 5 per response")
    return 1 - fmean(abs(rating - key) for rating, key in zip(ratings, keys, strict=True)) / 4


def keyed_rating(credit: float) -> float:
    """A keyed item's credit (0-1) on the raters' 1-5 scale: 1 + 4 x credit."""
    if not 0 <= credit <= 1:
        raise ValueError("credit must be between 0 and 1")
    return 1 + 4 * credit


def skill_scores(
    exercise: Exercise,
    credits: Mapping[str, float],
    ratings: Mapping[str, Mapping[str, float]],
) -> dict[str, float]:
    """A candidate's score per skill, 1-5, in the exercise's skill order.

    `credits` holds each answered judgement item's credit (item id -> 0-1); `ratings`
    each rated open item's rating per rubric skill (item id -> skill -> 1-5, the mean
    of its raters). A skill's score is the plain mean, over the items that measure it
    and have a score, of `keyed_rating(credit)` or the open item's rating. A skill
    without any scored item is left out, not guessed.
    """
    ids = {item.id for item in exercise.items}
    if unknown := (set(credits) | set(ratings)) - ids:
        raise ValueError(f"not items of '{exercise.slug}': {', '.join(sorted(unknown))}")
    scores: dict[str, list[float]] = {skill: [] for skill in exercise.skills}
    for item in exercise.items:
        for skill in item.skills:
            if item.keyed and item.id in credits:
                scores.setdefault(skill, []).append(keyed_rating(credits[item.id]))
            elif not item.keyed and skill in ratings.get(item.id, {}):
                rating = ratings[item.id][skill]
                if not 1 <= rating <= 5:
                    raise ValueError("an open item's rating must be between 1 and 5")
                scores.setdefault(skill, []).append(rating)
    return {skill: fmean(values) for skill, values in scores.items() if values}
