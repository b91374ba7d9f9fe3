"""One readable scale for practice results: an attempt's points on a skill placed on
the 1-5 scale that coaching ratings and screening scores use, and an overall 0-100%.

A skill's rating places the points between the lowest and the highest total the module
allows for that skill on any path (computed exactly, `content.paths`): the lowest is 1,
the highest 5, in between in proportion, rounded half up to one decimal. The overall
figure places the attempt's total over all skills between the module's lowest total and
its strongest path's total. Old attempts are placed the same way, from their stored
points and the module version they played.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from coachkit.content.modules import Module
from coachkit.content.paths import analysis, skill_range
from coachkit.content.skills import Skill

LOWEST, HIGHEST = 1, 5


@dataclass(frozen=True)
class SkillResult:
    """An attempt's result on one skill: the rating and what it was placed between."""

    skill: str
    points: int
    worst: int  # the lowest total any path gives this skill
    strongest: int  # the highest
    rating: float | None  # 1.0 to 5.0; None when every path gives the same total


def place(points: int, worst: int, strongest: int) -> float | None:
    """`points` on the 1-5 scale between `worst` (1) and `strongest` (5), one decimal,
    half up; points outside the range count as its nearer end. None for an empty range."""
    if strongest <= worst:
        return None
    share = Fraction(min(max(points, worst), strongest) - worst, strongest - worst)
    tenths = math.floor((LOWEST + (HIGHEST - LOWEST) * share) * 10 + Fraction(1, 2))
    return tenths / 10


def skill_result(module: Module, skill: str, points: int) -> SkillResult:
    worst, strongest = skill_range(module, skill)
    return SkillResult(skill, points, worst, strongest, place(points, worst, strongest))


def rating_tenths(module: Module, skill: str, points: int) -> int | None:
    """The rating of `points` on `skill` as stored with a completed attempt: in tenths
    (42 for 4.2), None when the module gives the skill no range."""
    rating = skill_result(module, skill, points).rating
    return None if rating is None else round(rating * 10)


def mean_rating(tenths: int, count: int) -> float:
    """The mean of `count` ratings that add up to `tenths` tenths, one decimal, half up."""
    return math.floor(Fraction(tenths, count) + Fraction(1, 2)) / 10


def skill_results(module: Module, scores: Mapping[str, int]) -> list[SkillResult]:
    """Every skill the module trains, in its order; a skill not in `scores` has 0 points."""
    return [skill_result(module, skill, scores.get(skill, 0)) for skill in module.skills]


def overall_percent(module: Module, scores: Mapping[str, int]) -> int | None:
    """The attempt's total placed between the module's lowest total (0%) and its
    strongest path's total (100%), a whole percent; None when every path ties."""
    worst, strongest = analysis(module).total_range()
    if strongest <= worst:
        return None
    total = sum(scores.get(skill, 0) for skill in module.skills)
    share = Fraction(min(max(total, worst), strongest) - worst, strongest - worst)
    return math.floor(share * 100 + Fraction(1, 2))


def anchor(skill: Skill, rating: float) -> str:
    """The catalogue's words for a rating: the anchor of the nearest whole rating (half
    up), or of the nearest lower one that is described."""
    whole = min(max(math.floor(rating + 0.5), LOWEST), HIGHEST)
    return skill.anchor_for(whole)
