"""Fixtures for the hiring tests (tests/hiring/<sub-feature>/ mirror coachkit/hiring):
hiring people, openings and candidates made in the database, invite links, candidates
whose answers are already handed in, and the helpers several sub-features' tests use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from coachkit.auth.models import Role
from coachkit.content.exercises import score_best_worst, score_ratings
from coachkit.content.library import library
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring import invitations, results
from coachkit.hiring.models import Answer, Candidate, CandidateStatus, Opening, StatusCount
from tests.conftest import Person, page

EXERCISE = "an-afternoon-on-the-help-line"
OPEN_ITEM = "evenings-keep-dropping"
SKILLS = ("active-listening", "ownership", "candid-communication")  # the open item's rubric


@dataclass(frozen=True)
class HiringPeople:
    recruiter: Person
    second_recruiter: Person
    admin: Person
    manager: Person
    employee: Person
    team_id: int


def opening_form(**changes: object) -> dict[str, object]:
    """The opening form as a browser posts it, with `changes` applied."""
    return {
        "title": "Care adviser",
        "description": "",
        "exercise_slug": EXERCISE,
        "team_id": "",
        "time_limit_minutes": "",
        "invite_days": "14",
        "raters_required": "2",
        "contact_name": "Riley Recruiter",
        "contact_email": "riley@example.org",
        **changes,
    }


def rate_url(opening_id: int, candidate_id: int, item_id: str = OPEN_ITEM) -> str:
    return f"/hiring/rating/openings/{opening_id}/candidates/{candidate_id}/items/{item_id}"


def rate(
    client: FlaskClient, opening_id: int, candidate_id: int, rating: int, item: str = OPEN_ITEM
) -> Any:
    """Post the same rating for every rubric skill of the answer."""
    return client.post(
        rate_url(opening_id, candidate_id, item), data={f"rate-{s}": str(rating) for s in SKILLS}
    )


def status_of(app: Flask, candidate_id: int) -> CandidateStatus:
    with app.app_context():
        return db.session.get_one(Candidate, candidate_id).status


def back_date(app: Flask, candidate_id: int, days: int) -> None:
    """Make the candidate look untouched for `days` days."""
    with app.app_context():
        db.session.get_one(Candidate, candidate_id).last_activity_at = utcnow() - timedelta(
            days=days
        )
        db.session.commit()


def stored_status_counts(app: Flask) -> tuple[dict, dict]:
    """(the status counts rollup, the candidates counted now), both as {(opening id,
    status): how many} without zeros."""
    with app.app_context():
        kept = {
            (opening_id, status): count
            for opening_id, status, count in db.session.execute(
                select(StatusCount.opening_id, StatusCount.status, StatusCount.candidates)
            )
            if count
        }
        counted = {
            (opening_id, status): count
            for opening_id, status, count in db.session.execute(
                select(Candidate.opening_id, Candidate.status, func.count()).group_by(
                    Candidate.opening_id, Candidate.status
                )
            )
        }
        db.session.remove()
    return kept, counted


@pytest.fixture
def people(make_user, make_team) -> HiringPeople:
    recruiter = make_user(Role.RECRUITER, name="Riley Recruiter")
    second = make_user(Role.RECRUITER, name="Sasha Second")
    admin = make_user(Role.ADMIN, name="Ada Admin")
    manager = make_user(Role.MANAGER, name="Morgan Manager")
    employee = make_user(Role.EMPLOYEE, name="Eli Employee")
    team_id = make_team("Care", managers=[manager], members=[employee])
    return HiringPeople(recruiter, second, admin, manager, employee, team_id)


@pytest.fixture
def make_opening(app: Flask, people: HiringPeople) -> Callable[..., int]:
    def make(title: str = "Care adviser", **fields: Any) -> int:
        with app.app_context():
            values: dict[str, Any] = {
                "exercise_slug": EXERCISE,
                "team_id": people.team_id,
                "contact_name": people.recruiter.name,
                "contact_email": people.recruiter.email,
                "created_by_id": people.recruiter.id,
                "invite_days": 14,
                "raters_required": 2,
            }
            values.update(fields)
            opening = Opening(title=title, **values)
            db.session.add(opening)
            db.session.commit()
            return opening.id

    return make


@pytest.fixture
def make_candidate(app: Flask) -> Callable[..., int]:
    counter = iter(range(1, 100_000))

    def make(opening_id: int, name: str | None = None, email: str | None = None) -> int:
        number = next(counter)
        with app.app_context():
            candidate = Candidate(
                opening_id=opening_id,
                code=f"T{number:03d}-X",
                name=name or f"Candidate Number{number}",
                email=email or f"candidate{number}@example.org",
            )
            db.session.add(candidate)
            db.session.commit()
            return candidate.id

    return make


@pytest.fixture
def invite(app: Flask) -> Callable[..., str]:
    """Issue a link for a candidate; return the token (the last part of its URL)."""

    def issue(candidate_id: int, days: int | None = None) -> str:
        with app.test_request_context():
            candidate = db.session.get(Candidate, candidate_id)
            url = invitations.issue(candidate, days=days)
            db.session.commit()
            return url.rsplit("/", 1)[1]

    return issue


def keyed_answer(item: Any, quality: float) -> tuple[dict[str, Any], float]:
    """A judgement answer of roughly `quality` (0 worst .. 1 best) and its credit."""
    keys = [response.key for response in item.responses]
    if item.answer == "best-worst":
        order = sorted(range(len(keys)), key=lambda i: keys[i])
        if quality >= 0.5:
            best, worst = order[-1], order[0]
        else:
            best, worst = order[0], order[-1]
        return {"best": best, "worst": worst}, score_best_worst(item, best, worst)
    ratings = [max(1, min(5, round(k if quality >= 0.5 else 6 - k))) for k in keys]
    return {"ratings": ratings}, score_ratings(item, ratings)


@pytest.fixture
def submitted(app: Flask) -> Callable[..., None]:
    """Hand in a candidate's answers directly: keyed items at `quality`, the open item
    with `text` (blank leaves it unanswered)."""

    def submit(candidate_id: int, quality: float = 1.0, text: str = "I hear you.") -> None:
        with app.app_context():
            candidate = db.session.get(Candidate, candidate_id)
            exercise = library().exercises[candidate.opening.exercise_slug]
            for item in exercise.items:
                if item.keyed:
                    value, credit = keyed_answer(item, quality)
                    db.session.add(
                        Answer(
                            candidate_id=candidate_id, item_id=item.id, value=value, credit=credit
                        )
                    )
                elif text:
                    db.session.add(
                        Answer(candidate_id=candidate_id, item_id=item.id, value={"text": text})
                    )
            now = utcnow()
            candidate.consented_at = now - timedelta(minutes=12)
            candidate.started_at = now - timedelta(minutes=12)
            candidate.submitted_at = now
            candidate.seconds_taken = 12 * 60
            candidate.status = CandidateStatus.SUBMITTED
            db.session.flush()
            results.refresh(candidate, exercise)
            db.session.commit()

    return submit


# --- Recruiter pages (openings, candidates, comparison, retention) -------------------


@pytest.fixture
def count_queries(app: Flask) -> Callable[..., int]:
    """count_queries(callable) -> how many SQL statements it ran (only those starting
    with `only`, e.g. "SELECT", when given)."""
    from sqlalchemy import event

    def count(action: Callable[[], Any], only: str = "") -> int:
        with app.app_context():
            engine = db.engine
        statements: list[str] = []

        def listener(*args: Any) -> None:
            if args[2].lstrip().startswith(only):
                statements.append(args[2])

        event.listen(engine, "before_cursor_execute", listener)
        try:
            action()
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(statements)

    return count


# --- Rating, reports and hand-overs ---------------------------------------------------


@pytest.fixture
def give_scores(app: Flask) -> Callable[..., None]:
    """give_scores(candidate_id, rater_id, {skill: rating}, item_id=OPEN_ITEM): store a
    rater's scores directly and refresh the candidate's results, as rating does."""
    from coachkit.hiring.models import RaterScore

    def give(
        candidate_id: int, rater_id: int, ratings: dict[str, int], item_id: str = OPEN_ITEM
    ) -> None:
        with app.app_context():
            candidate = db.session.get(Candidate, candidate_id)
            for skill, rating in ratings.items():
                db.session.add(
                    RaterScore(
                        candidate_id=candidate_id,
                        opening_id=candidate.opening_id,
                        item_id=item_id,
                        skill=skill,
                        rater_id=rater_id,
                        rating=rating,
                    )
                )
            db.session.flush()
            results.refresh(candidate, library().exercises[candidate.opening.exercise_slug])
            db.session.commit()

    return give


@pytest.fixture
def add_candidates(app: Flask) -> Callable[..., list[int]]:
    """add_candidates(opening_id, count, status=SUBMITTED, text=...) -> ids: candidates
    made in one transaction, handed in with blank judgement answers and `text` for the
    open item (none when blank), for pages that must cope with many."""
    counter = iter(range(1, 1_000_000))

    def add(
        opening_id: int,
        count: int,
        status: CandidateStatus = CandidateStatus.SUBMITTED,
        text: str = "I'm sorry, I'll book the engineer for Thursday.",
    ) -> list[int]:
        with app.app_context():
            made = []
            for _ in range(count):
                number = next(counter)
                candidate = Candidate(
                    opening_id=opening_id,
                    code=f"B{number:05d}",
                    name=f"Bulk Person{number}",
                    email=f"bulk{number}@example.org",
                    status=status,
                    submitted_at=utcnow() if status in ANSWERED_STATUSES else None,
                )
                db.session.add(candidate)
                made.append(candidate)
            db.session.flush()
            if text:
                db.session.add_all(
                    Answer(candidate_id=c.id, item_id=OPEN_ITEM, value={"text": text}) for c in made
                )
            db.session.commit()
            return [c.id for c in made]

    return add


ANSWERED_STATUSES = (
    CandidateStatus.SUBMITTED,
    CandidateStatus.SCORED,
    CandidateStatus.SHORTLISTED,
    CandidateStatus.REJECTED,
    CandidateStatus.HIRED,
)


def statements_for(app: Flask, client: FlaskClient, path: str) -> int:
    """How many SQL statements one GET of `path` runs (it must answer 200)."""
    from sqlalchemy import event

    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(path)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200, path
    return len(statements)


def words(response: Any) -> str:
    """The page's visible text with tags removed and whitespace collapsed."""
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", page(response)).split())
