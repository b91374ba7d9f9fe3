"""Sending the outbox of HTTP requests, called by the worker on each pass.

Mirrors the e-mail outbox (`notifications.worker`), three steps, each its own
transaction or none:

1. claim: waiting rows due now are marked 'sending' with the time (on PostgreSQL
   `FOR UPDATE SKIP LOCKED`, so several workers never take the same row);
2. perform the request through the target's registered sender, outside any
   transaction, with the row's fixed key (an xAPI statement id), so a receiver sees a
   retry as the same request;
3. record the outcome: sent; waiting again, at most DELIVERY_MAX_BACKOFF_SECONDS later
   (the backoff doubles from DELIVERY_RETRY_SECONDS, capped, so a failed delivery is
   tried again within a minute by default); failed for good when refused or after
   DELIVERY_MAX_ATTEMPTS tries. A target that does not answer is not counted as an
   attempt: its other rows are put back and the pass moves on.

If the database is unreachable at step 3 the outcome is kept and stored again and
again, so nothing that went out is sent twice. Only a worker killed between steps 2
and 3 leaves a claim behind; after DELIVERY_CLAIM_TIMEOUT_MINUTES it is tried again.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from coachkit.database import commit_until_stored, utcnow
from coachkit.deliveries.models import DeliveryState, HttpDelivery
from coachkit.deliveries.senders import Outcome, Request, Result, sender_for
from coachkit.extensions import db

BATCH = 50


@dataclass
class Sent:
    sent: int = 0
    failed: int = 0
    retrying: int = 0
    unreachable: int = 0  # targets that did not answer in this pass


def send_due(*, stop: threading.Event | None = None, now: datetime | None = None) -> Sent:
    """Take back stale claims, then send every delivery due now (or at `now`)."""
    result = Sent()
    _take_back_stale(utcnow())
    db.session.commit()
    silent: set[str] = set()  # targets that did not answer: left for a later pass
    while not (stop and stop.is_set()):
        claimed = _claim(BATCH, now or utcnow(), silent)
        if not claimed:
            break
        for request in claimed:
            if (stop is not None and stop.is_set()) or request.target in silent:
                _release([request.id], stop)
                continue
            sent = _perform(request)
            _record(request, sent, result, stop)
            if sent.outcome is Outcome.UNREACHABLE:
                silent.add(request.target)
                result.unreachable += 1
        if len(claimed) < BATCH:
            break
    return result


def _perform(request: Request) -> Result:
    sender = sender_for(request.target)
    if sender is None:
        return Result(Outcome.RETRY, f"Nothing sends {request.target!r} deliveries here.")
    try:
        return sender(request)
    except Exception as error:  # a bug in a sender must not stop the other targets
        current_app.logger.exception("deliveries: the %s sender failed", request.target)
        return Result(Outcome.RETRY, f"The sender failed: {error}"[:500])


def _claim(limit: int, now: datetime, skip: set[str]) -> list[Request]:
    statement = (
        select(HttpDelivery)
        .where(HttpDelivery.state == DeliveryState.WAITING, HttpDelivery.next_attempt_at <= now)
        .order_by(HttpDelivery.next_attempt_at, HttpDelivery.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    if skip:
        statement = statement.where(HttpDelivery.target.not_in(skip))
    rows = db.session.scalars(statement).all()
    claimed = [Request(r.id, r.key, r.target, r.method, r.url, r.body, r.attempts) for r in rows]
    for row in rows:
        row.state, row.claimed_at = DeliveryState.SENDING, utcnow()
    db.session.commit()
    return claimed


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try: doubling, capped."""
    config = current_app.config
    first, cap = config["DELIVERY_RETRY_SECONDS"], config["DELIVERY_MAX_BACKOFF_SECONDS"]
    return timedelta(seconds=min(first * 2 ** max(attempts - 1, 0), cap))


def _outcome_values(request_attempts: int, sent: Result, now: datetime) -> dict[str, Any]:
    if sent.outcome is Outcome.SENT:
        return {
            "state": DeliveryState.SENT,
            "sent_at": now,
            "attempts": request_attempts + 1,
            "last_error": None,
        }
    if sent.outcome is Outcome.UNREACHABLE:  # not tried: no attempt counted
        return {
            "state": DeliveryState.WAITING,
            "claimed_at": None,
            "next_attempt_at": now + retry_delay(1),
            "last_error": sent.error,
        }
    attempts = request_attempts + 1
    if sent.outcome is Outcome.REFUSED or attempts >= current_app.config["DELIVERY_MAX_ATTEMPTS"]:
        return {"state": DeliveryState.FAILED, "attempts": attempts, "last_error": sent.error}
    return {
        "state": DeliveryState.WAITING,
        "attempts": attempts,
        "claimed_at": None,
        "next_attempt_at": now + retry_delay(attempts),
        "last_error": sent.error,
    }


def _record(request: Request, sent: Result, result: Sent, stop: threading.Event | None) -> None:
    values = _outcome_values(request.attempts, sent, utcnow())
    statement = (
        update(HttpDelivery)
        .where(HttpDelivery.id == request.id, HttpDelivery.state == DeliveryState.SENDING)
        .values(**values)
    )
    commit_until_stored(lambda: db.session.execute(statement), stop, "deliveries")
    if sent.outcome is Outcome.SENT:
        result.sent += 1
    elif values["state"] is DeliveryState.FAILED:
        result.failed += 1
    elif sent.outcome is Outcome.RETRY:
        result.retrying += 1


def _release(ids: list[int], stop: threading.Event | None) -> None:
    """Put claimed deliveries back, untried (their target is silent, or we stop)."""
    statement = (
        update(HttpDelivery)
        .where(HttpDelivery.id.in_(ids), HttpDelivery.state == DeliveryState.SENDING)
        .values(state=DeliveryState.WAITING, claimed_at=None)
    )
    commit_until_stored(lambda: db.session.execute(statement), stop, "deliveries")


def _take_back_stale(now: datetime) -> None:
    timeout = timedelta(minutes=current_app.config["DELIVERY_CLAIM_TIMEOUT_MINUTES"])
    db.session.execute(
        update(HttpDelivery)
        .where(HttpDelivery.state == DeliveryState.SENDING, HttpDelivery.claimed_at < now - timeout)
        .values(
            state=DeliveryState.WAITING,
            claimed_at=None,
            attempts=HttpDelivery.attempts + 1,
            last_error="The worker stopped while sending it; it is tried again.",
        )
    )
