"""The statistics reports of an opening, built from the database with a fixed number of
queries and handed to the pure functions in coachkit.statistics (agreement,
item_analysis and adverse_impact).

Agreement. A unit is one rubric skill of one written answer (candidate, item, skill).
A unit with a single rating cannot show agreement and is left out (it is counted as
waiting for a second rater). When exactly two raters scored the units, the figure is
Cohen's weighted kappa (quadratic weights); with three or more raters, who need not
all score every answer, it is Krippendorff's alpha at the interval level: the rubric's
1-5 anchors are written as equal steps and a candidate's skill score is the raters'
mean, which already treats the scale as interval. ICC(2,1) is added when every rater
scored every unit (a complete candidate-by-rater table).

Quality. Each item is scored 0-1 per candidate: a judgement item's keyed credit
(unanswered = 0); an open item's raters' mean per rubric skill mapped to 0-1 as
(mean - 1) / 4 and averaged over its skills (blank = 0). A candidate whose written
answer is not rated yet on every skill is left out rather than counted as 0, which
would make the open item look harder and blame the candidate for the raters' backlog.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from statistics import fmean

from sqlalchemy import func, select

from coachkit.content.exercises import Exercise, Item
from coachkit.extensions import db
from coachkit.hiring import versions
from coachkit.hiring.models import ANSWERED, Answer, Candidate, Opening, RaterScore
from coachkit.hiring.results import open_items
from coachkit.revision_cache import RevisionCache
from coachkit.statistics import agreement, item_analysis

KAPPA = "Weighted kappa"
ALPHA = "Krippendorff's alpha"

Unit = tuple[int, str, str]  # candidate, item, skill
Ratings = Mapping[int, int]  # rater -> 1-5


@dataclass(frozen=True)
class Figure:
    """One agreement figure and what it rests on."""

    method: str | None  # KAPPA or ALPHA; None when nothing could be paired
    value: float | None
    words: str
    icc: float | None
    answers: int  # written answers with two or more raters
    units: int  # of which skill ratings compared
    raters: int
    single: int  # skill ratings still waiting for a second rater

    @property
    def needs_calibration(self) -> bool:
        if self.method == KAPPA:
            return agreement.kappa_flagged_for_calibration(self.value)
        return agreement.flagged_for_calibration(self.value)

    @property
    def icc_words(self) -> str:
        return agreement.interpret_agreement(self.icc)


def figure(units: Mapping[Unit, Ratings]) -> Figure:
    """Agreement over `units` (each unit's ratings by rater)."""
    pairable = {unit: ratings for unit, ratings in units.items() if len(ratings) >= 2}
    raters = sorted({rater for ratings in pairable.values() for rater in ratings})
    value: float | None = None
    method: str | None = None
    if len(raters) == 2:
        first, second = raters
        pairs = [(ratings[first], ratings[second]) for ratings in pairable.values()]
        method, value = KAPPA, agreement.weighted_kappa(pairs, weights="quadratic")
        words = agreement.interpret_kappa(value)
    else:
        if pairable:
            method = ALPHA
            table = [[ratings.get(r) for r in raters] for ratings in pairable.values()]
            value = agreement.krippendorff_alpha(table, level="interval")
        words = agreement.interpret_agreement(value)
    complete = all(len(ratings) == len(raters) for ratings in pairable.values())
    icc = None
    if complete and len(pairable) >= 2:
        icc = agreement.icc_2_1([[ratings[r] for r in raters] for ratings in pairable.values()])
    return Figure(
        method=method,
        value=value,
        words=words,
        icc=icc,
        answers=len({(candidate, item) for candidate, item, _skill in pairable}),
        units=len(pairable),
        raters=len(raters),
        single=len(units) - len(pairable),
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


# Exercise quality


@dataclass(frozen=True)
class ItemQuality:
    item: Item
    difficulty: float | None
    discrimination: float | None

    @property
    def difficulty_words(self) -> str:
        return item_analysis.interpret_difficulty(self.difficulty)

    @property
    def discrimination_words(self) -> str:
        return item_analysis.interpret_discrimination(self.discrimination)


@dataclass(frozen=True)
class QualityReport:
    answered: int  # candidates who handed in
    included: int  # of which every written answer is rated
    items: list[ItemQuality] = field(default_factory=list)
    alpha: float | None = None

    @property
    def ready(self) -> bool:
        return self.included >= item_analysis.MIN_CANDIDATES_FOR_REPORT

    @property
    def more_needed(self) -> int:
        return max(0, item_analysis.MIN_CANDIDATES_FOR_REPORT - self.answered)

    @property
    def alpha_words(self) -> str:
        return item_analysis.interpret_alpha(self.alpha)


def item_score(
    item: Item, credit: float | None, written: bool, means: Mapping[str, float]
) -> float | None:
    """A candidate's 0-1 score on one item; None when a written answer awaits raters."""
    if item.keyed:
        return credit or 0.0
    if not written:
        return 0.0
    if any(skill not in means for skill in item.rubric):
        return None
    return fmean((means[skill] - 1) / 4 for skill in item.rubric)


def score_matrix(opening: Opening, exercise: Exercise) -> tuple[int, list[list[float]]]:
    """(candidates who handed in, the 0-1 score rows of those fully rated) in 2 queries."""
    answers: dict[int, dict[str, tuple[float | None, bool]]] = {}
    for candidate, item_id, credit, written in db.session.execute(
        select(Candidate.id, Answer.item_id, Answer.credit, Answer.written)
        .outerjoin(Answer, Answer.candidate_id == Candidate.id)
        .where(Candidate.opening_id == opening.id, Candidate.status.in_(ANSWERED))
    ):
        answers.setdefault(candidate, {})
        if item_id is not None:
            answers[candidate][item_id] = (credit, bool(written))
    means: dict[tuple[int, str], dict[str, float]] = defaultdict(dict)
    for candidate, item_id, skill, mean in db.session.execute(
        select(
            RaterScore.candidate_id,
            RaterScore.item_id,
            RaterScore.skill,
            func.avg(RaterScore.rating),
        )
        .where(RaterScore.opening_id == opening.id)
        .group_by(RaterScore.candidate_id, RaterScore.item_id, RaterScore.skill)
    ):
        means[candidate, item_id][skill] = float(mean)
    rows = []
    for candidate, given in answers.items():
        row = [
            item_score(
                item, *given.get(item.id, (None, False)), means.get((candidate, item.id), {})
            )
            for item in exercise.items
        ]
        if all(score is not None for score in row):
            rows.append([score for score in row if score is not None])
    return len(answers), rows


def quality_report(opening: Opening) -> QualityReport:
    """Difficulty and discrimination per item and Cronbach's alpha, once enough
    candidates are in (2 queries)."""
    exercise = versions.exercise_or_none(opening)
    if exercise is None:
        return QualityReport(0, 0)
    answered, rows = score_matrix(opening, exercise)
    if len(rows) < item_analysis.MIN_CANDIDATES_FOR_REPORT:
        return QualityReport(answered, len(rows))
    columns = list(zip(*rows, strict=True))
    discrimination = item_analysis.corrected_item_total(rows)
    items = [
        ItemQuality(item, item_analysis.difficulty(columns[i], 1.0), discrimination[i])
        for i, item in enumerate(exercise.items)
    ]
    return QualityReport(answered, len(rows), items, item_analysis.cronbach_alpha(rows))
