"""The rating queue: what waits for whom, in each opening and in each opening's queue
of written answers.

What "waits for me": a written answer (an open item with non-blank text) of a
candidate who has handed in, which I have not scored yet and which still has fewer
raters than the opening asks for. Answers that already have enough raters stay in the
queue (an extra rater sharpens the agreement figures) but are not counted as waiting,
so the rating desk sees the work that actually holds candidates up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Row,
    Select,
    and_,
    bindparam,
    case,
    exists,
    false,
    func,
    or_,
    select,
)

from coachkit.auth.models import User
from coachkit.content.exercises import Item
from coachkit.database import plain_rows
from coachkit.extensions import db
from coachkit.hiring import versions
from coachkit.hiring.models import (
    ANSWERED,
    Answer,
    Candidate,
    CandidateStatus,
    Opening,
    RaterScore,
    visible_openings,
)
from coachkit.hiring.results import open_items

# SQL pieces shared by the queue, the overview and the next-answer lookup.


def has_text() -> ColumnElement[bool]:
    """The answer holds a written reply (not blank)."""
    return Answer.written.is_(True)


def _scored_by(rater_id: int | BindParameter[int]) -> ColumnElement[bool]:
    return exists().where(
        RaterScore.candidate_id == Answer.candidate_id,
        RaterScore.item_id == Answer.item_id,
        RaterScore.rater_id == rater_id,
    )


def _rateable_where(of_openings: ColumnElement[bool]) -> ColumnElement[bool]:
    """Written answers of handed-in candidates, of the openings and items `of_openings`
    names (built by `_items_of`)."""
    return and_(Candidate.status.in_(ANSWERED), of_openings, has_text())


def _items_of(
    opening_id: int | BindParameter[Any], item_ids: list[str] | BindParameter[Any]
) -> ColumnElement[bool]:
    return and_(Candidate.opening_id == opening_id, Answer.item_id.in_(item_ids))


def _rateable(openings: Sequence[Opening]) -> ColumnElement[bool]:
    """Written open answers of handed-in candidates of `openings`."""
    per_opening = [
        _items_of(opening.id, [item.id for item in items])
        for opening in openings
        if (items := open_items(versions.exercise_or_none(opening)))
    ]
    if not per_opening:
        return false()
    return _rateable_where(or_(*per_opening))


@dataclass(frozen=True)
class Progress:
    opening: Opening
    answers: int  # written answers to rate
    done: int  # of which I have scored
    waiting: int  # not scored by me and still short of raters


def overview(openings: Sequence[Opening], rater: User) -> list[Progress]:
    """For each opening, the written answers and how many wait for `rater` (1 query)."""
    mine = _scored_by(rater.id)
    waiting = and_(~mine, Answer.raters < Opening.raters_required)
    rows = db.session.execute(
        select(
            Candidate.opening_id,
            func.count(),
            func.sum(case((mine, 1), else_=0)),
            func.sum(case((waiting, 1), else_=0)),
        )
        .select_from(Answer)
        .join(Candidate, Candidate.id == Answer.candidate_id)
        .join(Opening, Opening.id == Candidate.opening_id)
        .where(_rateable(openings))
        .group_by(Candidate.opening_id)
    )
    counts = {opening_id: (total, done, wait) for opening_id, total, done, wait in rows}
    return [
        Progress(opening, *(int(n or 0) for n in counts.get(opening.id, (0, 0, 0))))
        for opening in openings
    ]


@dataclass(frozen=True)
class QueueEntry:
    candidate_id: int
    code: str
    item: Item
    mine: bool  # I have scored it
    raters: int  # raters so far, me included
    question: str  # the item as the queue names it ("Evenings keep dropping")

    def waiting(self, required: int) -> bool:
        return not self.mine and self.raters < required


QueueRow = tuple[int, str, str, bool, int]  # candidate, code, item, mine, raters


def _queue_part(*, waiting: bool, on_sqlite: bool) -> Select[QueueRow]:
    """One opening's written answers waiting for a rater (not scored by them and short
    of raters), or all the others, oldest hand-in first, a slice at a time. Each part is
    read a page at a time: the waiting ones are few once raters keep up, and nothing
    counts them all. `_read_queue` gives the values."""
    mine = _scored_by(bindparam("rater_id"))
    short = Answer.raters < bindparam("required")
    if on_sqlite:
        # An answer short of raters belongs to a candidate not yet fully rated: SQLite
        # walks only those, through their own index (2.1 ms down to 0.4 ms on the
        # benchmark's data). PostgreSQL's planner misjudges how many that leaves and
        # scans the whole table instead (18 ms against 4 ms): there the walk goes
        # through every hand-in, in its index's order. Either way every answer is in
        # exactly one part, whatever the flag says.
        short = and_(short, Candidate.fully_rated == false())
    return (
        select(Answer.candidate_id, Candidate.code, Answer.item_id, mine, Answer.raters)
        .join(Candidate, Candidate.id == Answer.candidate_id)
        .where(
            _rateable_where(
                _items_of(bindparam("opening_id"), bindparam("item_ids", expanding=True))
            ),
            Candidate.submitted_at.is_not(None),  # hand-ins only: the index skips the rest
        )
        .where(and_(short, ~mine) if waiting else or_(~short, mine))
        .order_by(Candidate.submitted_at, Candidate.id, Answer.item_id)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )


# Built once: each part for each engine, with bind parameters for the values.
_QUEUE_PARTS = {
    (waiting, on_sqlite): _queue_part(waiting=waiting, on_sqlite=on_sqlite)
    for waiting in (True, False)
    for on_sqlite in (True, False)
}


def _read_queue(
    opening: Opening, rater: User, *, waiting: bool, limit: int, offset: int = 0
) -> list[Row[QueueRow]]:
    items = [item.id for item in open_items(versions.exercise_or_none(opening))]
    if not items:
        return []
    params = {
        "opening_id": opening.id,
        "item_ids": items,
        "rater_id": rater.id,
        "required": opening.raters_required,
        "limit": limit,
        "offset": offset,
    }
    on_sqlite = db.session.get_bind().dialect.name == "sqlite"
    return plain_rows(_QUEUE_PARTS[waiting, on_sqlite], params)


class QueuePage(Pagination):
    """One page of an opening's written answers for `rater`: those waiting for them
    first, then the rest, oldest hand-in first within each.

    The same Pagination as `db.paginate` gives (the one `pagination` macro shows it),
    read without counting every answer of the opening: the total is left unknown
    (None) and one answer more than a page tells whether another page follows. A
    count, or one statement ordered waiting-first, walks all of a large opening's
    answers (10-14 ms on the benchmark's largest opening, against 0.3 ms for a page
    read this way), so the queue reads its two parts as `_read_queue` does.
    """

    def __init__(self, opening: Opening, rater: User, page: int, per_page: int) -> None:
        self.opening, self.rater, self.more = opening, rater, False
        super().__init__(page=page, per_page=per_page, error_out=False, count=False)

    def _query_items(self) -> list[QueueEntry]:
        """At most 2 queries, reading about a page of rows on early pages."""
        first, wanted = self._query_offset, self.per_page + 1  # one more: is there a next?
        waiting = _read_queue(self.opening, self.rater, waiting=True, limit=first + wanted)
        rows = waiting[first:]
        if len(rows) < wanted:  # every waiting answer is read: the page goes on with the rest
            offset = max(0, first - len(waiting))
            rows += _read_queue(
                self.opening, self.rater, waiting=False, limit=wanted - len(rows), offset=offset
            )
        self.more = len(rows) > self.per_page
        return _entries(self.opening, rows[: self.per_page])

    @property
    def has_next(self) -> bool:
        return self.more


def _entries(opening: Opening, rows: Sequence[Row[QueueRow]]) -> list[QueueEntry]:
    items = {item.id: item for item in open_items(versions.exercise_or_none(opening))}
    questions = {item_id: item_id.replace("-", " ").capitalize() for item_id in items}
    return [
        QueueEntry(
            candidate_id, code, items[item_id], bool(mine), int(raters or 0), questions[item_id]
        )
        for candidate_id, code, item_id, mine, raters in rows
    ]


def awaiting_rating(user: User) -> int:
    """Handed-in candidates (of open or closed openings) whose written answers still
    need raters and that `user` has not rated yet."""
    rated_by_user = select(RaterScore.candidate_id).where(RaterScore.rater_id == user.id)
    return (
        db.session.scalar(
            select(func.count(Candidate.id)).where(
                Candidate.opening_id.in_(visible_openings(user).with_only_columns(Opening.id)),
                Candidate.status == CandidateStatus.SUBMITTED,
                Candidate.id.not_in(rated_by_user),
            )
        )
        or 0
    )


def next_waiting(opening: Opening, rater: User) -> QueueEntry | None:
    """The first answer still waiting for `rater`, or None (1 query)."""
    entries = _entries(opening, _read_queue(opening, rater, waiting=True, limit=1))
    return entries[0] if entries else None
