"""What the review of the coaching feature found, held in place: nobody reads private
notes about themselves, retries after a conflict keep others' changes, employees tick
only their own actions, and deactivated people get no new sessions."""

from __future__ import annotations

from sqlalchemy import select, update

from coachkit.auth.models import Role, User
from coachkit.coaching.models import ActionItem, CoachingSession, Owner
from coachkit.extensions import db
from tests.coaching.conftest import action, action_id, form_fields
from tests.conftest import page, signed_in


def _count(app, column):
    with app.app_context():
        return len(db.session.scalars(select(column)).all())


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


def test_saving_again_after_a_conflict_keeps_the_action_the_employee_closed(
    app, crew, make_session
):
    session_id = make_session(crew.employee, crew.manager, actions=[action("Review two calls")])
    target = action_id(app, "Review two calls")
    path = f"/coaching/sessions/{session_id}/edit"
    manager = signed_in(app, crew.manager)
    fields = form_fields(manager.get(path))
    signed_in(app, crew.employee).post(f"/coaching/actions/{target}/done", data={"done": "1"})
    fields["went_well"] = "Typed while the employee was busy"
    conflict = manager.post(path, data=fields)
    assert "changed this session after you opened it" in page(conflict)
    retry = form_fields(conflict)
    assert retry["went_well"] == "Typed while the employee was busy"
    assert manager.post(path, data=retry).status_code == 302
    with app.app_context():
        stored = db.session.get(CoachingSession, session_id)
        assert stored.went_well == "Typed while the employee was busy"
        assert [(a.id, a.done_at is not None) for a in stored.actions] == [(target, True)]


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


def test_a_new_session_reads_no_done_boxes(app, crew, session_form):
    client = signed_in(app, crew.manager)
    data = session_form(**{"actions-0-text": "Review two calls", "actions-0-done": "y"})
    assert (
        client.post(f"/coaching/people/{crew.employee.id}/sessions/new", data=data).status_code
        == 302
    )
    with app.app_context():
        assert db.session.scalar(select(ActionItem.done_at)) is None


def test_no_new_session_for_a_deactivated_person(app, crew, session_form):
    with app.app_context():
        db.session.execute(update(User).where(User.id == crew.employee.id).values(active=False))
        db.session.commit()
    client = signed_in(app, crew.manager)
    path = f"/coaching/people/{crew.employee.id}/sessions/new"
    assert client.get(path).status_code == 302
    assert client.post(path, data=session_form()).status_code == 302
    assert _count(app, CoachingSession.id) == 0
    assert "Record a session" not in page(client.get(f"/coaching/people/{crew.employee.id}"))


def test_ticking_an_action_is_in_the_history_and_names_who_did_it(app, crew, make_session):
    session_id = make_session(crew.employee, crew.manager, actions=[action("Review two calls")])
    target = action_id(app, "Review two calls")
    path = f"/coaching/sessions/{session_id}/edit"
    manager = signed_in(app, crew.manager)
    fields = form_fields(manager.get(path))
    signed_in(app, crew.employee).post(f"/coaching/actions/{target}/done", data={"done": "1"})
    conflict = page(manager.post(path, data=fields))
    assert "Erin Employee changed this session after you opened it" in conflict
    assert "<strong>Action: Review two calls</strong>" in conflict
    history = page(manager.get(f"/coaching/sessions/{session_id}/history"))
    assert "Edited by Erin Employee" in history
    assert "Action: Review two calls" in history


def test_an_edit_after_acknowledgement_is_flagged_for_the_manager(app, crew, make_session):
    session_id = make_session(crew.employee, crew.manager)
    signed_in(app, crew.employee).post(f"/coaching/mine/{session_id}/acknowledge", data={})
    manager = signed_in(app, crew.manager)
    assert "Edited since" not in page(manager.get(f"/coaching/sessions/{session_id}"))
    path = f"/coaching/sessions/{session_id}/edit"
    fields = form_fields(manager.get(path))
    fields["goal"] = "A new goal"
    assert manager.post(path, data=fields).status_code == 302
    assert "Edited since" in page(manager.get(f"/coaching/sessions/{session_id}"))
