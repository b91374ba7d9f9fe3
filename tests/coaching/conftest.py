"""Fixtures for the coaching tests: a team with two managers, another team, sessions
recorded through the domain, the session form as posted data, a frozen clock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from uuid import uuid4

import pytest
from flask import Flask
from sqlalchemy import event, select

from coachkit.auth.models import Role, User
from coachkit.coaching import record
from coachkit.coaching.models import ActionItem, CoachingSession, Owner
from coachkit.coaching.record import ActionRow, SessionData
from coachkit.content.library import library
from coachkit.extensions import db
from coachkit.training.models import SkillScore
from tests.conftest import Person, play_through

SLUG = "charged-twice"
# Every module that reads the clock through its own `utcnow` name.
CLOCKED_MODULES = (
    "views",
    "my_coaching",
    "forms",
    "session_page",
    "trends",
    "followups",
    "record",
)


class _FormReader(HTMLParser):
    """The values a browser would submit from the form with class `session-form`."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.inside = False
        self.fields: dict[str, list[str]] = {}
        self.textarea: str | None = None
        self.select: str | None = None
        self.first_option: str | None = None

    def _add(self, name: str, value: str) -> None:
        self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and "session-form" in a.get("class", ""):
            self.inside = True
        if not self.inside or "name" not in a and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(a["name"], a.get("value", "on"))
            elif kind != "submit":
                self._add(a["name"], a.get("value", ""))
        elif tag == "textarea":
            self.textarea = a["name"]
            self._add(self.textarea, "")
        elif tag == "select":
            self.select = a["name"]
            self.first_option = None
        elif tag == "option" and self.select:
            if self.first_option is None:
                self.first_option = a.get("value", "")
            if "selected" in a:
                self._add(self.select, a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.fields[self.textarea][-1] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            # Browsers drop the one newline that follows <textarea>.
            value = self.fields[self.textarea][-1]
            self.fields[self.textarea][-1] = value.removeprefix("\r").removeprefix("\n")
            self.textarea = None
        elif tag == "select" and self.select:
            if self.select not in self.fields and self.first_option is not None:
                self._add(self.select, self.first_option)  # browsers send the first option
            self.select = None


def form_fields(response: Any) -> dict[str, Any]:
    """What submitting the session form on this page unchanged would post."""
    reader = _FormReader()
    reader.feed(response.get_data(as_text=True))
    assert reader.fields, "no session form on the page"
    return {k: v[0] if len(v) == 1 else v for k, v in reader.fields.items()}


@contextmanager
def counted(app: Flask) -> Iterator[list[str]]:
    """Count the SQL statements a block runs (BEGIN and friends included)."""
    statements: list[str] = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


@dataclass(frozen=True)
class Crew:
    manager: Person
    co_manager: Person  # a second manager of the same team
    employee: Person
    colleague: Person
    team_id: int
    other_manager: Person
    outsider: Person  # a member of the other team
    other_team_id: int


@pytest.fixture
def crew(make_user, make_team) -> Crew:
    manager = make_user(Role.MANAGER, name="Maya Manager")
    co_manager = make_user(Role.MANAGER, name="Colin Comanager")
    employee = make_user(Role.EMPLOYEE, name="Erin Employee")
    colleague = make_user(Role.EMPLOYEE, name="Carl Colleague")
    team_id = make_team("Care", [manager, co_manager], [employee, colleague])
    other_manager = make_user(Role.MANAGER, name="Otto Othermanager")
    outsider = make_user(Role.EMPLOYEE, name="Olga Outsider")
    other_team_id = make_team("Sales", [other_manager], [outsider])
    return Crew(
        manager, co_manager, employee, colleague, team_id, other_manager, outsider, other_team_id
    )


@pytest.fixture
def make_session(app: Flask) -> Callable[..., int]:
    """Record a session through `record.create` and commit; returns its id.

    Overrides are SessionData fields; `acknowledged_at` and `created_at` are set on the
    row afterwards."""

    def make(employee: Person, coach: Person, **overrides: Any) -> int:
        after = {k: overrides.pop(k) for k in ("acknowledged_at", "created_at") if k in overrides}
        fields: dict[str, Any] = {
            "held_on": date.today() - timedelta(days=7),
            "kind": "One-to-one",
            "notes": {"went_well": "Listened to the whole story."},
            "private": set(),
            "ratings": {},
            "next_session_on": None,
            "actions": [],
            **overrides,
        }
        with app.app_context():
            session = record.create(
                db.session.get(User, employee.id),
                db.session.get(User, coach.id),
                SessionData(**fields),
            )
            for name, value in after.items():
                setattr(session, name, value)
            db.session.commit()
            return session.id

    return make


def action(text: str, *, due: date | None = None, private: bool = False, owner=Owner.EMPLOYEE):
    return ActionRow(text, owner, due, private)


@pytest.fixture
def make_attempt(app: Flask) -> Callable[..., int]:
    """A completed attempt at the charged-twice module; returns its id."""

    def make(person: Person) -> int:
        with app.app_context():
            attempt_id = play_through(db.session.get_one(User, person.id), SLUG, "The rent.")
            db.session.commit()
            return attempt_id

    return make


@pytest.fixture
def make_score(app: Flask, make_attempt) -> Callable[..., None]:
    """A practice rating (1-5) of one skill at a given moment (one completed attempt
    each)."""

    def make(person: Person, skill: str, rating: float, at: datetime) -> None:
        attempt_id = make_attempt(person)
        with app.app_context():
            score = db.session.scalar(
                select(SkillScore).where(
                    SkillScore.attempt_id == attempt_id, SkillScore.skill == skill
                )
            )
            score.rating_tenths, score.completed_at = round(rating * 10), at  # the total follows
            db.session.commit()

    return make


@pytest.fixture
def session_form(app: Flask) -> Callable[..., dict[str, Any]]:
    """The session form as a browser posts it: every rating unrated, three blank action
    rows; `ratings={skill: n}` rates skills, a None override removes the field."""
    with app.app_context():
        skills = list(library().skills)

    def build(**overrides: Any) -> dict[str, Any]:
        ratings = overrides.pop("ratings", {})
        data: dict[str, Any] = {
            "held_on": (date.today() - timedelta(days=1)).isoformat(),
            "kind": "One-to-one",
            "went_well": "Let the customer finish.",
            "to_improve": "",
            "goal": "",
            "reality": "",
            "options": "",
            "way_forward": "",
            "next_session_on": "",
            "submission": uuid4().hex,  # a fresh form each time, as a new page load
        }
        for index, skill in enumerate(skills):
            data[f"ratings-{index}-rating"] = str(ratings.get(skill, ""))
        for index in range(3):
            data[f"actions-{index}-text"] = ""
            data[f"actions-{index}-owner"] = "employee"
            data[f"actions-{index}-due_on"] = ""
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build


def action_id(app: Flask, text: str) -> int:
    with app.app_context():
        return db.session.scalar(select(ActionItem.id).where(ActionItem.text == text))


def load(app: Flask, session_id: int) -> dict[str, Any]:
    """A stored session as plain values."""
    with app.app_context():
        session = db.session.get(CoachingSession, session_id)
        return {
            "version": session.version,
            "went_well": session.went_well,
            "to_improve": session.to_improve,
            "kind": session.kind,
            "private": list(session.private_fields),
            "ratings": {r.skill: (r.rating, r.private) for r in session.ratings},
            "actions": [
                (a.text, a.owner.value, a.due_on, a.private, a.done_at is not None)
                for a in session.actions
            ],
            "acknowledged_at": session.acknowledged_at,
            "employee_comment": session.employee_comment,
        }


@pytest.fixture
def freeze(monkeypatch) -> Callable[[datetime], None]:
    """Stop the coaching clock at `moment` (aware UTC)."""

    def stop(moment: datetime) -> None:
        assert moment.tzinfo is UTC
        for name in CLOCKED_MODULES:
            monkeypatch.setattr(f"coachkit.coaching.{name}.utcnow", lambda: moment)

    return stop
