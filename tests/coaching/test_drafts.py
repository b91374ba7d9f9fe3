"""Drafts of a new session: kept server-side per author and employee ("Save draft", or
autosave), seen only by their author, never by the employee or in any export, and gone
once the session is saved."""

from __future__ import annotations

from sqlalchemy import func, select

from coachkit.coaching.models import CoachingSession, Draft
from coachkit.extensions import db
from tests.conftest import csrf_token, page, signed_in

DRAFT_NOTE = "Draft: wondering about the night shifts"


def draft_path(person):
    return f"/coaching/people/{person.id}/sessions/draft"


def drafts(app):
    with app.app_context():
        return [(d.author_id, d.employee_id, d.fields) for d in db.session.scalars(select(Draft))]


def test_save_draft_keeps_the_form_for_its_author_and_reopens_it(app, crew, session_form):
    client = signed_in(app, crew.manager)
    data = session_form(went_well=DRAFT_NOTE, ratings={"empathy": 4}, employee_id="999")
    response = client.post(draft_path(crew.employee), data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/coaching/people/{crew.employee.id}/sessions/new"
    [(author, employee, fields)] = drafts(app)
    assert (author, employee) == (crew.manager.id, crew.employee.id)
    assert fields["went_well"] == [DRAFT_NOTE] and "employee_id" not in fields
    assert "submission" not in fields and "csrf_token" not in fields
    shown = page(client.get(response.headers["Location"]))
    assert "Draft saved at" in shown and "Only you can see it" in shown
    assert DRAFT_NOTE in shown and 'checked id="ratings-1-rating-4"' in shown
    with app.app_context():
        assert db.session.scalar(select(func.count(CoachingSession.id))) == 0


def test_autosave_answers_204_and_keeps_one_draft(app, crew, session_form):
    client = signed_in(app, crew.manager)
    headers = {"X-Autosave": "1"}
    for note in ("first", DRAFT_NOTE):
        response = client.post(
            draft_path(crew.employee), data=session_form(went_well=note), headers=headers
        )
        assert response.status_code == 204
    assert [fields["went_well"] for *_, fields in drafts(app)] == [[DRAFT_NOTE]]


def test_a_draft_is_seen_by_its_author_only(app, crew, session_form, make_session):
    signed_in(app, crew.manager).post(
        draft_path(crew.employee), data=session_form(went_well=DRAFT_NOTE)
    )
    make_session(crew.employee, crew.manager)
    co_manager = signed_in(app, crew.co_manager)
    assert (
        DRAFT_NOTE not in co_manager.get(f"/coaching/people/{crew.employee.id}/sessions/new").text
    )
    for path in (
        f"/coaching/people/{crew.employee.id}",
        f"/coaching/teams/{crew.team_id}/sessions.csv",
    ):
        assert DRAFT_NOTE not in co_manager.get(path).text
    assert (
        DRAFT_NOTE
        not in signed_in(app, crew.manager).get(f"/coaching/teams/{crew.team_id}/sessions.csv").text
    )
    employee = signed_in(app, crew.employee)
    for path in (
        "/coaching/mine/",
        "/coaching/mine/sessions.csv",
        "/coaching/mine/actions.csv",
        "/",
    ):
        response = employee.get(path)
        assert response.status_code == 200 and DRAFT_NOTE not in response.text


def test_saving_the_session_discards_the_draft(app, crew, session_form):
    client = signed_in(app, crew.manager)
    client.post(draft_path(crew.employee), data=session_form(went_well=DRAFT_NOTE))
    path = f"/coaching/people/{crew.employee.id}/sessions/new"
    response = client.post(path, data=session_form(went_well=DRAFT_NOTE))
    assert response.status_code == 302
    assert drafts(app) == []
    assert DRAFT_NOTE not in client.get(path).text  # a fresh form again


def test_a_draft_too_long_is_refused_and_what_was_typed_stays(app, crew, session_form):
    client = signed_in(app, crew.manager)
    data = session_form(to_improve="kept typing", went_well="w" * 5001)
    response = client.post(draft_path(crew.employee), data=data)
    assert response.status_code == 422
    assert "Draft not saved" in page(response) and "kept typing" in page(response)
    autosaved = client.post(draft_path(crew.employee), data=data, headers={"X-Autosave": "1"})
    assert autosaved.status_code == 422 and "Not saved" in autosaved.json["reason"]
    assert drafts(app) == []


def test_who_may_not_save_a_draft(app, crew, session_form):
    data = session_form(went_well=DRAFT_NOTE)
    assert (
        signed_in(app, crew.other_manager).post(draft_path(crew.employee), data=data).status_code
        == 404
    )
    assert (
        signed_in(app, crew.manager).post(draft_path(crew.outsider), data=data).status_code == 404
    )
    assert (
        signed_in(app, crew.employee).post(draft_path(crew.employee), data=data).status_code == 403
    )
    assert signed_in(app, crew.manager).get(draft_path(crew.employee)).status_code == 405
    assert drafts(app) == []


def test_a_draft_needs_the_csrf_token(app_factory, crew, session_form):
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = signed_in(app, crew.manager)
    data = session_form(went_well=DRAFT_NOTE)
    assert client.post(draft_path(crew.employee), data=data).status_code == 400
    token = csrf_token(client, f"/coaching/people/{crew.employee.id}/sessions/new")
    response = client.post(draft_path(crew.employee), data={**data, "csrf_token": token})
    assert response.status_code == 302 and len(drafts(app)) == 1
