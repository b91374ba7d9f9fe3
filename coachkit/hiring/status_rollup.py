"""Each opening's candidates counted by status (`StatusCount`), kept up to date in the
transaction of every change: the ORM's inserts and updates of candidates through flush
events, and the deletes and bulk moves through `add` and `add_removed` (a DELETE ...
RETURNING says exactly which statuses went).

Every change is an atomic increment (INSERT ... ON CONFLICT DO UPDATE), so recruiters
changing candidates of one opening at once never lose a count.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Connection, event, inspect

from coachkit.database import add_to_counters
from coachkit.hiring.models import Candidate, CandidateStatus, StatusCount


def add(
    opening_id: int,
    changes: dict[CandidateStatus, int],
    connection: Connection | None = None,
) -> None:
    """Add `changes` (status: how many more, or fewer when negative) to the opening's
    counts, in the session's transaction unless a flush event passes its connection.
    Rows are changed in status order, so two transactions moving candidates opposite
    ways lock them in the same order (no deadlock on PostgreSQL)."""
    for status, change in sorted(changes.items()):
        if change:
            add_to_counters(
                StatusCount,
                {"opening_id": opening_id, "status": status},
                {"candidates": change},
                connection,
            )


def add_removed(rows: Any) -> None:
    """Take candidates deleted in bulk off the counts: `rows` of (opening id, status),
    as a DELETE ... RETURNING gives them."""
    removed = Counter((opening_id, status) for opening_id, status in rows)
    for (opening_id, status), count in sorted(removed.items()):
        add(opening_id, {status: -count})


def _stored_status(candidate: Candidate) -> CandidateStatus:
    """The status the candidate's row holds before this flush writes it."""
    history = inspect(candidate).attrs.status.history
    return history.deleted[0] if history.deleted else candidate.status


@event.listens_for(Candidate, "after_insert")
def _inserted(_mapper: Any, connection: Connection, candidate: Candidate) -> None:
    add(candidate.opening_id, {candidate.status: 1}, connection)


@event.listens_for(Candidate, "after_update")
def _updated(_mapper: Any, connection: Connection, candidate: Candidate) -> None:
    before, after = _stored_status(candidate), candidate.status
    if before != after:
        add(candidate.opening_id, {before: -1, after: 1}, connection)


@event.listens_for(Candidate, "after_delete")
def _deleted(_mapper: Any, connection: Connection, candidate: Candidate) -> None:
    add(candidate.opening_id, {_stored_status(candidate): -1}, connection)
