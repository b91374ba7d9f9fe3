"""The practice records (`models.PracticeRecord`): a row per person and module with
the day of their first completion and the results of their first three completed
attempts, kept by the flush events below in the transaction that completes (or
changes) an attempt, and rebuilt from the attempts by `flask recount`.

Each time, the person's row for the module is computed again from their attempts at
it (a few rows, read along the attempts' person-and-module index), so an attempt that
finishes after a later-started one still gets its number by start.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Connection, case, delete, event, func, insert, inspect, select

from coachkit.database import upsert
from coachkit.extensions import db
from coachkit.training.models import Attempt, AttemptStatus, PracticeRecord

ENDING_SCORES = {"good": 3, "mixed": 2, "poor": 1}
RESULTS = ("result_1", "result_2", "result_3")  # the attempt numbers kept
_WATCHED = ("status", "outcome", "started_at", "completed_at")
_COMPLETED = Attempt.status == AttemptStatus.COMPLETED


def records(connection: Connection, *where: ColumnElement[bool]) -> list[dict[str, Any]]:
    """The practice records of the attempts `where` selects, computed from them (2
    queries): each person's first completion of each module, and the ending score of
    their completed attempts numbered in the order started."""
    firsts = (
        select(Attempt.user_id, Attempt.module_slug, func.min(Attempt.completed_at))
        .where(*where, _COMPLETED)
        .group_by(Attempt.user_id, Attempt.module_slug)
    )
    found: dict[tuple[int, str], dict[str, Any]] = {
        (person, slug): {
            "user_id": person,
            "module_slug": slug,
            "first_completed_on": first.date(),
            **dict.fromkeys(RESULTS),
        }
        for person, slug, first in connection.execute(firsts)
    }
    score = case(*((Attempt.outcome == outcome, value) for outcome, value in ENDING_SCORES.items()))
    number = func.row_number().over(
        partition_by=(Attempt.user_id, Attempt.module_slug),
        order_by=(Attempt.started_at, Attempt.id),
    )
    numbered = (
        select(Attempt.user_id, Attempt.module_slug, score.label("result"), number.label("number"))
        .where(*where, _COMPLETED, Attempt.outcome.is_not(None))
        .subquery()
    )
    for person, slug, result, position in connection.execute(
        select(numbered).where(numbered.c.number <= len(RESULTS))
    ):
        found[person, slug][RESULTS[position - 1]] = result
    return list(found.values())


def record(connection: Connection, user_id: int, slug: str) -> None:
    """Compute one person's record of one module again from their attempts."""
    rows = records(connection, Attempt.user_id == user_id, Attempt.module_slug == slug)
    if not rows:  # no completed attempt left
        connection.execute(
            delete(PracticeRecord).where(
                PracticeRecord.user_id == user_id, PracticeRecord.module_slug == slug
            )
        )
    for row in rows:
        statement = upsert(PracticeRecord, connection).values(row)
        changed = {name: statement.excluded[name] for name in ("first_completed_on", *RESULTS)}
        connection.execute(
            statement.on_conflict_do_update(index_elements=["user_id", "module_slug"], set_=changed)
        )


def rebuild() -> int:
    """Fill the practice records afresh from every attempt (`flask recount`); the rows
    they hold now. The caller commits."""
    db.session.execute(delete(PracticeRecord))
    rows = records(db.session.connection())
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(PracticeRecord), rows[start : start + 5000])
    return len(rows)


@event.listens_for(Attempt, "after_insert")
def _inserted(_mapper: Any, connection: Connection, attempt: Attempt) -> None:
    if attempt.status == AttemptStatus.COMPLETED:
        record(connection, attempt.user_id, attempt.module_slug)


@event.listens_for(Attempt, "after_update")
def _updated(_mapper: Any, connection: Connection, attempt: Attempt) -> None:
    state = inspect(attempt)
    if any(state.attrs[name].history.has_changes() for name in _WATCHED):
        record(connection, attempt.user_id, attempt.module_slug)
