"""The worker: sends the outbox and runs the scans (`flask worker`, `flask send`); each
pass also sends the HTTP deliveries due (`coachkit.deliveries`, an outbox of its own).

Sending a message takes three steps, each its own transaction or none:

1. claim: waiting rows due now are marked 'sending' with the time (on PostgreSQL
   `FOR UPDATE SKIP LOCKED`, so several workers never take the same row);
2. send over SMTP, outside any transaction, with the row's Message-ID;
3. record what became of it: sent, waiting again with a later attempt (exponential
   backoff), or failed for good (refused with 5xx, or MAIL_MAX_ATTEMPTS tries).

If the database is unreachable at step 3 the worker keeps the outcome and tries again
until it is stored, so a restart of PostgreSQL sends nothing twice. Only a worker
killed between steps 2 and 3 leaves a claim behind; after MAIL_CLAIM_TIMEOUT_MINUTES
it is tried again, with the same Message-ID.
"""

from __future__ import annotations

import threading
import time
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError

from coachkit import mail
from coachkit.auth.models import User
from coachkit.database import commit_until_stored, utcnow
from coachkit.deliveries import sending as deliveries
from coachkit.extensions import db
from coachkit.notifications import outbox, scans
from coachkit.notifications.compose import compose
from coachkit.notifications.models import OutboxMessage, OutboxState

BATCH = 20
MAX_BACKOFF = timedelta(hours=6)
Outcome = mail.Outcome


@dataclass
class PassResult:
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    unreachable: bool = False  # the mail server could not be reached: try later
    scanned: dict[str, int] = field(default_factory=dict)
    deliveries: deliveries.Sent = field(default_factory=deliveries.Sent)


@dataclass(frozen=True)
class _Claimed:
    id: int
    attempts: int
    email: EmailMessage


def run_pass(*, scan: bool = True, stop: threading.Event | None = None) -> PassResult:
    """One pass: the scans, the outbox's housekeeping, every message due now, then
    every HTTP delivery due now."""
    result = PassResult()
    if scan:
        result.scanned = scans.run_all(utcnow())
    _housekeeping(utcnow())
    db.session.commit()
    if mail.configured():
        _send_mail(result, stop)
    result.deliveries = deliveries.send_due(stop=stop)
    return result


def _send_mail(result: PassResult, stop: threading.Event | None) -> None:
    with mail.connection() as link:
        while not result.unreachable and not (stop and stop.is_set()):
            claimed = _claim(BATCH)
            if not claimed:
                break
            for index, message in enumerate(claimed):
                if stop is not None and stop.is_set():
                    _release([each.id for each in claimed[index:]], stop)
                    break
                sent = link.send_email(message.email)
                _record(message, sent, result, stop)
                if sent.outcome is Outcome.UNREACHABLE:
                    _release([each.id for each in claimed[index + 1 :]], stop)
                    result.unreachable = True
                    break


def _claim(limit: int) -> list[_Claimed]:
    now = utcnow()
    rows = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.state == OutboxState.WAITING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    claimed = []
    for row in rows:
        try:
            email = compose(row, now=now)
        except (ValueError, TypeError) as error:  # e.g. an address no header can hold
            row.state, row.last_error = OutboxState.FAILED, f"Not a valid e-mail: {error}"[:500]
            continue
        claimed.append(_Claimed(row.id, row.attempts, email))
        row.state, row.claimed_at = OutboxState.SENDING, now
    db.session.commit()
    return claimed


def _outcome_values(message: _Claimed, sent: mail.Result, now: datetime) -> dict[str, Any]:
    if sent.outcome is Outcome.SENT:
        return {
            "state": OutboxState.SENT,
            "sent_at": now,
            "attempts": message.attempts + 1,
            "secret_link": None,  # sent: the token need not be kept any longer
            "last_error": None,
        }
    if sent.outcome is Outcome.UNREACHABLE:  # not tried: no attempt counted
        return {"state": OutboxState.WAITING, "claimed_at": None, "last_error": sent.error}
    attempts = message.attempts + 1
    config = current_app.config
    if sent.outcome is Outcome.REFUSED or attempts >= config["MAIL_MAX_ATTEMPTS"]:
        return {"state": OutboxState.FAILED, "attempts": attempts, "last_error": sent.error}
    delay = min(timedelta(seconds=config["MAIL_RETRY_SECONDS"] * 2 ** (attempts - 1)), MAX_BACKOFF)
    return {
        "state": OutboxState.WAITING,
        "attempts": attempts,
        "claimed_at": None,
        "next_attempt_at": now + delay,
        "last_error": sent.error,
    }


def _record(
    message: _Claimed, sent: mail.Result, result: PassResult, stop: threading.Event | None
) -> None:
    values = _outcome_values(message, sent, utcnow())
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.state == OutboxState.SENDING)
        .values(**values)
    )
    commit_until_stored(lambda: db.session.execute(statement), stop, "outbox")
    if sent.outcome is Outcome.SENT:
        result.sent += 1
    elif values["state"] is OutboxState.FAILED:
        result.failed += 1
    elif sent.outcome is Outcome.RETRY:
        result.retrying += 1


def _release(ids: list[int], stop: threading.Event | None) -> None:
    """Put claimed messages back, untried (the server is unreachable, or we stop)."""
    if not ids:
        return
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.state == OutboxState.SENDING)
        .values(state=OutboxState.WAITING, claimed_at=None)
    )
    commit_until_stored(lambda: db.session.execute(statement), stop, "outbox")


def _housekeeping(now: datetime) -> None:
    """Take back stale claims, give up messages past their expiry or to deactivated
    accounts, and forget one-time links that no longer work."""
    timeout = timedelta(minutes=current_app.config["MAIL_CLAIM_TIMEOUT_MINUTES"])
    sending, waiting = OutboxMessage.state == OutboxState.SENDING, OutboxState.WAITING
    db.session.execute(
        update(OutboxMessage)
        .where(sending, OutboxMessage.claimed_at < now - timeout)
        .values(
            state=waiting,
            claimed_at=None,
            attempts=OutboxMessage.attempts + 1,
            last_error="The worker stopped while sending it; it is tried again.",
        )
    )
    outbox.expire(now)
    inactive = select(User.id).where(User.active.is_(False))
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.state == waiting, OutboxMessage.recipient_id.in_(inactive))
        .values(state=OutboxState.FAILED, last_error="The account is deactivated.")
        .execution_options(synchronize_session=False)
    )


def run_forever(stop: threading.Event) -> None:
    """Pass after pass until `stop` is set. When the database or the mail server is
    unreachable, wait (longer each time, at most a minute) and try again."""
    config = current_app.config
    interval = float(config["WORKER_INTERVAL_SECONDS"])
    scan_every = float(config["WORKER_SCAN_SECONDS"])
    last_scan = -scan_every
    failures = mail_failures = 0
    while not stop.is_set():
        scan = time.monotonic() - last_scan >= scan_every
        try:
            result = run_pass(scan=scan, stop=stop)
        except Exception as error:  # the database is down, or a bug: wait and carry on
            with suppress(SQLAlchemyError):
                db.session.rollback()
            failures += 1
            wait = min(60.0, 2.0**failures)
            if isinstance(error, SQLAlchemyError):
                current_app.logger.warning(
                    "worker: database unavailable (%s); next try in %.0f s", error, wait
                )
            else:
                current_app.logger.exception("worker: pass failed; next try in %.0f s", wait)
            stop.wait(wait)
            continue
        failures = 0
        if scan:
            last_scan = time.monotonic()
        if result.deliveries.sent or result.deliveries.failed or result.deliveries.retrying:
            current_app.logger.info(
                "worker: HTTP deliveries sent %d, failed %d, to retry %d",
                result.deliveries.sent,
                result.deliveries.failed,
                result.deliveries.retrying,
            )
        if result.sent or result.failed or result.retrying:
            current_app.logger.info(
                "worker: sent %d, failed %d, to retry %d",
                result.sent,
                result.failed,
                result.retrying,
            )
        mail_failures = mail_failures + 1 if result.unreachable else 0
        stop.wait(min(60.0, interval * 2**mail_failures) if mail_failures else interval)
