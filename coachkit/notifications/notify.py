"""The one way features notify people: `notify` (or `notify_all`) inside the feature's
own transaction adds the in-app notification and, as each recipient prefers, an e-mail
to the outbox or a line in their daily digest. It adds and flushes; the caller commits,
so a rolled-back change notifies nobody.

    notify(employee, Kind.MODULE_ASSIGNED, f"{module.title} is assigned to you",
           url_for("training.show", slug=module.slug),
           details=f"Due on {due:%-d %B %Y}.", about=About("assignment", assignment.id))

A scheduled reminder passes `once`, naming the occasion, so that running its scan
again notifies nobody twice: `once=f"assignment:{a.id}:due-soon"`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from flask import render_template
from sqlalchemy import delete

from coachkit.auth.models import User
from coachkit.extensions import db
from coachkit.notifications import links, occasions, outbox, preferences
from coachkit.notifications.kinds import Delivery, Kind
from coachkit.notifications.models import (
    Notification,
    OutboxMessage,
    OutboxState,
    unread_changed,
)
from coachkit.notifications.outbox import About
from coachkit.security import safe_next

_RANK = {Delivery.OFF: 0, Delivery.DIGEST: 1, Delivery.EMAIL: 2}


@dataclass(frozen=True, kw_only=True)
class Draft:
    """A notification to one person, written before it is sent: a feature gathers a
    change's (or a scan's), then sends them in recipient order, the order every writer
    adds to unread counts in. The arguments of `notify`, as values."""

    recipient_id: int
    subject: str
    path: str
    details: str = ""
    about: About | None = None
    ical: bytes | None = None


def notify(
    recipient: User,
    kind: Kind,
    subject: str,
    path: str,
    *,
    details: str = "",
    about: About | None = None,
    ical: bytes | None = None,
    once: str | None = None,
    at_most: Delivery | None = None,
) -> Notification | None:
    """Notify one person (see `notify_all`); None when `once` was already used."""
    made = notify_all(
        [recipient],
        kind,
        subject,
        path,
        details=details,
        about=about,
        ical=ical,
        once=once,
        at_most=at_most,
    )
    return made[0] if made else None


def notify_all(
    recipients: Sequence[User],
    kind: Kind,
    subject: str,
    path: str,
    *,
    details: str = "",
    about: About | None = None,
    ical: bytes | None = None,
    once: str | None = None,
    at_most: Delivery | None = None,
) -> list[Notification]:
    """Notify each of `recipients` of the same thing: `subject` (one line naming the
    thing, only what every recipient may see), a link to `path` on this site, and
    `details` (plain text) in the e-mail. `ical` is attached to the e-mail (not to a
    digest). `at_most` caps the delivery: Delivery.DIGEST puts it in the digest even
    for those who get this kind singly (e.g. a weekly "still overdue")."""
    if not kind.audience:
        raise ValueError(f"{kind} goes to addresses without an account: use outbox.email")
    if safe_next(path) != path:
        raise ValueError(f"not a path on this site: {path!r}")
    # In user-id order: each notification's flush adds to its recipient's unread count,
    # and writers that lock people's rows in the same order never deadlock.
    people = sorted({person.id: person for person in recipients}.values(), key=lambda p: p.id)
    if once is not None:
        keys = {person.id: occasions.key(kind, once, f"u{person.id}") for person in people}
        fresh = occasions.claim(list(keys.values()))
        people = [person for person in people if keys[person.id] in fresh]
    if not people:
        return []
    chosen = preferences.deliveries([person.id for person in people], kind)
    if at_most is not None:
        chosen = {i: min(d, at_most, key=_RANK.__getitem__) for i, d in chosen.items()}
    made = [
        Notification(
            recipient_id=person.id,
            kind=kind,
            subject=outbox.one_line(subject)[:200],
            path=path,
            object_type=about.type if about else None,
            object_id=about.id if about else None,
            digest_pending=chosen[person.id] is Delivery.DIGEST and person.active,
        )
        for person in people
    ]
    db.session.add_all(made)
    db.session.flush()
    for person, notification in zip(people, made, strict=True):
        if chosen[person.id] is Delivery.EMAIL and person.active:
            body = render_template(
                "notifications/mail/notification.txt",
                name=person.name,
                subject=subject,
                details=details,
                url=links.external(path),
            )
            outbox.enqueue(
                person,
                kind,
                subject,
                body,
                about=about,
                ical=ical,
                notification_id=notification.id,
            )
    return made


def forget(about: About) -> int:
    """Remove the notifications and e-mails about an object (when it is deleted, e.g. a
    purged candidate), except one being sent this moment; return how many
    notifications."""
    db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.object_type == about.type,
            OutboxMessage.object_id == about.id,
            OutboxMessage.state != OutboxState.SENDING,
        )
    )
    deleted = db.session.execute(
        delete(Notification)
        .where(Notification.object_type == about.type, Notification.object_id == about.id)
        .returning(Notification.recipient_id, Notification.read_at)
        .execution_options(synchronize_session=False)
    ).all()
    unread = Counter(recipient for recipient, read_at in deleted if read_at is None)
    unread_changed({recipient: -count for recipient, count in unread.items()})
    return len(deleted)
