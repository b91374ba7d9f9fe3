"""The exercise quality report of an opening, from the database in two queries, handed
to the pure functions in coachkit.statistics.item_analysis.

Each item is scored 0-1 per candidate: a judgement item's keyed credit; an open item's
raters' mean per rubric skill mapped to 0-1 as (mean - 1) / 4 and averaged over its
skills. A blank answer (a judgement left incomplete, a written reply left empty) is
missing, not the lowest score: counting it as 0 would make an item look hard because
people ran out of time. A candidate counts as complete, and is included, only when
every written answer has the opening's full number of raters on every rubric skill;
one rater's score is not yet the score the candidate gets, and counting an unrated
answer as 0 would blame the candidate for the raters' backlog.
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
from coachkit.statistics import item_analysis
from coachkit.statistics.item_analysis import (
    MIN_CANDIDATES_FOR_REPORT,
    MIN_CANDIDATES_TO_ACT,
    Interval,
)


@dataclass(frozen=True)
class ItemQuality:
    item: Item
    answered: int  # included candidates who did not leave it blank
    difficulty: float | None
    discrimination: float | None

    @property
    def provisional(self) -> bool:
        """Too few answers to act on the figures."""
        return self.answered < MIN_CANDIDATES_TO_ACT

    @property
    def difficulty_words(self) -> str:
        return item_analysis.interpret_difficulty(self.difficulty)

    @property
    def discrimination_words(self) -> str:
        return item_analysis.interpret_discrimination(self.discrimination)


@dataclass(frozen=True)
class QualityReport:
    answered: int  # candidates who handed in
    included: int  # of which complete: every written answer has its full raters
    required: int = 2  # raters per written answer
    items: list[ItemQuality] = field(default_factory=list)
    alpha: float | None = None
    alpha_candidates: int = 0  # included candidates with no blank answer
    interval: Interval | None = None  # Feldt's 95% interval of alpha

    @property
    def ready(self) -> bool:
        return self.included >= MIN_CANDIDATES_FOR_REPORT

    @property
    def more_needed(self) -> int:
        return max(0, MIN_CANDIDATES_FOR_REPORT - self.answered)

    @property
    def settled(self) -> bool:
        """Enough complete candidates to act on the figures, not only to look."""
        return self.included >= MIN_CANDIDATES_TO_ACT

    @property
    def alpha_words(self) -> str:
        return item_analysis.interpret_alpha(self.alpha)


def awaiting_raters(item: Item, written: bool, counts: Mapping[str, int], required: int) -> bool:
    """Whether a written answer still lacks some of its raters on some rubric skill."""
    return (
        not item.keyed and written and any(counts.get(skill, 0) < required for skill in item.rubric)
    )


def item_score(
    item: Item, credit: float | None, written: bool, means: Mapping[str, float]
) -> float | None:
    """A complete candidate's 0-1 score on one item; None for a blank answer."""
    if item.keyed:
        return credit
    if not written:
        return None
    return fmean((means[skill] - 1) / 4 for skill in item.rubric)


Given = dict[int, dict[str, tuple[float | None, bool]]]  # candidate -> item -> answer
Rated = dict[tuple[int, str], dict[str, tuple[float, int]]]  # -> skill -> (mean, raters)


def _read(opening: Opening) -> tuple[Given, Rated]:
    """Handed-in candidates' answers, and the raters' mean and count per skill."""
    answers: Given = {}
    for candidate, item_id, credit, written in db.session.execute(
        select(Candidate.id, Answer.item_id, Answer.credit, Answer.written)
        .outerjoin(Answer, Answer.candidate_id == Candidate.id)
        .where(Candidate.opening_id == opening.id, Candidate.status.in_(ANSWERED))
    ):
        answers.setdefault(candidate, {})
        if item_id is not None:
            answers[candidate][item_id] = (credit, bool(written))
    rated: Rated = defaultdict(dict)
    for candidate, item_id, skill, mean, raters in db.session.execute(
        select(
            RaterScore.candidate_id,
            RaterScore.item_id,
            RaterScore.skill,
            func.avg(RaterScore.rating),
            func.count(),
        )
        .where(RaterScore.opening_id == opening.id)
        .group_by(RaterScore.candidate_id, RaterScore.item_id, RaterScore.skill)
    ):
        rated[candidate, item_id][skill] = (float(mean), int(raters))
    return answers, rated


def score_matrix(opening: Opening, exercise: Exercise) -> tuple[int, list[list[float | None]]]:
    """(candidates who handed in, the 0-1 score rows of the complete ones; None marks a
    blank answer) in 2 queries."""
    answers, rated = _read(opening)
    rows = []
    for candidate, given in answers.items():
        row: list[float | None] = []
        for item in exercise.items:
            credit, written = given.get(item.id, (None, False))
            skills = rated.get((candidate, item.id), {})
            counts = {skill: raters for skill, (_mean, raters) in skills.items()}
            if awaiting_raters(item, written, counts, opening.raters_required):
                break
            means = {skill: mean for skill, (mean, _raters) in skills.items()}
            row.append(item_score(item, credit, written, means))
        else:
            rows.append(row)
    return len(answers), rows


def quality_report(opening: Opening) -> QualityReport:
    """Difficulty and discrimination per item and Cronbach's alpha with its interval,
    once enough candidates are complete (2 queries)."""
    exercise = versions.exercise_or_none(opening)
    required = opening.raters_required
    if exercise is None:
        return QualityReport(0, 0, required)
    answered, rows = score_matrix(opening, exercise)
    if len(rows) < MIN_CANDIDATES_FOR_REPORT:
        return QualityReport(answered, len(rows), required)
    columns = list(zip(*rows, strict=True))
    discrimination = item_analysis.corrected_item_total(rows)
    items = [
        ItemQuality(
            item,
            sum(score is not None for score in columns[i]),
            item_analysis.difficulty(columns[i], 1.0),
            discrimination[i],
        )
        for i, item in enumerate(exercise.items)
    ]
    alpha = item_analysis.cronbach_alpha(rows)
    complete = len(item_analysis.complete_rows(rows))
    interval = None
    if alpha is not None:
        interval = item_analysis.cronbach_interval(alpha, complete, len(exercise.items))
    return QualityReport(answered, len(rows), required, items, alpha, complete, interval)
