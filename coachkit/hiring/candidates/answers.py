"""The answers in view, for the people who decide: each item of the exercise with the
candidate's judgement choices against the key, their written replies with every
rater's scores by name, and the time spent on each item.

Shown only once rating is complete for the candidate (`Candidate.fully_rated`: every
written answer has the raters the opening asks for). Until then written replies stay
inside the blind rating queue, so nothing a decider reads here can reach a rater's
judgement first. Two queries whatever the number of items, raters or candidates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from coachkit.auth.models import User
from coachkit.content.exercises import Exercise, Item, Response
from coachkit.database import plain_rows
from coachkit.extensions import db
from coachkit.hiring.models import Answer, Candidate, RaterScore
from coachkit.hiring.results import answered_text

# A save stamped a moment after the hand-in (the same request's clock) still counts.
SAVE_SLACK = timedelta(minutes=1)


@dataclass(frozen=True)
class Choice:
    """One response of a judgement item: the candidate's pick or rating beside the key."""

    response: Response
    picked: str = ""  # best-worst: "best", "worst" or ""
    rating: int | None = None  # rate: the candidate's 1-5
    keyed: str = ""  # best-worst: "best" or "worst" by the key, else ""


@dataclass(frozen=True)
class RaterScores:
    rater: str
    ratings: dict[str, int]  # skill -> 1-5


@dataclass(frozen=True)
class ItemView:
    number: int
    item: Item
    answered: bool
    credit: float | None = None  # judgement items: 0-1 against the key
    choices: list[Choice] = field(default_factory=list)
    text: str = ""  # open items: the written reply
    raters: list[RaterScores] = field(default_factory=list)
    seconds: int | None = None


def review(candidate: Candidate, exercise: Exercise | None) -> list[ItemView] | None:
    """The candidate's answers item by item; None until rating is complete (or when the
    exercise is no longer in the library)."""
    if exercise is None or not candidate.answered or not candidate.fully_rated:
        return None
    answers = {
        answer.item_id: answer
        for answer in db.session.scalars(select(Answer).where(Answer.candidate_id == candidate.id))
    }
    scores = _scores_by_rater(candidate.id)
    spent = seconds_per_item(candidate.started_at, answers.values(), candidate.submitted_at)
    views = []
    for number, item in enumerate(exercise.items, start=1):
        answer = answers.get(item.id)
        seconds = spent.get(item.id)
        if item.keyed:
            views.append(_judgement(number, item, answer, seconds))
        else:
            text = answered_text(answer)
            raters = [RaterScores(name, ratings) for name, ratings in scores[item.id].items()]
            views.append(
                ItemView(number, item, bool(text), text=text, raters=raters, seconds=seconds)
            )
    return views


def _judgement(number: int, item: Item, answer: Answer | None, seconds: int | None) -> ItemView:
    value = answer.value if answer is not None and answer.credit is not None else {}
    credit = answer.credit if answer is not None else None
    ratings = value.get("ratings") or []
    choices = []
    for at, response in enumerate(item.responses):
        if item.answer == "best-worst":
            picked = {value.get("best"): "best", value.get("worst"): "worst"}.get(at, "")
            keyed = {item.best_index: "best", item.worst_index: "worst"}.get(at, "")
            choices.append(Choice(response, picked=picked, keyed=keyed))
        else:
            rating = ratings[at] if at < len(ratings) else None
            choices.append(Choice(response, rating=int(rating) if rating else None))
    return ItemView(number, item, bool(value), credit=credit, choices=choices, seconds=seconds)


def _scores_by_rater(candidate_id: int) -> dict[str, dict[str, dict[str, int]]]:
    """item id -> rater's name -> skill -> rating, raters in the order they scored."""
    rows = plain_rows(
        select(RaterScore.item_id, User.name, RaterScore.skill, RaterScore.rating)
        .join(User, User.id == RaterScore.rater_id)
        .where(RaterScore.candidate_id == candidate_id)
        .order_by(RaterScore.item_id, RaterScore.created_at, RaterScore.id)
    )
    found: dict[str, dict[str, dict[str, int]]] = defaultdict(dict)
    for item_id, rater, skill, rating in rows:
        found[item_id].setdefault(rater, {})[skill] = rating
    return found


def seconds_per_item(
    started_at: datetime | None,
    answers: Iterable[Answer],
    submitted_at: datetime | None = None,
) -> dict[str, int]:
    """Seconds spent on each answered item, worked out from when each answer was last
    saved: from the previous save (or the start) to this one. An answer changed later
    counts the time spent going back to it, so the figures are approximate, and add up
    to the time until the last save. Saves outside the attempt (before its start, after
    its hand-in: imported or repaired records) give no figure."""
    saved = sorted(
        (answer.updated_at, answer.item_id)
        for answer in answers
        if answer.updated_at is not None
        and (started_at is None or answer.updated_at >= started_at)
        and (submitted_at is None or answer.updated_at <= submitted_at + SAVE_SLACK)
    )
    previous = started_at
    spent: dict[str, int] = {}
    for at, item_id in saved:
        if previous is not None:
            spent[item_id] = max(0, int((at - previous).total_seconds()))
        previous = at
    return spent


def duration(seconds: int | None) -> str:
    """How long, for people: "1 h 02 min", "2 min 05 s", "40 s"; "" when unknown."""
    if seconds is None:
        return ""
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds} s"
