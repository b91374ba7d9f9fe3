"""The notification centre: a person's own notifications, read and unread. The unread
count on their account, for the header, is kept by `models.unread_changed`: the flush
events call it, and so do these statements that mark notifications read in bulk."""

from __future__ import annotations

from datetime import timedelta

from flask import abort
from sqlalchemy import Select, delete, func, select, update

from coachkit.auth.models import User
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.notifications.models import Notification, unread_changed

PAGE_SIZE = 25


def mine(user: User) -> Select[tuple[Notification]]:
    """`user`'s notifications, newest first: the only ones anybody reads here."""
    return (
        select(Notification)
        .where(Notification.recipient_id == user.id)
        .order_by(Notification.id.desc())
    )


def own_or_404(user: User, notification_id: int) -> Notification:
    """One of `user`'s notifications; anyone else's is a 404."""
    notification = db.session.scalar(mine(user).where(Notification.id == notification_id))
    if notification is None:
        abort(404)
    return notification


def mark_read(notification: Notification) -> None:
    """Mark it read (once, even when two requests do it at the same moment)."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.id == notification.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    if result.rowcount:  # type: ignore[attr-defined]
        unread_changed({notification.recipient_id: -1})


def mark_all_read(user: User) -> int:
    """Mark every unread notification of `user` read; return how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    count = int(result.rowcount)  # type: ignore[attr-defined]
    unread_changed({user.id: -count})
    return count


def recount() -> int:
    """Set every person's unread count from their notifications (`flask recount`);
    return how many people."""
    unread = (
        select(func.count())
        .where(Notification.recipient_id == User.id, Notification.read_at.is_(None))
        .scalar_subquery()
    )
    result = db.session.execute(
        update(User)
        .values(unread_notifications=unread)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def prune(days: int) -> int:
    """Delete notifications read more than `days` ago; return how many (read ones
    only: no unread count changes)."""
    result = db.session.execute(
        delete(Notification).where(Notification.read_at < utcnow() - timedelta(days=days))
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
