"""The rater agreement report of an opening, built from the database in one query and
handed to the pure functions in coachkit.statistics (the exercise quality report is in
quality.py, the fairness report in fairness.py).

A unit is one rubric skill of one written answer (candidate, item, skill). A unit with
a single rating cannot show agreement and is left out (it is counted as waiting for a
second rater). Whatever the number of raters, and whether or not all of them scored
every answer, the figure is Krippendorff's alpha at the interval level: the rubric's
1-5 anchors are written as equal steps and a candidate's skill score is the raters'
mean, which already treats the scale as interval. One coefficient and one threshold
throughout, so a third rater joining cannot flip a flag by changing the yardstick.
Beside it: the plain share of rating pairs that agree exactly and within one point, a
bootstrap interval once there are enough units, and ICC(2,1) and ICC(2,k) when every
rater scored every unit (a complete candidate-by-rater table).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from coachkit.content.exercises import Item
from coachkit.extensions import db
from coachkit.hiring import versions
from coachkit.hiring.models import Opening, RaterScore
from coachkit.hiring.results import open_items
from coachkit.revision_cache import RevisionCache
from coachkit.statistics import agreement
from coachkit.statistics.bootstrap import Interval, alpha_interval

ALPHA = "Krippendorff's alpha"

Unit = tuple[int, str, str]  # candidate, item, skill
Ratings = Mapping[int, int]  # rater -> 1-5


@dataclass(frozen=True)
class Figure:
    """One agreement figure and what it rests on."""

    value: float | None  # interval Krippendorff's alpha
    interval: Interval | None  # its bootstrap 95% interval, from MIN_UNITS units
    percent: agreement.PercentAgreement
    icc: float | None  # ICC(2,1): one rater's score
    icc_mean: float | None  # ICC(2,k): the raters' mean, the score candidates get
    answers: int  # written answers with two or more raters
    units: int  # of which skill ratings compared
    raters: int
    single: int  # skill ratings still waiting for a second rater

    @property
    def no_variation(self) -> bool:
        """Raters were paired but every rating was the same value: they agree, yet with
        no spread alpha has nothing to measure agreement against."""
        return self.value is None and self.units > 0

    @property
    def words(self) -> str:
        if self.no_variation:
            return "every rating was the same score: the raters agree, with no variation"
        return agreement.interpret_agreement(self.value)

    @property
    def needs_calibration(self) -> bool:
        return agreement.flagged_for_calibration(self.value)

    @property
    def icc_words(self) -> str:
        return agreement.interpret_icc(self.icc)

    @property
    def icc_mean_words(self) -> str:
        return agreement.interpret_icc(self.icc_mean)


def figure(units: Mapping[Unit, Ratings]) -> Figure:
    """Agreement over `units` (each unit's ratings by rater), in one coefficient family
    whatever the number of raters: interval alpha, so a third rater joining changes
    the figure, never the yardstick."""
    keys = sorted(unit for unit, ratings in units.items() if len(ratings) >= 2)
    raters = sorted({rater for unit in keys for rater in units[unit]})
    table = [[units[unit].get(r) for r in raters] for unit in keys]
    icc = icc_mean = None
    if len(keys) >= 2 and all(len(units[unit]) == len(raters) for unit in keys):
        full = [[units[unit][r] for r in raters] for unit in keys]
        icc, icc_mean = agreement.icc_2_1(full), agreement.icc_2_k(full)
    return Figure(
        value=agreement.krippendorff_alpha(table, level="interval"),
        interval=alpha_interval(table),
        percent=agreement.percent_agreement(table),
        icc=icc,
        icc_mean=icc_mean,
        answers=len({(candidate, item) for candidate, item, _skill in keys}),
        units=len(keys),
        raters=len(raters),
        single=len(units) - len(keys),
    )


@dataclass(frozen=True)
class ItemAgreement:
    item: Item
    overall: Figure
    skills: list[tuple[str, Figure]]

    @property
    def needs_calibration(self) -> bool:
        return self.overall.needs_calibration or any(f.needs_calibration for _s, f in self.skills)


@dataclass(frozen=True)
class AgreementReport:
    overall: Figure
    items: list[ItemAgreement]


_agreement_reports = RevisionCache[AgreementReport](size=64)


def agreement_report(opening: Opening) -> AgreementReport:
    """Agreement for the opening, per open item and per rubric skill. Computed once per
    revision of its scores (1 query), then reused by this worker until a score changes."""
    key = (opening.id, opening.created_at, opening.exercise_version, opening.scores_revision)
    return _agreement_reports.get(key, lambda: _agreement_report(opening))


def _agreement_report(opening: Opening) -> AgreementReport:
    items = open_items(versions.exercise_or_none(opening))
    rubric = {(item.id, skill) for item in items for skill in item.rubric}
    units: dict[Unit, dict[int, int]] = defaultdict(dict)
    for candidate, item_id, skill, rater, rating in db.session.execute(
        select(
            RaterScore.candidate_id,
            RaterScore.item_id,
            RaterScore.skill,
            RaterScore.rater_id,
            RaterScore.rating,
        ).where(RaterScore.opening_id == opening.id)
    ):
        if (item_id, skill) in rubric:
            units[candidate, item_id, skill][rater] = rating
    per_item = []
    for item in items:
        mine = {unit: r for unit, r in units.items() if unit[1] == item.id}
        skills = [
            (skill, figure({unit: r for unit, r in mine.items() if unit[2] == skill}))
            for skill in item.rubric
        ]
        per_item.append(ItemAgreement(item, figure(mine), skills))
    return AgreementReport(figure(units), per_item)
