"""Statements for history: the attempts begun (and, opted in, the coaching sessions
held) in a date range, queued unless queued before.

Statement ids are fixed by each attempt's registration, so running it again over the
same range queues nothing new; an attempt made before registrations existed gets one
the first time it is reported.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from coachkit.auth.models import User
from coachkit.coaching.models import CoachingSession
from coachkit.extensions import db
from coachkit.training.models import Attempt, ModuleVersion
from coachkit.training.player import module_of
from coachkit.xapi import attempts, attendance
from coachkit.xapi.recording import queue, registered
from coachkit.xapi.vocabulary import actor

BATCH = 200


@dataclass
class Backfilled:
    attempts: int = 0
    sessions: int = 0
    queued: int = 0


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def batches(since: date, until: date | None, done: Backfilled) -> Iterator[None]:
    """Queue the history from `since` up to (not including) `until`, a batch at a
    time; the caller commits after each, and `done` counts what was done so far."""
    yield from _attempts(since, until, done)
    if current_app.config["XAPI_COACHING"]:
        yield from _sessions(since, until, done)


def _actors(user_ids: set[int]) -> dict[int, dict[str, object]]:
    people = db.session.execute(select(User.id, User.email).where(User.id.in_(user_ids)))
    return {user_id: actor(user_id, email) for user_id, email in people}


def _attempts(since: date, until: date | None, done: Backfilled) -> Iterator[None]:
    after = 0
    while True:
        statement = (
            select(Attempt)
            .where(Attempt.id > after, Attempt.started_at >= _moment(since))
            .order_by(Attempt.id)
            .limit(BATCH)
            .options(
                selectinload(Attempt.steps),
                selectinload(Attempt.module_version).undefer(ModuleVersion.source),
            )
        )
        if until is not None:
            statement = statement.where(Attempt.started_at < _moment(until))
        found = db.session.scalars(statement).all()
        if not found:
            return
        who = _actors({attempt.user_id for attempt in found})
        for attempt in found:
            made = attempts.of_attempt(
                registered(attempt), module_of(attempt), who[attempt.user_id]
            )
            done.queued += queue(made, ("attempt", attempt.id))
            done.attempts += 1
        after = found[-1].id
        yield


def _sessions(since: date, until: date | None, done: Backfilled) -> Iterator[None]:
    after = 0
    while True:
        statement = (
            select(CoachingSession)
            .where(CoachingSession.id > after, CoachingSession.held_on >= since)
            .order_by(CoachingSession.id)
            .limit(BATCH)
        )
        if until is not None:
            statement = statement.where(CoachingSession.held_on < until)
        found = db.session.scalars(statement).all()
        if not found:
            return
        who = _actors({session.employee_id for session in found})
        for session in found:
            made = attendance.attended(session, who[session.employee_id])
            done.queued += queue([made], ("coaching_session", session.id))
            done.sessions += 1
        after = found[-1].id
        yield
