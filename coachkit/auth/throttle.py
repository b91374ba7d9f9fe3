"""Limits on how often one address (or one account) may do something, counted in the
database so they hold across app servers: password reset requests, single sign-on
callbacks. Password sign-in has its own record of attempts (`sessions`)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, func, select

from coachkit.auth.models import ThrottleEvent
from coachkit.database import utcnow
from coachkit.extensions import db

# Events older than this are never counted again (the longest window is an hour or so).
KEEP = timedelta(days=1)


def count(action: str, key: str) -> ThrottleEvent:
    """Record one request under (`action`, `key`); the caller commits, before checking
    `exceeded`, so parallel requests all count."""
    event = ThrottleEvent(action=action, key=key[:80])
    db.session.add(event)
    db.session.flush()
    return event


def exceeded(action: str, key: str, *, limit: int, window: timedelta) -> bool:
    """Whether more than `limit` requests under (`action`, `key`) were made within
    `window`, the one just counted included."""
    made = db.session.scalar(
        select(func.count(ThrottleEvent.id)).where(
            ThrottleEvent.action == action,
            ThrottleEvent.key == key[:80],
            ThrottleEvent.created_at > utcnow() - window,
        )
    )
    return (made or 0) > limit


def prune() -> int:
    """Delete events too old to count; return how many."""
    result = db.session.execute(
        delete(ThrottleEvent).where(ThrottleEvent.created_at < utcnow() - KEEP)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
