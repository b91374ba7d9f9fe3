"""Statements queued in the transaction of what they describe: the receivers of
training's (and coaching's) events, and the sender the worker uses for them.

Nothing is queued while XAPI_ENDPOINT is unset. Training and coaching announce what
happened (`training.events`, `coaching.events`) and import nothing of this package;
`init_app` connects the receivers, which read the app's settings each time.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Flask, current_app

from coachkit.auth.models import User
from coachkit.coaching import events as coaching_events
from coachkit.coaching.models import CoachingSession
from coachkit.content.modules import Module
from coachkit.deliveries import outbox, senders
from coachkit.extensions import db
from coachkit.training import events as training_events
from coachkit.training.models import Attempt, AttemptStep, new_registration
from coachkit.xapi import attempts, attendance
from coachkit.xapi.vocabulary import VERSION, Statement, actor

TARGET = "xapi"


def enabled() -> bool:
    return bool(current_app.config["XAPI_ENDPOINT"])


def queue(statements: Iterable[Statement], about: tuple[str, int]) -> int:
    """Add the statements not queued yet to the outbox; return how many were added."""
    made = list(statements)
    known = outbox.existing_keys(s["id"] for s in made)
    url = current_app.config["XAPI_ENDPOINT"] + "/statements"
    added = 0
    for each in made:
        if each["id"] not in known:
            outbox.enqueue(key=each["id"], target=TARGET, url=url, body=each, about=about)
            added += 1
    return added


def _who(user_id: int) -> dict[str, Any]:
    user = db.session.get(User, user_id)
    assert user is not None  # noqa: S101 - the attempt's owner exists (foreign key)
    return actor(user.id, user.email)


def registered(attempt: Attempt) -> Attempt:
    """The attempt with a registration (one made before they existed gets one now)."""
    if attempt.registration is None:
        attempt.registration = new_registration()
    return attempt


def _on_started(attempt: Attempt, module: Module) -> None:
    if enabled():
        registered(attempt)
        queue(attempts.started(attempt, module, _who(attempt.user_id)), ("attempt", attempt.id))


def _on_answered(attempt: Attempt, module: Module, step: AttemptStep) -> None:
    if enabled():
        made = attempts.answered(registered(attempt), module, step, _who(attempt.user_id))
        queue([made], ("attempt", attempt.id))


def _on_completed(attempt: Attempt, module: Module) -> None:
    if enabled():
        made = attempts.completed(registered(attempt), module, _who(attempt.user_id))
        queue([made], ("attempt", attempt.id))


def _on_session_recorded(session: CoachingSession) -> None:
    if enabled() and current_app.config["XAPI_COACHING"]:
        made = attendance.attended(session, _who(session.employee_id))
        queue([made], ("coaching_session", session.id))


def send(request: senders.Request) -> senders.Result:
    """POST one statement to the LRS with the configured Basic credentials."""
    config = current_app.config
    return senders.send_json(
        request,
        auth=(config["XAPI_USERNAME"], config["XAPI_PASSWORD"]),
        headers={"X-Experience-API-Version": VERSION},
    )


def init_app(app: Flask) -> None:
    senders.register(app, TARGET, send)
    training_events.attempt_started.connect(_on_started)
    training_events.step_answered.connect(_on_answered)
    training_events.attempt_completed.connect(_on_completed)
    coaching_events.session_recorded.connect(_on_session_recorded)
