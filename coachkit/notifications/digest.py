"""The daily digest: each person who chose it for some kinds gets one e-mail a day
listing what arrived since the last one (a scan, run by the worker from DIGEST_HOUR,
UTC, on)."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, render_template
from sqlalchemy import select, update

from coachkit.auth.models import User
from coachkit.extensions import db
from coachkit.notifications import links, occasions, outbox, preferences
from coachkit.notifications.kinds import Delivery, Kind
from coachkit.notifications.models import Notification

NAME = "notifications.digest"


def send_digests(now: datetime) -> int:
    """Write today's digest of everyone with notifications waiting for one; return how
    many digests. Notifications already read in coachkit are left out, and so are
    kinds turned off since."""
    if now.hour < current_app.config["DIGEST_HOUR"]:
        return 0
    waiting = select(Notification.recipient_id).where(
        Notification.digest_pending.is_(True), Notification.created_at <= now
    )
    people = db.session.scalars(
        select(User).where(User.id.in_(waiting), User.active.is_(True)).order_by(User.id)
    ).all()
    day = now.date().isoformat()
    made = 0
    for person in people:
        if not occasions.claim([occasions.key(Kind.DIGEST, day, f"u{person.id}")]):
            continue  # today's digest went out already; these wait for tomorrow's
        made += _digest(person, now)
    return made


def _digest(person: User, now: datetime) -> int:
    items = db.session.scalars(
        select(Notification)
        .where(
            Notification.recipient_id == person.id,
            Notification.digest_pending.is_(True),
            Notification.created_at <= now,
        )
        .order_by(Notification.id)
    ).all()
    db.session.execute(
        update(Notification)
        .where(Notification.id.in_([item.id for item in items]))
        .values(digest_pending=False)
        .execution_options(synchronize_session=False)
    )
    # Kinds turned off since they were written, or the digest unsubscribed from (the
    # kind DIGEST off), leave their waiting lines out.
    if preferences.deliveries([person.id], Kind.DIGEST)[person.id] is Delivery.OFF:
        return 0
    wanted = {
        k for k, delivery in preferences.choices(person).items() if delivery is not Delivery.OFF
    }
    unread = [item for item in items if item.read_at is None and item.kind in wanted]
    if not unread:
        return 0
    body = render_template(
        "notifications/mail/digest.txt",
        name=person.name,
        items=[(item.subject, links.external(item.path)) for item in unread],
        centre=links.for_endpoint("notifications.index"),
    )
    count = len(unread)
    subject = f"Your coachkit digest: {count} notification{'' if count == 1 else 's'}"
    outbox.enqueue(person, Kind.DIGEST, subject, body)
    return 1
