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
from collections.abc import Iterable
from statistics import fmean
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, Select, Update, delete, event, func, select, update
from sqlalchemy.orm import joinedload

from coachkit.content.exercises import Exercise, Item, skill_scores
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring import status_rollup
from coachkit.hiring.models import (
    Answer,
    Candidate,
    CandidateStatus,
    Opening,
    RaterScore,
    SkillResult,
)

BLANK_OPEN_RATING = 1.0
# Handed in and not yet decided: not yet fully rated, then fully rated.
UNDECIDED = (CandidateStatus.SUBMITTED, CandidateStatus.SCORED)


def scores_changed(opening_ids: Iterable[int] | Select[tuple[int]]) -> None:
    """Note that these openings' rater scores changed (in this transaction), so reports
    computed from them are recomputed. A plain UPDATE: it leaves the openings' edit
    version alone, and two raters saving at once both count."""
    db.session.execute(
        update(Opening)
        .where(Opening.id.in_(opening_ids))
        .values(scores_revision=Opening.scores_revision + 1)
        .execution_options(synchronize_session=False)
    )


@event.listens_for(RaterScore, "after_insert")
@event.listens_for(RaterScore, "after_update")
@event.listens_for(RaterScore, "after_delete")
def _score_row_changed(_mapper: Any, connection: Connection, score: RaterScore) -> None:
    """Scores written through the ORM count as changes too (bulk upserts and cascaded
    deletes call `scores_changed` and `raters_recounted` themselves)."""
    openings = Opening.__table__.c
    connection.execute(
        update(Opening)
        .where(openings.id == score.opening_id)
        .values({openings.scores_revision: openings.scores_revision + 1})
    )
    connection.execute(raters_recounted(score.candidate_id, score.item_id))


def raters_recounted(candidate_id: int, item_id: str) -> Update:
    """The statement that stores how many raters have scored this answer."""
    answers = Answer.__table__.c
    raters = (
        select(func.count(func.distinct(RaterScore.rater_id)))
        .where(RaterScore.candidate_id == candidate_id, RaterScore.item_id == item_id)
        .scalar_subquery()
    )
    return (
        update(Answer)
        .where(answers.candidate_id == candidate_id, answers.item_id == item_id)
        .values({answers.raters: raters})
    )


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


def lock(candidate: Candidate) -> None:
    """Take the candidate's row for this transaction and reload it (with its opening),
    so concurrent writers change the candidate one after the other, each seeing what
    the other committed: two raters saving at once, a rating and a decision, two
    autosaves, a double-clicked hand-in."""
    db.session.scalar(
        select(Candidate)
        .where(Candidate.id == candidate.id)
        .options(joinedload(Candidate.opening, innerjoin=True))
        .with_for_update(of=Candidate)
        .execution_options(populate_existing=True)
    )


def refresh(candidate: Candidate, exercise: Exercise) -> dict[str, float]:
    """Recompute and store the candidate's skill scores and overall score; move a
        submitted candidate to scored once every written answer has its raters (and back,
    when the opening comes to ask for more raters)."""
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
    candidate.fully_rated = fully_rated(
        exercise, answers, counts, candidate.opening.raters_required
    )
    if candidate.status in (CandidateStatus.SUBMITTED, CandidateStatus.SCORED):
        # Raters required can change: a candidate may move either way, until decided.
        scored = candidate.fully_rated
        candidate.status = CandidateStatus.SCORED if scored else CandidateStatus.SUBMITTED
    candidate.last_activity_at = utcnow()
    db.session.flush()
    return scores


def recheck_opening(opening: Opening, exercise: Exercise) -> None:
    """After an opening's raters-required changes: mark who is fully rated now, and move
    undecided candidates between submitted and scored (three queries and two updates,
    however many candidates; their scores themselves do not change)."""
    open_ids = [item.id for item in exercise.items if not item.keyed]
    handed_in = (Candidate.opening_id == opening.id, Candidate.submitted_at.is_not(None))
    answers: dict[int, dict[str, Answer]] = defaultdict(dict)
    for answer in db.session.scalars(
        select(Answer).join(Candidate).where(*handed_in, Answer.item_id.in_(open_ids))
    ):
        answers[answer.candidate_id][answer.item_id] = answer
    counts: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    for candidate_id, item_id, skill, count in db.session.execute(
        select(RaterScore.candidate_id, RaterScore.item_id, RaterScore.skill, func.count())
        .where(RaterScore.opening_id == opening.id)
        .group_by(RaterScore.candidate_id, RaterScore.item_id, RaterScore.skill)
    ):
        counts[candidate_id][item_id, skill] = count
    required = opening.raters_required
    ids = db.session.scalars(select(Candidate.id).where(*handed_in)).all()
    done = [i for i in ids if fully_rated(exercise, answers[i], counts[i], required)]
    for rated in (True, False):
        chosen = done if rated else sorted(set(ids) - set(done))
        if chosen:
            db.session.execute(
                update(Candidate).where(Candidate.id.in_(chosen)).values(fully_rated=rated)
            )
            # Undecided candidates move to where they belong now; the status counts
            # move by as many rows as the statement changed.
            source, target = UNDECIDED if rated else reversed(UNDECIDED)
            moved = db.session.execute(
                update(Candidate)
                .where(Candidate.id.in_(chosen), Candidate.status == source)
                .values(status=target)
            )
            count = cast(CursorResult[Any], moved).rowcount
            status_rollup.add(opening.id, {source: -count, target: count})
