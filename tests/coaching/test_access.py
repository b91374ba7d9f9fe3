"""Who may read and change which coaching records, and which parts of them.

A manager reaches only the people of the teams they manage; an employee only the
shared parts of their own sessions; a recruiter nothing. Someone else's record is a
404, never its contents.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from coachkit.auth.models import Role, User
from coachkit.coaching.models import ActionItem, CoachingSession, Owner
from coachkit.extensions import db
from coachkit.training.models import Assignment
from tests.coaching.conftest import action, action_id, form_fields, load
from tests.conftest import csrf_token, csv_rows, login, page, signed_in

TODAY = date.today()
SHARED_NOTE = "Shared: you let the customer finish"
PRIVATE_NOTE = "Private: seems distracted since the reorganisation"
SHARED_ACTION = "Shared: review two calls a week"
PRIVATE_ACTION = "Private: ask HR about the course budget"


def done(app, text):
    with app.app_context():
        return db.session.scalar(select(ActionItem.done_at).where(ActionItem.text == text))


@pytest.fixture
def outsider_session(crew, make_session):
    """A session of the other team, with an action item."""
    return make_session(
        crew.outsider,
        crew.other_manager,
        ratings={"empathy": 1},
        notes={"went_well": "Other team's notes"},
        actions=[action("Other team's action")],
    )


# Managers


def test_manager_reaches_their_teams_people_and_sessions(app, crew, make_session):
    session_id = make_session(crew.employee, crew.manager)
    for manager in (crew.manager, crew.co_manager):
        client = signed_in(app, manager)
        for path in (
            "/coaching/",
            f"/coaching/people/{crew.employee.id}",
            f"/coaching/people/{crew.employee.id}/sessions/new",
            f"/coaching/sessions/{session_id}",
            f"/coaching/sessions/{session_id}/edit",
            f"/coaching/sessions/{session_id}/history",
            f"/coaching/teams/{crew.team_id}/trends",
            f"/coaching/teams/{crew.team_id}/sessions.csv",
            f"/coaching/teams/{crew.team_id}/actions.csv",
        ):
            assert client.get(path).status_code == 200, (manager.name, path)


def test_another_teams_records_are_not_found(
    app, crew, outsider_session, session_form, make_attempt
):
    client = signed_in(app, crew.manager)
    for path in (
        f"/coaching/people/{crew.outsider.id}",
        f"/coaching/people/{crew.outsider.id}/sessions/new",
        f"/coaching/people/{crew.other_manager.id}",
        f"/coaching/sessions/{outsider_session}",
        f"/coaching/sessions/{outsider_session}/edit",
        f"/coaching/sessions/{outsider_session}/history",
        f"/coaching/teams/{crew.other_team_id}/trends",
        f"/coaching/teams/{crew.other_team_id}/sessions.csv",
        f"/coaching/teams/{crew.other_team_id}/actions.csv?private=1",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Other team" not in page(response) and "Olga" not in page(response), path
    # Nor may they write to it.
    assert (
        client.post(
            f"/coaching/people/{crew.outsider.id}/sessions/new", data=session_form()
        ).status_code
        == 404
    )
    edit = session_form(went_well="Overwritten by a stranger", version="1")
    assert client.post(f"/coaching/sessions/{outsider_session}/edit", data=edit).status_code == 404
    due = (TODAY + timedelta(days=7)).isoformat()
    assign = {"module": "charged-twice", "due_on": due}
    assert (
        client.post(f"/coaching/sessions/{outsider_session}/assign", data=assign).status_code == 404
    )
    foreign_action = action_id(app, "Other team's action")
    response = client.post(f"/coaching/actions/{foreign_action}/done", data={"done": "1"})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count(CoachingSession.id))) == 1
        assert db.session.scalar(select(func.count(Assignment.id))) == 0
    assert load(app, outsider_session)["went_well"] == "Other team's notes"
    assert done(app, "Other team's action") is None


def test_team_pages_leave_out_other_teams(app, crew, make_session, outsider_session):
    make_session(crew.employee, crew.manager, notes={"went_well": "Care team notes"})
    client = signed_in(app, crew.manager)
    dashboard = page(client.get("/coaching/"))
    assert "Erin Employee" in dashboard and "Olga Outsider" not in dashboard
    assert "Sales" not in dashboard
    export = page(client.get(f"/coaching/teams/{crew.team_id}/sessions.csv?private=1"))
    assert "Care team notes" in export and "Other team's notes" not in export


def test_a_manager_does_not_coach_themselves(app, crew, make_user, make_team, make_session):
    """A manager who is also a member of another team is coached there, not by
    themselves, and never reads their own manager's private notes as a coach."""
    head = make_user(Role.MANAGER, name="Hana Head")
    make_team("Leads", [head], [crew.manager])
    session_id = make_session(
        crew.manager,
        head,
        notes={"went_well": "Good lead", "reality": PRIVATE_NOTE},
        private={"reality"},
    )
    client = signed_in(app, crew.manager)
    assert client.get(f"/coaching/sessions/{session_id}").status_code == 404
    assert client.get(f"/coaching/people/{crew.manager.id}").status_code == 404
    mine = page(client.get(f"/coaching/mine/{session_id}"))
    assert "Good lead" in mine and PRIVATE_NOTE not in mine


def test_admin_reaches_every_session(app, crew, make_user, outsider_session):
    client = signed_in(app, make_user(Role.ADMIN))
    assert client.get(f"/coaching/sessions/{outsider_session}").status_code == 200
    assert client.get(f"/coaching/people/{crew.outsider.id}").status_code == 200
    assert "Olga Outsider" in page(client.get("/coaching/"))


def test_an_admin_who_was_coached_cannot_read_their_own_private_notes(
    app, crew, make_session, make_user
):
    session_id = make_session(crew.employee, crew.manager, private={"reality"})
    with app.app_context():
        db.session.execute(update(User).where(User.id == crew.employee.id).values(role=Role.ADMIN))
        db.session.commit()
    client = signed_in(app, crew.employee)
    for path in (f"/coaching/sessions/{session_id}", f"/coaching/sessions/{session_id}/history"):
        assert client.get(path).status_code == 404
    other_admin = signed_in(app, make_user(Role.ADMIN))
    assert other_admin.get(f"/coaching/sessions/{session_id}").status_code == 200


# Employees


def test_employee_reads_own_sessions_but_not_a_colleagues(app, crew, make_session):
    own = make_session(crew.employee, crew.manager, notes={"went_well": "Your own notes"})
    colleagues = make_session(crew.colleague, crew.manager, notes={"went_well": "Carl's notes"})
    client = signed_in(app, crew.employee)
    assert "Your own notes" in page(client.get(f"/coaching/mine/{own}"))
    response = client.get(f"/coaching/mine/{colleagues}")
    assert response.status_code == 404 and "Carl's notes" not in page(response)
    listing = page(client.get("/coaching/mine/"))
    assert f"/coaching/mine/{own}" in listing and f"/coaching/mine/{colleagues}" not in listing
    for what in ("sessions", "actions"):
        rows = csv_rows(client.get(f"/coaching/mine/{what}.csv"))
        assert all(str(colleagues) != row[0] for row in rows[1:])
    assert "Carl's notes" not in page(client.get("/coaching/mine/sessions.csv"))
    ack = client.post(f"/coaching/mine/{colleagues}/acknowledge", data={"comment": "Seen"})
    assert ack.status_code == 404
    assert load(app, colleagues)["acknowledged_at"] is None


def test_employee_is_forbidden_the_coaches_pages(app, crew, make_session, session_form):
    own = make_session(crew.employee, crew.manager)
    client = signed_in(app, crew.employee)
    for path in (
        "/coaching/",
        f"/coaching/people/{crew.employee.id}",
        f"/coaching/people/{crew.colleague.id}/sessions/new",
        f"/coaching/sessions/{own}",
        f"/coaching/sessions/{own}/edit",
        f"/coaching/sessions/{own}/history",
        f"/coaching/teams/{crew.team_id}/trends",
        f"/coaching/teams/{crew.team_id}/sessions.csv",
    ):
        assert client.get(path).status_code == 403, path
    response = client.post(
        f"/coaching/sessions/{own}/edit", data=session_form(went_well="Rewritten", version="1")
    )
    assert response.status_code == 403
    assert load(app, own)["went_well"] == "Listened to the whole story."


def test_recruiter_reaches_no_coaching_page(app, crew, make_user, make_session):
    session_id = make_session(crew.employee, crew.manager, actions=[action("Call back")])
    client = signed_in(app, make_user(Role.RECRUITER))
    for path in (
        "/coaching/",
        f"/coaching/people/{crew.employee.id}",
        f"/coaching/sessions/{session_id}",
        f"/coaching/sessions/{session_id}/history",
        f"/coaching/teams/{crew.team_id}/trends",
        f"/coaching/teams/{crew.team_id}/sessions.csv",
        "/coaching/mine/",
        f"/coaching/mine/{session_id}",
        "/coaching/mine/sessions.csv",
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Listened to the whole story" not in page(response)
    post = client.post(f"/coaching/actions/{action_id(app, 'Call back')}/done", data={"done": "1"})
    assert post.status_code == 403
    assert done(app, "Call back") is None


def test_signed_out_visitors_are_sent_to_login(client, crew, make_session):
    session_id = make_session(crew.employee, crew.manager)
    for path in ("/coaching/", f"/coaching/sessions/{session_id}", "/coaching/mine/"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


# Private parts


@pytest.fixture
def private_session(crew, make_session):
    return make_session(
        crew.employee,
        crew.manager,
        kind="Call review",
        notes={"went_well": SHARED_NOTE, "to_improve": PRIVATE_NOTE},
        private={"to_improve", "ratings"},
        ratings={"empathy": 2},
        actions=[action(SHARED_ACTION), action(PRIVATE_ACTION, private=True)],
    )


def test_private_parts_are_absent_from_the_employees_pages(app, crew, private_session):
    client = signed_in(app, crew.employee)
    listing = page(client.get("/coaching/mine/"))
    assert SHARED_ACTION in listing
    assert PRIVATE_ACTION not in listing and PRIVATE_NOTE not in listing
    shown = page(client.get(f"/coaching/mine/{private_session}"))
    assert SHARED_NOTE in shown and SHARED_ACTION in shown
    assert PRIVATE_NOTE not in shown and PRIVATE_ACTION not in shown
    assert "What to improve" not in shown  # not even the heading of a private note
    assert "Skills in focus" not in shown and "2 / 5" not in shown
    assert "Private" not in shown.replace(SHARED_NOTE, "").replace(SHARED_ACTION, "")


def test_shared_ratings_are_shown_to_the_employee(app, crew, make_session):
    session_id = make_session(crew.employee, crew.manager, ratings={"empathy": 2})
    shown = page(signed_in(app, crew.employee).get(f"/coaching/mine/{session_id}"))
    assert "Skills in focus" in shown and "2 / 5" in shown


def test_private_parts_are_absent_from_the_employees_exports(app, crew, private_session):
    client = signed_in(app, crew.employee)
    sessions = csv_rows(client.get("/coaching/mine/sessions.csv"))
    header, row = sessions
    assert row[header.index("What went well")] == SHARED_NOTE
    assert row[header.index("What to improve")] == ""
    assert row[header.index("Rating: Empathy")] == ""
    actions = csv_rows(client.get("/coaching/mine/actions.csv"))
    assert "Private" not in actions[0]
    assert [r[actions[0].index("Action")] for r in actions[1:]] == [SHARED_ACTION]
    raw = client.get("/coaching/mine/sessions.csv").get_data(as_text=True)
    raw += client.get("/coaching/mine/actions.csv").get_data(as_text=True)
    assert PRIVATE_NOTE not in raw and PRIVATE_ACTION not in raw


def test_manager_sees_private_parts_marked_as_private(app, crew, private_session):
    body = page(signed_in(app, crew.manager).get(f"/coaching/sessions/{private_session}"))
    assert PRIVATE_NOTE in body and PRIVATE_ACTION in body and "2 / 5" in body
    assert body.count('<span class="tag tag-muted">Private</span>') == 3  # ratings, note, action


def test_team_export_has_private_parts_only_when_asked(app, crew, private_session):
    client = signed_in(app, crew.manager)
    base = f"/coaching/teams/{crew.team_id}"
    plain = client.get(f"{base}/sessions.csv")
    assert f"coaching-sessions-team-{crew.team_id}.csv" in plain.headers["Content-Disposition"]
    header, row = csv_rows(plain)
    assert row[header.index("What went well")] == SHARED_NOTE
    assert row[header.index("What to improve")] == "" and row[header.index("Rating: Empathy")] == ""
    plain_actions = csv_rows(client.get(f"{base}/actions.csv"))
    assert [r[3] for r in plain_actions[1:]] == [SHARED_ACTION]

    full = client.get(f"{base}/sessions.csv?private=1")
    assert "-with-private.csv" in full.headers["Content-Disposition"]
    header, row = csv_rows(full)
    assert row[header.index("What to improve")] == PRIVATE_NOTE
    assert row[header.index("Rating: Empathy")] == "2"
    actions = csv_rows(client.get(f"{base}/actions.csv?private=1"))
    assert actions[0][-1] == "Private"
    assert [(r[3], r[-1]) for r in actions[1:]] == [(SHARED_ACTION, "no"), (PRIVATE_ACTION, "yes")]


# Marking actions done


def test_employee_marks_their_shared_action_done_and_open_again(app, crew, private_session):
    client = signed_in(app, crew.employee)
    target = action_id(app, SHARED_ACTION)
    response = client.post(
        f"/coaching/actions/{target}/done", data={"done": "1", "next": "/coaching/mine/"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/coaching/mine/"
    assert done(app, SHARED_ACTION) is not None
    assert "Marked done." in page(client.get("/coaching/mine/"))
    client.post(f"/coaching/actions/{target}/done", data={"done": "0"})
    assert done(app, SHARED_ACTION) is None


def test_employee_cannot_mark_a_private_or_a_colleagues_action(
    app, crew, private_session, make_session
):
    make_session(crew.colleague, crew.manager, actions=[action("Carl's action")])
    client = signed_in(app, crew.employee)
    for text in (PRIVATE_ACTION, "Carl's action"):
        response = client.post(f"/coaching/actions/{action_id(app, text)}/done", data={"done": "1"})
        assert response.status_code == 404, text
        assert done(app, text) is None


def test_employee_cannot_tick_their_managers_action(app, crew, make_session):
    session_id = make_session(
        crew.employee,
        crew.manager,
        actions=[action("Book the course", owner=Owner.MANAGER), action("Review two calls")],
    )
    employee = signed_in(app, crew.employee)
    body = page(employee.get(f"/coaching/mine/{session_id}"))
    assert "Book the course" in body
    assert body.count("Mark done") == 1  # only their own action has the button
    theirs = action_id(app, "Book the course")
    assert employee.post(f"/coaching/actions/{theirs}/done", data={"done": "1"}).status_code == 404
    with app.app_context():
        assert db.session.get(ActionItem, theirs).done_at is None


def test_action_done_refuses_an_offsite_next(app, crew, private_session):
    client = signed_in(app, crew.employee)
    response = client.post(
        f"/coaching/actions/{action_id(app, SHARED_ACTION)}/done",
        data={"done": "1", "next": "https://evil.example/"},
    )
    assert response.headers["Location"] == "/coaching/mine/"


def test_manager_marks_a_private_action_done(app, crew, private_session):
    client = signed_in(app, crew.co_manager)
    response = client.post(
        f"/coaching/actions/{action_id(app, PRIVATE_ACTION)}/done", data={"done": "1"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/coaching/"
    assert done(app, PRIVATE_ACTION) is not None


def test_forms_bind_only_the_fields_they_show(app, crew, private_session, session_form):
    client = signed_in(app, crew.manager)
    fields = session_form(
        went_well="Edited",
        version="1",
        employee_id=str(crew.outsider.id),
        coach_id=str(crew.other_manager.id),
        acknowledged_at="2026-01-01T00:00:00+00:00",
        employee_comment="Forged",
    )
    assert client.post(f"/coaching/sessions/{private_session}/edit", data=fields).status_code == 302
    with app.app_context():
        session = db.session.get(CoachingSession, private_session)
        assert (session.employee_id, session.coach_id) == (crew.employee.id, crew.manager.id)
        assert session.acknowledged_at is None and session.employee_comment == ""
        assert session.went_well == "Edited"


def test_a_row_with_another_sessions_action_id_edits_nothing_there(app, crew, make_session):
    mine = make_session(crew.employee, crew.manager, actions=[action("Mine")])
    other = make_session(crew.colleague, crew.manager, actions=[action("Theirs")])
    manager = signed_in(app, crew.manager)
    path = f"/coaching/sessions/{mine}/edit"
    fields = form_fields(manager.get(path))
    fields["actions-0-action_id"] = str(action_id(app, "Theirs"))
    fields["actions-0-text"] = "Rewritten"
    assert manager.post(path, data=fields).status_code == 302
    with app.app_context():
        texts = {a.text for a in db.session.get(CoachingSession, other).actions}
    assert texts == {"Theirs"}


def test_get_never_marks_an_action_done(app, crew, private_session):
    client = signed_in(app, crew.employee)
    assert client.get(f"/coaching/actions/{action_id(app, SHARED_ACTION)}/done").status_code == 405
    assert done(app, SHARED_ACTION) is None


def test_employee_posts_need_a_csrf_token(app_factory, crew, private_session):
    protected = app_factory(WTF_CSRF_ENABLED=True)
    client = protected.test_client()
    assert login(client, crew.employee).status_code == 302
    target = action_id(protected, SHARED_ACTION)
    assert client.post(f"/coaching/actions/{target}/done", data={"done": "1"}).status_code == 400
    ack = client.post(f"/coaching/mine/{private_session}/acknowledge", data={"comment": "Seen"})
    assert ack.status_code == 400
    assert done(protected, SHARED_ACTION) is None
    assert load(protected, private_session)["acknowledged_at"] is None
    token = csrf_token(client, f"/coaching/mine/{private_session}")
    response = client.post(
        f"/coaching/actions/{target}/done", data={"done": "1", "csrf_token": token}
    )
    assert response.status_code == 302 and done(protected, SHARED_ACTION) is not None


def test_a_between_level_rating_reads_as_between_its_anchors(app, crew, make_session):
    session_id = make_session(crew.employee, crew.manager, ratings={"empathy": 4, "ownership": 2})
    manager = page(signed_in(app, crew.manager).get(f"/coaching/sessions/{session_id}"))
    employee = page(signed_in(app, crew.employee).get(f"/coaching/mine/{session_id}"))
    for shown in (manager, employee):
        assert "Between 3 and 5. 3: Offers a polite apology" in shown
        assert "Between 1 and 3. 1: Says" in shown
