"""A rater's scores of an answer: saving them (and the candidate's results with them),
and the table of everyone's scores, which a rater sees only once their own are saved,
so each scores before seeing anyone else's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from coachkit.auth.models import User
from coachkit.content.exercises import Item
from coachkit.database import upsert, utcnow
from coachkit.extensions import db
from coachkit.hiring import versions
from coachkit.hiring.models import Candidate, Opening, RaterScore, answers_rated
from coachkit.hiring.rating.blinding import BlindAnswer
from coachkit.hiring.results import lock, refresh


@dataclass(frozen=True)
class RaterRow:
    rater_id: int
    rater: str
    ratings: Mapping[str, int]  # skill -> 1-5


@dataclass(frozen=True)
class ScoreTable:
    rows: list[RaterRow]  # everyone who scored the answer, by name
    means: dict[str, float]  # skill -> mean of the raters


def scores(candidate_id: int, item: Item) -> list[RaterScore]:
    """Every rater's scores of one answer, with the raters loaded (1 query)."""
    return list(
        db.session.scalars(
            select(RaterScore)
            .where(RaterScore.candidate_id == candidate_id, RaterScore.item_id == item.id)
            .join(RaterScore.rater)
            .order_by(User.name, RaterScore.rater_id)
            .options(contains_eager(RaterScore.rater))
        )
    )


def score_table(saved: Sequence[RaterScore], item: Item) -> ScoreTable:
    """The raters' scores per skill, and each skill's mean."""
    by_rater: dict[int, dict[str, int]] = {}
    names: dict[int, str] = {}
    for score in saved:
        by_rater.setdefault(score.rater_id, {})[score.skill] = score.rating
        names[score.rater_id] = score.rater.name
    means = {
        skill: fmean(r[skill] for r in by_rater.values() if skill in r)
        for skill in item.rubric
        if any(skill in r for r in by_rater.values())
    }
    rows = [RaterRow(rater_id, names[rater_id], ratings) for rater_id, ratings in by_rater.items()]
    return ScoreTable(rows, means)


def save(opening: Opening, answer: BlindAnswer, rater: User, ratings: Mapping[str, int]) -> None:
    """Store `rater`'s 1-5 rating of each rubric skill of the answer, replacing their
    earlier ones. An upsert on (candidate, item, skill, rater): a form posted twice, or
    by two tabs at once, leaves one score per skill."""
    if set(ratings) != set(answer.item.rubric) or any(
        r not in range(1, 6) for r in ratings.values()
    ):
        raise ValueError("one rating from 1 to 5 for each rubric skill")
    now = utcnow()
    rows = [
        {
            "candidate_id": answer.candidate_id,
            "opening_id": opening.id,
            "item_id": answer.item.id,
            "skill": skill,
            "rater_id": rater.id,
            "rating": rating,
            "created_at": now,
            "updated_at": now,
        }
        for skill, rating in ratings.items()
    ]
    statement = upsert(RaterScore).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=["candidate_id", "item_id", "skill", "rater_id"],
        set_={"rating": statement.excluded.rating, "updated_at": statement.excluded.updated_at},
    )
    db.session.execute(statement)
    answers_rated([(opening.id, answer.candidate_id, answer.item.id)])  # as a flush would
    db.session.flush()


def record(opening: Opening, answer: BlindAnswer, rater: User, ratings: Mapping[str, int]) -> None:
    """Save the rater's scores and bring the candidate's results up to date (a submitted
    candidate becomes scored once every written answer has enough raters)."""
    candidate = db.session.get_one(Candidate, answer.candidate_id)
    lock(candidate)  # before anything: a second rater waits here, then sees these rows
    save(opening, answer, rater, ratings)
    refresh(candidate, versions.exercise_of(opening))
