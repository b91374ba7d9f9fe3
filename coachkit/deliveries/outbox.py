"""Queue outgoing requests in the caller's transaction, and what admins see of them.

A rolled-back change queues nothing; a committed one waits until the worker has sent it
(or given up). These functions add and flush, never commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select, update

from coachkit.database import utcnow
from coachkit.deliveries.models import DeliveryState, HttpDelivery
from coachkit.extensions import db


def enqueue(
    *,
    key: str,
    target: str,
    url: str,
    body: Any,
    method: str = "POST",
    about: tuple[str, int] | None = None,
) -> HttpDelivery:
    """Add a request to the outbox. `key` is its fixed idempotency key (unique)."""
    delivery = HttpDelivery(
        key=key,
        target=target,
        method=method,
        url=url,
        body=body,
        object_type=about[0] if about else None,
        object_id=about[1] if about else None,
        next_attempt_at=utcnow(),
    )
    db.session.add(delivery)
    db.session.flush()
    return delivery


def existing_keys(keys: Iterable[str]) -> set[str]:
    """Which of `keys` are queued already, whatever became of them."""
    wanted = list(keys)
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        found.update(
            db.session.scalars(
                select(HttpDelivery.key).where(HttpDelivery.key.in_(wanted[start : start + 500]))
            )
        )
    return found


def counts(target: str | None = None) -> dict[DeliveryState, int]:
    """How many deliveries (of `target`, or all) are in each state."""
    statement = select(HttpDelivery.state, func.count()).group_by(HttpDelivery.state)
    if target is not None:
        statement = statement.where(HttpDelivery.target == target)
    found = dict(db.session.execute(statement).tuples().all())
    return {state: found.get(state, 0) for state in DeliveryState}


def recent_failures(target: str | None = None, limit: int = 20) -> list[HttpDelivery]:
    """The latest deliveries given up, or waiting again after an error, newest first."""
    statement = (
        select(HttpDelivery)
        .where(HttpDelivery.last_error.is_not(None), HttpDelivery.state != DeliveryState.SENT)
        .order_by(HttpDelivery.id.desc())
        .limit(limit)
    )
    if target is not None:
        statement = statement.where(HttpDelivery.target == target)
    return list(db.session.scalars(statement))


def retry_failed(target: str) -> int:
    """Queue every failed delivery of `target` again, from its first attempt."""
    result = db.session.execute(
        update(HttpDelivery)
        .where(HttpDelivery.target == target, HttpDelivery.state == DeliveryState.FAILED)
        .values(state=DeliveryState.WAITING, attempts=0, next_attempt_at=utcnow(), claimed_at=None)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
