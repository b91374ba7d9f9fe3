"""The shared agenda of the next 1:1: both sides add talking points before it; the
employee's private points are never shown to anyone else, a coach's private points
never to the employee; points carry over until a session marks them discussed."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coachkit.coaching.models import AgendaPoint
from coachkit.extensions import db
from tests.conftest import page, signed_in

EMPLOYEE_SHARED = "Erin shared: the weekend rota"
EMPLOYEE_PRIVATE = "Erin private: ask for a raise, maybe"
MANAGER_SHARED = "Maya shared: the refund backlog"
MANAGER_PRIVATE = "Maya private: seems tired lately"


def points(app):
    with app.app_context():
        return {
            p.text: p.discussed_in_id
            for p in db.session.scalars(select(AgendaPoint).order_by(AgendaPoint.id))
        }


@pytest.fixture
def agenda(app, crew):
    employee = signed_in(app, crew.employee)
    for text, private in ((EMPLOYEE_SHARED, ""), (EMPLOYEE_PRIVATE, "y")):
        response = employee.post("/coaching/mine/agenda", data={"text": text, "private": private})
        assert response.status_code == 302
    manager = signed_in(app, crew.manager)
    path = f"/coaching/people/{crew.employee.id}/agenda"
    for text, private in ((MANAGER_SHARED, ""), (MANAGER_PRIVATE, "y")):
        assert manager.post(path, data={"text": text, "private": private}).status_code == 302
    return employee, manager


def test_the_employee_sees_their_points_and_the_shared_ones(app, crew, agenda):
    employee, _ = agenda
    body = page(employee.get("/coaching/mine/"))
    assert EMPLOYEE_SHARED in body and EMPLOYEE_PRIVATE in body and MANAGER_SHARED in body
    assert MANAGER_PRIVATE not in body
    for what in ("sessions", "actions"):
        assert MANAGER_PRIVATE not in employee.get(f"/coaching/mine/{what}.csv").text


def test_coaches_never_see_the_employees_private_points(app, crew, agenda):
    for coach in (crew.manager, crew.co_manager):
        client = signed_in(app, coach)
        for path in (
            f"/coaching/people/{crew.employee.id}",
            f"/coaching/people/{crew.employee.id}/sessions/new",
        ):
            body = page(client.get(path))
            assert EMPLOYEE_SHARED in body and MANAGER_SHARED in body and MANAGER_PRIVATE in body
            assert EMPLOYEE_PRIVATE not in body
        export = client.get(f"/coaching/teams/{crew.team_id}/sessions.csv?private=1").text
        assert EMPLOYEE_PRIVATE not in export


def test_nobody_else_sees_the_agenda(app, crew, agenda):
    colleague = page(signed_in(app, crew.colleague).get("/coaching/mine/"))
    for text in (EMPLOYEE_SHARED, EMPLOYEE_PRIVATE, MANAGER_SHARED, MANAGER_PRIVATE):
        assert text not in colleague
    other = signed_in(app, crew.other_manager)
    assert other.get(f"/coaching/people/{crew.employee.id}").status_code == 404


def test_discussed_points_close_and_the_rest_carry_over(app, crew, agenda, session_form):
    _, manager = agenda
    ids = _ids(app)
    response = manager.post(
        f"/coaching/people/{crew.employee.id}/sessions/new",
        data=session_form(agenda_done=[str(ids[EMPLOYEE_SHARED]), str(ids[EMPLOYEE_PRIVATE])]),
    )
    assert response.status_code == 302
    state = points(app)
    assert state[EMPLOYEE_SHARED] is not None  # discussed in the new session
    assert state[EMPLOYEE_PRIVATE] is None  # a coach cannot close what they cannot see
    assert state[MANAGER_SHARED] is None and state[MANAGER_PRIVATE] is None
    body = page(manager.get(f"/coaching/people/{crew.employee.id}/sessions/new"))
    assert EMPLOYEE_SHARED not in body and MANAGER_SHARED in body  # carried over


def _ids(app):
    with app.app_context():
        return {p.text: p.id for p in db.session.scalars(select(AgendaPoint))}


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Write the point you want to raise."), ("x" * 501, "longer than 500 characters")],
)
def test_bad_points_are_refused_on_both_sides(app, crew, text, message):
    employee = signed_in(app, crew.employee)
    response = employee.post("/coaching/mine/agenda", data={"text": text})
    assert response.status_code == 422 and message in page(response)
    manager = signed_in(app, crew.manager)
    response = manager.post(f"/coaching/people/{crew.employee.id}/agenda", data={"text": text})
    assert response.status_code == 422 and message in page(response)
    assert points(app) == {}


def test_who_may_not_add_to_someones_agenda(app, crew, make_user):
    from coachkit.auth.models import Role

    data = {"text": "Sneaky"}
    path = f"/coaching/people/{crew.employee.id}/agenda"
    assert signed_in(app, crew.other_manager).post(path, data=data).status_code == 404
    assert signed_in(app, crew.colleague).post(path, data=data).status_code == 403
    recruiter = signed_in(app, make_user(Role.RECRUITER))
    assert recruiter.post("/coaching/mine/agenda", data=data).status_code == 403
    assert signed_in(app, crew.manager).get(path).status_code == 405
    assert points(app) == {}
