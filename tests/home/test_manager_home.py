"""The manager's home: the coaching dashboard's three counts and the practice overdue in
their teams, counted only over the people they coach, in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from coachkit.auth.models import Role, User
from coachkit.coaching import record
from coachkit.coaching.models import Owner
from coachkit.coaching.record import ActionRow, SessionData
from coachkit.extensions import db
from coachkit.training.models import Assignment
from tests.conftest import page, signed_in
from tests.teams.test_teams import queries_for

TODAY = date.today()
STAT = re.compile(r'<span class="stat-number">(\d+)</span><span class="stat-label">([^<]+)</span>')


@pytest.fixture
def teams(make_user, make_team):
    manager = make_user(Role.MANAGER, name="Maya Manager")
    members = [make_user(Role.EMPLOYEE, name=f"Member {n}") for n in range(3)]
    make_team("Care", [manager], members)
    other_manager = make_user(Role.MANAGER, name="Otto Other")
    outsider = make_user(Role.EMPLOYEE, name="Olga Outsider")
    make_team("Sales", [other_manager], [outsider])
    return manager, members, other_manager, outsider


def session_with_overdue_action(app, employee, coach, held_on):
    with app.app_context():
        record.create(
            db.session.get(User, employee.id),
            db.session.get(User, coach.id),
            SessionData(
                held_on=held_on,
                kind="One-to-one",
                notes={},
                private=set(),
                ratings={},
                next_session_on=None,
                actions=[ActionRow("Call back", Owner.EMPLOYEE, TODAY - timedelta(days=1), False)],
            ),
        )
        db.session.commit()


def overdue_assignment(app, person):
    with app.app_context():
        db.session.add(
            Assignment(user_id=person.id, module_slug="charged-twice", due_on=TODAY - timedelta(1))
        )
        db.session.commit()


def stats(body):
    return {label: int(number) for number, label in STAT.findall(body)}


def test_manager_home_shows_the_dashboard_counts_and_overdue_practice(app, teams):
    manager, members, other_manager, outsider = teams
    session_with_overdue_action(app, members[0], manager, TODAY - timedelta(days=3))
    overdue_assignment(app, members[1])
    # another team's records count for their manager only
    session_with_overdue_action(app, outsider, other_manager, TODAY - timedelta(days=3))
    overdue_assignment(app, outsider)
    shown = stats(page(signed_in(app, manager).get("/")))
    interval = app.config["COACHING_INTERVAL_DAYS"]
    assert shown == {
        "overdue actions": 1,
        "not yet acknowledged": 1,
        f"not coached in {interval} days": 2,  # members 1 and 2
        "practice assignments overdue": 1,
    }
    dashboard = stats(page(signed_in(app, manager).get("/coaching/")))
    for label in ("overdue actions", "not yet acknowledged", f"not coached in {interval} days"):
        assert dashboard[label] == shown[label]  # the same figures as the dashboard


def test_manager_home_query_count_does_not_grow_with_the_records(app, teams):
    manager, members, *_ = teams
    client = signed_in(app, manager)
    small = queries_for(app, client, "/")
    for member in members:
        session_with_overdue_action(app, member, manager, TODAY - timedelta(days=3))
        overdue_assignment(app, member)
    assert queries_for(app, client, "/") == small
    assert small <= 5  # an ordinary page's budget (QUALITY.md)
