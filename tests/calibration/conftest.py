"""Fixtures for calibration: a team (manager, learner), two other managers, an admin,
an employee and a recruiter, and a finished practice attempt by the learner."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from coachkit.auth.models import Role, User
from coachkit.calibration.models import CalibrationRound
from coachkit.extensions import db
from tests.conftest import Person, play_through
from tests.hiring.conftest import count_queries  # noqa: F401 - the fixture, shared

SLUG = "charged-twice"


@dataclass(frozen=True)
class Cast:
    manager: Person  # sets rounds up; manages the learner
    peer: Person
    other: Person  # a manager not invited
    admin: Person
    learner: Person
    employee: Person
    recruiter: Person
    attempt_id: int


@pytest.fixture
def cast(app, make_user, make_team) -> Cast:
    manager = make_user(Role.MANAGER, name="Maya Manager")
    peer = make_user(Role.MANAGER, name="Pat Peer")
    other = make_user(Role.MANAGER, name="Olly Other")
    admin = make_user(Role.ADMIN, name="Ada Admin")
    learner = make_user(Role.EMPLOYEE, name="Lee Learner")
    employee = make_user(Role.EMPLOYEE, name="Eve Employee")
    recruiter = make_user(Role.RECRUITER, name="Rae Recruiter")
    make_team("Care", [manager], [learner, employee])
    with app.app_context():
        attempt_id = play_through(db.session.get(User, learner.id), SLUG, "I would listen more")
        db.session.commit()
    return Cast(manager, peer, other, admin, learner, employee, recruiter, attempt_id)


def round_form(cast: Cast, **changes) -> dict:
    data = {
        "title": "Billing calibration",
        "attempt": str(cast.attempt_id),
        "raters": [str(cast.peer.id), str(cast.admin.id)],
    }
    data.update(changes)
    return data


def rate_form(skills_count: int, rating: int = 3, note: str = "") -> dict:
    data = {f"rating_{i}": str(rating) for i in range(skills_count)}
    data["note"] = note
    return data


def only_round(app) -> CalibrationRound:
    with app.app_context():
        found = db.session.scalars(select(CalibrationRound)).all()
        assert len(found) == 1
        return found[0]
