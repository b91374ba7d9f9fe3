"""E-mails written to the outbox in the caller's transaction, for the worker to send.

A rolled-back change leaves no message; a committed one waits until the worker has sent
it (or given up and shown it to admins). The functions add and flush, never commit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr

from flask import current_app
from sqlalchemy import delete, func, select, update

from coachkit.auth.models import User
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.notifications import occasions, preferences
from coachkit.notifications.kinds import Delivery, Kind
from coachkit.notifications.models import OutboxMessage, OutboxState

# Where a one-time link goes in a body; the link itself is kept apart (`secret_link`)
# and dropped once the message is sent, so a sent message keeps no usable token.
SECRET_LINK = "{{secret_link}}"  # noqa: S105 - a placeholder, not a secret


@dataclass(frozen=True)
class About:
    """The object a notification or message is about, e.g. About("candidate", 12)."""

    type: str
    id: int


@dataclass(frozen=True)
class Progress:
    """How far a batch of messages has got (e.g. "37 of 100 sent")."""

    sent: int = 0
    waiting: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.waiting + self.failed

    @property
    def done(self) -> bool:
        return self.waiting == 0


def new_batch() -> str:
    """An id to put on the messages of one action, for `progress`."""
    return uuid.uuid4().hex


def progress(batch: str) -> Progress:
    """The messages of `batch` sent, still to send (or being sent) and failed."""
    counts: dict[OutboxState, int] = {
        OutboxState(state): count
        for state, count in db.session.execute(
            select(OutboxMessage.state, func.count())
            .where(OutboxMessage.batch == batch)
            .group_by(OutboxMessage.state)
        )
    }
    return Progress(
        sent=counts.get(OutboxState.SENT, 0),
        waiting=counts.get(OutboxState.WAITING, 0) + counts.get(OutboxState.SENDING, 0),
        failed=counts.get(OutboxState.FAILED, 0),
    )


def email(
    to: User | str,
    kind: Kind,
    subject: str,
    body: str,
    *,
    about: About | None = None,
    secret_link: str | None = None,
    expires_at: datetime | None = None,
    ical: bytes | None = None,
    batch: str | None = None,
    once: str | None = None,
) -> OutboxMessage | None:
    """Put an e-mail to a person (`User`) or to a plain address (a candidate) in the
    outbox; None when they turned this kind off, the account is deactivated, or `once`
    (an occasion, see `occasions`) was already used for them.

    `body` is plain text; where it says `SECRET_LINK`, the message carries
    `secret_link` (a one-time link), which is kept only until the message is sent and
    not sent after `expires_at`."""
    if isinstance(to, User):
        if not to.active or preferences.deliveries([to.id], kind)[to.id] is Delivery.OFF:
            return None
        recipient = f"u{to.id}"
    else:
        if preferences.suppressed(to, kind):
            return None
        recipient = preferences.address_hash(to)[:32]
    if once is not None and not occasions.claim([occasions.key(kind, once, recipient)]):
        return None
    return enqueue(
        to,
        kind,
        subject,
        body,
        about=about,
        secret_link=secret_link,
        expires_at=expires_at,
        ical=ical,
        batch=batch,
    )


def enqueue(
    to: User | str,
    kind: Kind,
    subject: str,
    body: str,
    *,
    about: About | None = None,
    secret_link: str | None = None,
    expires_at: datetime | None = None,
    ical: bytes | None = None,
    batch: str | None = None,
    notification_id: int | None = None,
) -> OutboxMessage:
    """Add the message as it is, without looking at preferences (callers did)."""
    if (secret_link is None) != (SECRET_LINK not in body):
        raise ValueError("a secret link needs SECRET_LINK in the body, and the other way round")
    message = OutboxMessage(
        kind=kind,
        to_address=to.email if isinstance(to, User) else to.strip(),
        recipient_id=to.id if isinstance(to, User) else None,
        notification_id=notification_id,
        object_type=about.type if about else None,
        object_id=about.id if about else None,
        batch=batch,
        subject=one_line(subject)[:300],
        body=body,
        secret_link=secret_link,
        ical=ical,
        expires_at=expires_at,
        message_id=make_msgid(domain=_mail_domain()),
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    db.session.flush()
    return message


def one_line(text: str) -> str:
    """`text` on one line (a subject with a line break would break the headers)."""
    return " ".join(text.split())


def _mail_domain() -> str:
    address = parseaddr(current_app.config["MAIL_FROM"])[1]
    return address.rpartition("@")[2] or "coachkit.localhost"


def cancel_waiting(kind: Kind, about: About) -> int:
    """Withdraw the messages of `kind` about `about` not sent yet (e.g. an invitation
    replaced by a new one); return how many."""
    result = db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.kind == kind,
            OutboxMessage.object_type == about.type,
            OutboxMessage.object_id == about.id,
            OutboxMessage.state == OutboxState.WAITING,
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def retryable(message: OutboxMessage) -> bool:
    """Whether a failed message can go again: its one-time link, if any, is still kept."""
    return message.state is OutboxState.FAILED and (
        message.secret_link is not None or SECRET_LINK not in message.body
    )


def retry(message: OutboxMessage) -> bool:
    """Send a failed message again, from its first attempt; False if it cannot."""
    if not retryable(message):
        return False
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.state == OutboxState.FAILED)
        .values(state=OutboxState.WAITING, attempts=0, next_attempt_at=utcnow(), claimed_at=None)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def counts() -> dict[OutboxState, int]:
    """How many messages are in each state."""
    found = dict(
        db.session.execute(select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state))
        .tuples()
        .all()
    )
    return {state: found.get(state, 0) for state in OutboxState}


def expire(now: datetime) -> None:
    """Give up messages whose link expired before they were sent, and forget the
    one-time links of failed messages once they no longer work."""
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.state == OutboxState.WAITING, OutboxMessage.expires_at < now)
        .values(state=OutboxState.FAILED, last_error="Its link expired before it could be sent.")
    )
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.secret_link.is_not(None),
            OutboxMessage.state == OutboxState.FAILED,
            OutboxMessage.expires_at < now,
        )
        .values(secret_link=None)
    )


def prune(days: int) -> int:
    """Delete messages sent or failed more than `days` ago; return how many."""
    result = db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.state.in_([OutboxState.SENT, OutboxState.FAILED]),
            OutboxMessage.created_at < utcnow() - timedelta(days=days),
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
