"""Fixtures for the evidence reports: an organisation with two teams, and builders
that write hand-overs, coaching ratings and completed practice directly."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask import Flask
from sqlalchemy import event, select

from coachkit.auth.models import Role, User
from coachkit.coaching.models import CoachingSession, Rating, Revision
from coachkit.extensions import db
from coachkit.hiring.models import Handover
from coachkit.training.models import Attempt, SkillScore
from tests.conftest import Person, play_through

SLUG = "charged-twice"  # trains fix-the-customer-first, empathy, active-listening, ...
TODAY = date.today()


@dataclass(frozen=True)
class Org:
    admin: Person
    recruiter: Person
    manager: Person
    other_manager: Person
    employee: Person  # a member of the first team
    team_id: int
    other_team_id: int


@pytest.fixture
def org(make_user, make_team) -> Org:
    admin = make_user(Role.ADMIN, name="Ada Admin")
    recruiter = make_user(Role.RECRUITER, name="Rae Recruiter")
    manager = make_user(Role.MANAGER, name="Maya Manager")
    other_manager = make_user(Role.MANAGER, name="Otto Othermanager")
    employee = make_user(Role.EMPLOYEE, name="Erin Employee")
    team_id = make_team("Care", [manager], [employee])
    other_team_id = make_team("Sales", [other_manager], [])
    return Org(admin, recruiter, manager, other_manager, employee, team_id, other_team_id)


@pytest.fixture
def join(app: Flask, make_user) -> Callable[..., list[Person]]:
    """join(team_id, count) -> that many new employees, members of the team."""
    from coachkit.teams.models import Membership, Position

    def add(team_id: int, count: int) -> list[Person]:
        people = [make_user(Role.EMPLOYEE) for _ in range(count)]
        with app.app_context():
            for person in people:
                db.session.add(
                    Membership(team_id=team_id, user_id=person.id, position=Position.MEMBER)
                )
            db.session.commit()
        return people

    return add


def moment(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=UTC)


@pytest.fixture
def hand_over(app: Flask, org: Org) -> Callable[..., None]:
    """hand_over(person, {skill: score}, started=date) - a hand-over to the first team."""

    def make(person: Person, skills: dict[str, float], started: date) -> None:
        with app.app_context():
            db.session.add(
                Handover(
                    team_id=org.team_id,
                    user_id=person.id,
                    name=person.name,
                    email=person.email,
                    opening_title="Care adviser",
                    exercise_slug="an-afternoon-on-the-help-line",
                    skills=skills,
                    handed_over_by_id=org.recruiter.id,
                    created_at=moment(started),
                )
            )
            db.session.commit()

    return make


@pytest.fixture
def rate(app: Flask, org: Org) -> Callable[..., None]:
    """rate(person, held_on, {skill: rating}, private=False) - a coaching session with
    those ratings, written as `coaching.record` writes it (with its revision row)."""

    def make(person: Person, held_on: date, ratings: dict[str, int], private=False) -> None:
        with app.app_context():
            session = CoachingSession(
                employee_id=person.id,
                coach_id=org.manager.id,
                held_on=held_on,
                kind="One-to-one",
                private_fields=["ratings"] if private else [],
            )
            for skill, rating in ratings.items():
                session.ratings.append(
                    Rating(
                        employee_id=person.id,
                        held_on=held_on,
                        skill=skill,
                        rating=rating,
                        private=private,
                    )
                )
            db.session.add(session)
            db.session.flush()
            db.session.add(Revision(session_id=session.id, editor_id=org.manager.id))
            db.session.commit()

    return make


@pytest.fixture
def complete(app: Flask) -> Callable[..., None]:
    """complete(person, on=date, result=3.0, ending=None, slug=SLUG) - a completed
    attempt whose every skill is rated `result` (1-5), at `ending` (good, mixed, poor)
    when given."""

    def make(
        person: Person, on: date, result: float = 3.0, ending: str | None = None, slug=SLUG
    ) -> None:
        with app.app_context():
            attempt_id = play_through(db.session.get_one(User, person.id), slug, "The rent.")
            attempt = db.session.get_one(Attempt, attempt_id)
            attempt.started_at = moment(on) - timedelta(minutes=10)
            attempt.completed_at = moment(on)
            attempt.outcome = ending or attempt.outcome
            for score in db.session.scalars(
                select(SkillScore).where(SkillScore.attempt_id == attempt_id)
            ):
                score.completed_at, score.rating_tenths = moment(on), round(result * 10)
            db.session.commit()

    return make


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    """The SQL statements a block runs (SQLite's BEGIN not counted)."""
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def listener(*args: object) -> None:
        statement = str(args[2])
        if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)
