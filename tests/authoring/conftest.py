"""What the authoring tests share: authors of each role, a preview made through the
pages, and the counts of every record a preview must never write."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from coachkit.auth.models import Role, User
from coachkit.deliveries.models import HttpDelivery
from coachkit.extensions import db
from coachkit.hiring.models import Answer, Candidate, ExerciseVersion, Invitation, Opening
from coachkit.notifications.models import Notification, OutboxMessage
from coachkit.training.models import (
    Attempt,
    AttemptStep,
    ChoiceTally,
    ModuleVersion,
    SkillScore,
    SkillTotal,
)
from tests.conftest import Person, signed_in
from tests.content.conftest import CONTENT

EXERCISE = "an-afternoon-on-the-help-line"
# Everything a learner's or a candidate's play writes (results, tallies, profiles,
# versions kept for results, messages and learning records sent on): none may change.
RECORDS = (
    Attempt,
    AttemptStep,
    ChoiceTally,
    SkillScore,
    SkillTotal,
    ModuleVersion,
    Candidate,
    Invitation,
    Answer,
    ExerciseVersion,
    Notification,
    OutboxMessage,
    HttpDelivery,
)


@pytest.fixture
def make_author(app: Flask, make_user: Callable[..., Person]) -> Callable[..., Person]:
    """A person of `role` given the author permission."""

    def make(role: Role = Role.EMPLOYEE) -> Person:
        person = make_user(role)
        with app.app_context():
            db.session.get(User, person.id).is_author = True
            db.session.commit()
        return person

    return make


@pytest.fixture
def author_client(app: Flask, make_author: Callable[..., Person]) -> FlaskClient:
    return signed_in(app, make_author(Role.EMPLOYEE))


def shipped(folder: str, slug: str) -> str:
    return (CONTENT / folder / f"{slug}.md").read_text(encoding="utf-8")


def new_preview(client: FlaskClient, text: str, kind: str = "module", name: str = "a-draft") -> int:
    """Make a preview through the form; its id."""
    response = client.post("/authoring/new", data={"kind": kind, "text": text, "file_name": name})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def record_counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        return {
            model.__tablename__: db.session.scalar(select(func.count()).select_from(model))
            for model in RECORDS
        }


@pytest.fixture
def make_opening(app: Flask, make_user: Callable[..., Person], make_team: Callable[..., int]):
    def make(**fields: Any) -> int:
        recruiter = make_user(Role.RECRUITER)
        manager = make_user(Role.MANAGER)
        team_id = make_team("Care", managers=[manager])
        with app.app_context():
            opening = Opening(
                title="Care adviser",
                exercise_slug=EXERCISE,
                team_id=team_id,
                contact_name=recruiter.name,
                contact_email=recruiter.email,
                created_by_id=recruiter.id,
                invite_days=14,
                raters_required=2,
                **fields,
            )
            db.session.add(opening)
            db.session.commit()
            return opening.id

    return make
