"""Telling Greenhouse a test is complete: once every written answer of a candidate it
sent a test to has its raters, coachkit PATCHes the `url` Greenhouse gave in send_test
(which makes Greenhouse fetch test_status).

The PATCH goes through the HTTP delivery outbox (`coachkit.deliveries`): it is queued
by a flush event in the transaction that completes the candidate (a rolled-back rating
queues nothing), and the worker sends it with retries, authenticated with the partner
key as Greenhouse documents (HTTP Basic, the key as the user name).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import requests
from flask import Flask
from sqlalchemy import event, inspect, select, update
from sqlalchemy.orm import Session

from coachkit.database import utcnow
from coachkit.deliveries import senders
from coachkit.deliveries.models import HttpDelivery
from coachkit.deliveries.senders import Outcome, Request, Result
from coachkit.extensions import db
from coachkit.hiring.greenhouse.keys import credentials
from coachkit.hiring.greenhouse.models import Interview, PartnerKey
from coachkit.hiring.models import Candidate
from coachkit.notifications import scans

TARGET = "greenhouse"


def register(app: Flask) -> None:
    """Let the worker send the completion PATCHes, and sweep for completions."""
    senders.register(app, TARGET, send)
    scans.register(app, "hiring.greenhouse_completions", sweep)


def completed(session: Session, interview: Interview) -> None:
    """Queue the PATCH that tells Greenhouse the interview is complete. The flush event
    calls it while the session flushes, so the row is only added (to this flush), not
    flushed as `deliveries.outbox.enqueue` would: a flush cannot start inside another."""
    now = utcnow()
    interview.completed_at = now
    session.add(
        HttpDelivery(
            key=f"greenhouse-complete:{interview.id}:{uuid.uuid4().hex}",
            target=TARGET,
            method="PATCH",
            url=interview.callback_url,
            body={"partner_key_id": interview.key_id},
            object_type="greenhouse_interview",
            object_id=interview.id,
            next_attempt_at=now,
        )
    )


@event.listens_for(Session, "before_flush")
def _candidates_rated(session: Session, _context: Any, _instances: Any) -> None:
    """A candidate Greenhouse sent a test to became fully rated: queue the PATCH (and
    forget an earlier completion when more raters are asked for)."""
    changed = {
        candidate.id: candidate
        for candidate in session.dirty
        if isinstance(candidate, Candidate)
        and candidate.id is not None
        and inspect(candidate).attrs.fully_rated.history.added
    }
    if not changed:
        return
    with session.no_autoflush:
        found = session.scalars(select(Interview).where(Interview.candidate_id.in_(changed)))
        for interview in found:
            candidate = changed[interview.candidate_id]
            if not candidate.fully_rated:
                interview.completed_at = None
            elif interview.completed_at is None and candidate.submitted_at is not None:
                completed(session, interview)


def sweep(_now: datetime) -> int:
    """The worker's scan for completions no flush event saw (raters required lowered
    for a whole opening, `flask recount`): queue their PATCH; forget completions no
    longer true. Returns how many PATCHes it queued."""
    rated = Candidate.submitted_at.is_not(None) & Candidate.fully_rated
    pending = db.session.scalars(
        select(Interview)
        .join(Candidate, Candidate.id == Interview.candidate_id)
        .where(Interview.completed_at.is_(None), rated)
    ).all()
    for interview in pending:
        completed(db.session(), interview)
    db.session.execute(
        update(Interview)
        .where(
            Interview.completed_at.is_not(None),
            Interview.candidate_id.in_(select(Candidate.id).where(~rated)),
        )
        .values(completed_at=None)
    )
    return len(pending)


def partner_key(key_id: int | None) -> str | None:
    """The key to authenticate the PATCH with: the one that sent the test while it is
    live, else the newest live key."""
    live = select(PartnerKey).where(PartnerKey.revoked_at.is_(None))
    chosen = db.session.scalar(live.where(PartnerKey.id == key_id)) if key_id else None
    chosen = chosen or db.session.scalar(live.order_by(PartnerKey.id.desc()))
    return credentials(chosen) if chosen is not None else None


def send(request: Request) -> Result:
    """PATCH the callback URL (no body: the request itself is the signal)."""
    body = request.body if isinstance(request.body, dict) else {}
    key = partner_key(body.get("partner_key_id"))
    db.session.rollback()  # end the read: the request goes out outside any transaction
    if key is None:
        return Result(Outcome.RETRY, "No live partner key to sign in to Greenhouse with.")
    try:
        response = requests.request(
            request.method,
            request.url,
            auth=(key, ""),
            timeout=senders.TIMEOUT,
            allow_redirects=False,
        )
    except requests.Timeout:
        return Result(Outcome.UNREACHABLE, f"No answer from {request.url} in time.")
    except requests.ConnectionError:
        return Result(Outcome.UNREACHABLE, f"Could not connect to {request.url}.")
    except requests.RequestException as error:
        return Result(Outcome.REFUSED, f"Could not send: {error}"[:500])
    return senders.result_of(response.status_code, response.text)
