"""A candidate's results: per-skill scores from keyed credits and raters' means.

`refresh` recomputes a candidate's `SkillResult` rows and overall score after their
answers are handed in and after every rating, so pages read stored numbers; `rescore`
recomputes every candidate of an opening at once (`flask recount`).

Scoring rules (documented in content/README.md): a judgement item left unanswered
earns no credit (0, which is 1 on the 1-5 scale); an open item left blank is scored 1
on each of its rubric skills without troubling the raters; an answered open item's
score per skill is the mean of its raters' scores.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from statistics import fmean
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, insert, select, update
from sqlalchemy.orm import joinedload

from coachkit.content.exercises import Exercise, Item, skill_scores
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring.models import (
    STATUS_COUNTS,
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
# Per candidate: item -> skill -> raters' mean, and (item, skill) -> how many raters.
Means = dict[str, dict[str, float]]
Counts = dict[tuple[str, str], int]


def answered_text(answer: Answer | None) -> str:
    """The written reply of an open item's answer, stripped ('' when blank)."""
    if answer is None:
        return ""
    return str((answer.value or {}).get("text", "")).strip()


def open_items(exercise: Exercise | None) -> list[Item]:
    """The items raters score: the exercise's open items."""
    return [item for item in exercise.items if not item.keyed] if exercise else []


def rated_items(exercise: Exercise, answers: dict[str, Answer]) -> list[Item]:
    """The open items this candidate wrote something for: the ones raters score."""
    return [item for item in open_items(exercise) if answered_text(answers.get(item.id))]


def mean_ratings(candidate_id: int) -> tuple[Means, Counts]:
    """The raters' means and counts of one candidate's answers."""
    rows = db.session.execute(
        select(RaterScore.item_id, RaterScore.skill, func.avg(RaterScore.rating), func.count())
        .where(RaterScore.candidate_id == candidate_id)
        .group_by(RaterScore.item_id, RaterScore.skill)
    )
    means: Means = defaultdict(dict)
    counts: Counts = {}
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


def scores_of(exercise: Exercise, answers: Mapping[str, Answer], means: Means) -> dict[str, float]:
    """A handed-in candidate's score per skill (1-5) by the scoring rules."""
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
    return skill_scores(exercise, credits, ratings)


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
    scores = scores_of(exercise, answers, means)
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


def _handed_in(
    opening: Opening, exercise: Exercise, *, open_items_only: bool
) -> tuple[list[int], dict[int, dict[str, Answer]], dict[int, Means], dict[int, Counts]]:
    """The opening's handed-in candidates (ids, in order), their answers (to the open
    items only, when that is all the caller needs) and their raters' means and counts:
    three queries, however many candidates."""
    handed_in = (Candidate.opening_id == opening.id, Candidate.submitted_at.is_not(None))
    ids = list(db.session.scalars(select(Candidate.id).where(*handed_in).order_by(Candidate.id)))
    chosen = select(Answer).join(Candidate).where(*handed_in)
    if open_items_only:
        chosen = chosen.where(Answer.item_id.in_([item.id for item in open_items(exercise)]))
    answers: dict[int, dict[str, Answer]] = defaultdict(dict)
    for answer in db.session.scalars(chosen):
        answers[answer.candidate_id][answer.item_id] = answer
    means: dict[int, Means] = defaultdict(lambda: defaultdict(dict))
    counts: dict[int, Counts] = defaultdict(dict)
    for candidate_id, item_id, skill, mean, count in db.session.execute(
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
        means[candidate_id][item_id][skill] = float(mean)
        counts[candidate_id][item_id, skill] = count
    return ids, answers, means, counts


def recheck_opening(opening: Opening, exercise: Exercise) -> None:
    """After an opening's raters-required changes: mark who is fully rated now, and move
    undecided candidates between submitted and scored (three queries and two updates,
    however many candidates; their scores themselves do not change)."""
    ids, answers, _means, counts = _handed_in(opening, exercise, open_items_only=True)
    _settle(opening, exercise, ids, answers, counts)


def _settle(
    opening: Opening,
    exercise: Exercise,
    ids: list[int],
    answers: dict[int, dict[str, Answer]],
    counts: dict[int, Counts],
) -> None:
    """Store which of the handed-in candidates `ids` are fully rated, and move the
    undecided ones between submitted and scored to match."""
    required = opening.raters_required
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
            STATUS_COUNTS.apply(
                removed=[(opening.id, source)] * count, added=[(opening.id, target)] * count
            )


def rescore(opening: Opening, exercise: Exercise) -> int:
    """Recompute the results of every candidate of the opening from their answers and
    rater scores, as `refresh` would, in a few statements (`flask recount`); candidates
    not handed in hold none. Their last activity stays as it was. Returns how many
    handed-in candidates were scored."""
    ids, answers, means, counts = _handed_in(opening, exercise, open_items_only=False)
    results, overall = [], []
    for candidate_id in ids:
        scores = scores_of(exercise, answers[candidate_id], means[candidate_id])
        results += [
            {"candidate_id": candidate_id, "skill": skill, "score": score}
            for skill, score in scores.items()
        ]
        overall.append({"id": candidate_id, "overall": fmean(scores.values()) if scores else None})
    of_opening = select(Candidate.id).where(Candidate.opening_id == opening.id)
    db.session.execute(delete(SkillResult).where(SkillResult.candidate_id.in_(of_opening)))
    if results:
        db.session.execute(insert(SkillResult), results)
    if overall:
        db.session.execute(update(Candidate), overall)
    db.session.execute(
        update(Candidate)
        .where(Candidate.opening_id == opening.id, Candidate.submitted_at.is_(None))
        .where(Candidate.overall.is_not(None) | Candidate.fully_rated)
        .values(overall=None, fully_rated=False)
    )
    _settle(opening, exercise, ids, answers, counts)
    return len(ids)
