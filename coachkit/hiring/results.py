"""A candidate's results: per-skill scores from keyed credits and raters' means.

`refresh` recomputes a candidate's `SkillResult` rows and overall score after their
answers are handed in and after every rating, so pages read stored numbers.

Scoring rules (documented in content/README.md): a judgement item left unanswered
earns no credit (0, which is 1 on the 1-5 scale); an open item left blank is scored 1
on each of its rubric skills without troubling the raters; an answered open item's
score per skill is the mean of its raters' scores.
"""

from __future__ import annotations

from collections import defaultdict
from statistics import fmean

from sqlalchemy import delete, func, select

from coachkit.content.exercises import Exercise, Item, skill_scores
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring.models import (
    Answer,
    Candidate,
    CandidateStatus,
    RaterScore,
    SkillResult,
)

BLANK_OPEN_RATING = 1.0


def answered_text(answer: Answer | None) -> str:
    """The written reply of an open item's answer, stripped ('' when blank)."""
    if answer is None:
        return ""
    return str((answer.value or {}).get("text", "")).strip()


def rated_items(exercise: Exercise, answers: dict[str, Answer]) -> list[Item]:
    """The open items this candidate wrote something for: the ones raters score."""
    return [
        item for item in exercise.items if not item.keyed and answered_text(answers.get(item.id))
    ]


def mean_ratings(
    candidate_id: int,
) -> tuple[dict[str, dict[str, float]], dict[tuple[str, str], int]]:
    """(item -> skill -> raters' mean, (item, skill) -> number of raters) for a candidate."""
    rows = db.session.execute(
        select(RaterScore.item_id, RaterScore.skill, func.avg(RaterScore.rating), func.count())
        .where(RaterScore.candidate_id == candidate_id)
        .group_by(RaterScore.item_id, RaterScore.skill)
    )
    means: dict[str, dict[str, float]] = defaultdict(dict)
    counts: dict[tuple[str, str], int] = {}
    for item_id, skill, mean, count in rows:
        means[item_id][skill] = float(mean)
        counts[item_id, skill] = count
    return means, counts


def fully_rated(
    exercise: Exercise,
    answers: dict[str, Answer],
    counts: dict[tuple[str, str], int],
    required: int,
) -> bool:
    """Whether every written open answer has `required` raters on each rubric skill."""
    return all(
        counts.get((item.id, skill), 0) >= required
        for item in rated_items(exercise, answers)
        for skill in item.rubric
    )


def refresh(candidate: Candidate, exercise: Exercise) -> dict[str, float]:
    """Recompute and store the candidate's skill scores and overall score; move a
    submitted candidate to scored once every written answer has its raters."""
    if candidate.submitted_at is None:
        return {}
    answers = {
        answer.item_id: answer
        for answer in db.session.scalars(select(Answer).where(Answer.candidate_id == candidate.id))
    }
    means, counts = mean_ratings(candidate.id)
    credits: dict[str, float] = {}
    ratings: dict[str, dict[str, float]] = {}
    for item in exercise.items:
        answer = answers.get(item.id)
        if item.keyed:
            credits[item.id] = answer.credit if answer and answer.credit is not None else 0.0
        elif not answered_text(answer):
            ratings[item.id] = {skill: BLANK_OPEN_RATING for skill in item.rubric}
        elif item.id in means:
            ratings[item.id] = {
                skill: value for skill, value in means[item.id].items() if skill in item.rubric
            }
    scores = skill_scores(exercise, credits, ratings)
    db.session.execute(delete(SkillResult).where(SkillResult.candidate_id == candidate.id))
    db.session.add_all(
        SkillResult(candidate_id=candidate.id, skill=skill, score=score)
        for skill, score in scores.items()
    )
    candidate.overall = fmean(scores.values()) if scores else None
    if candidate.status == CandidateStatus.SUBMITTED and fully_rated(
        exercise, answers, counts, candidate.opening.raters_required
    ):
        candidate.status = CandidateStatus.SCORED
    candidate.last_activity_at = utcnow()
    db.session.flush()
    return scores
