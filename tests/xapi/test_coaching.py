"""Coaching sends nothing by default (HR records); opted in, an `attended` statement
per session with its kind and day, and nothing anyone wrote."""

from __future__ import annotations

import json
from datetime import date

import pytest
from ralph.models.xapi.base.statements import BaseXapiStatement

from coachkit.auth.models import Role, User
from coachkit.coaching import record
from coachkit.coaching.record import SessionData
from coachkit.extensions import db
from tests.xapi.play import queued

NOTE = "Listened to the whole story before answering."


def record_session(app, employee, coach) -> int:
    with app.app_context():
        session = record.create(
            db.session.get(User, employee.id),
            db.session.get(User, coach.id),
            SessionData(
                held_on=date(2026, 11, 30),
                kind="Call review",
                notes={"went_well": NOTE},
                private=set(),
                ratings={},
                next_session_on=None,
                actions=[],
            ),
        )
        db.session.commit()
        return session.id


def test_coaching_sends_nothing_by_default(app, make_user):
    record_session(app, make_user(Role.EMPLOYEE), make_user(Role.MANAGER))
    assert queued(app) == []


@pytest.mark.parametrize("xapi_settings", [{"XAPI_COACHING": True}])
def test_opted_in_a_session_is_attended_without_notes(app, make_user, run_pass, lrs):
    employee = make_user(Role.EMPLOYEE, name="Grace Hopper")
    coach = make_user(Role.MANAGER, name="Alan Turing")
    session_id = record_session(app, employee, coach)
    [statement] = queued(app, ("coaching_session", session_id))
    assert run_pass().deliveries.sent == 1
    [stored] = lrs.statement(statement["id"])
    BaseXapiStatement.model_validate(stored)
    assert stored["verb"]["id"] == "http://adlnet.gov/expapi/verbs/attended"
    assert stored["object"]["definition"]["name"] == {"en-US": "Call review"}
    assert stored["timestamp"].startswith("2026-11-30")
    text = json.dumps(stored)
    for secret in (NOTE, "Grace", "Alan", "Turing", employee.email, coach.email):
        assert secret not in text
    assert "result" not in stored
