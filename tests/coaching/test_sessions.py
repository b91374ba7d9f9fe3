"""Recording and editing sessions: what is saved, bad input, history, concurrent edits
and action items carried over from earlier sessions."""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from coachkit.auth.models import User
from coachkit.coaching.models import ActionItem, CoachingSession, Evidence, Revision
from coachkit.extensions import db
from tests.coaching.conftest import action, action_id, form_fields, load
from tests.conftest import csrf_token, login, page, signed_in

TODAY = date.today()


def count(app, column):
    with app.app_context():
        return db.session.scalar(select(func.count(column)))


def only_session_id(app):
    with app.app_context():
        return db.session.scalars(select(CoachingSession.id)).one()


def revisions(app, session_id):
    with app.app_context():
        rows = db.session.scalars(
            select(Revision).where(Revision.session_id == session_id).order_by(Revision.id)
        ).all()
        return [(r.editor_id, r.changes) for r in rows]


# Recording


def test_new_session_form_shows_every_skill_and_the_kinds(app, crew):
    client = signed_in(app, crew.manager)
    body = page(client.get(f"/coaching/people/{crew.employee.id}/sessions/new"))
    assert "New session with Erin Employee" in body
    for name in ("Active listening", "Empathy", "Trust-building and partnership"):
        assert name in body
    for kind in app.config["COACHING_KINDS"]:
        assert f'<option value="{kind}">' in body
    assert f'value="{TODAY.isoformat()}"' in body  # the date defaults to today


def test_manager_records_a_session(app, crew, session_form, make_attempt):
    attempt_id = make_attempt(crew.employee)
    client = signed_in(app, crew.manager)
    due = TODAY + timedelta(days=14)
    response = client.post(
        f"/coaching/people/{crew.employee.id}/sessions/new",
        data=session_form(
            kind="Call review",
            ratings={"empathy": 2, "ownership": 4},
            went_well="  Let the customer finish the story.  ",
            to_improve="Name the feeling first.",
            to_improve_private="y",
            **{
                "actions-0-text": "Review two calls a week",
                "actions-0-due_on": due.isoformat(),
                "actions-1-text": "Pair with a strong listener",
                "actions-1-owner": "manager",
                "actions-1-private": "y",
            },
            evidence=str(attempt_id),
            next_session_on=(TODAY + timedelta(days=28)).isoformat(),
        ),
    )
    session_id = only_session_id(app)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/coaching/sessions/{session_id}"
    stored = load(app, session_id)
    assert stored["kind"] == "Call review"
    assert stored["went_well"] == "Let the customer finish the story."
    assert stored["private"] == ["to_improve"]
    assert stored["ratings"] == {"empathy": (2, False), "ownership": (4, False)}
    assert stored["actions"] == [
        ("Review two calls a week", "employee", due, False, False),
        ("Pair with a strong listener", "manager", None, True, False),
    ]
    assert revisions(app, session_id) == [(crew.manager.id, [])]
    with app.app_context():
        assert db.session.scalars(select(Evidence.attempt_id)).all() == [attempt_id]
        session = db.session.get(CoachingSession, session_id)
        assert (session.coach_id, session.employee_id) == (crew.manager.id, crew.employee.id)
        assert session.next_session_on == TODAY + timedelta(days=28)
    shown = page(client.get(response.headers["Location"]))
    assert "Session with Erin Employee saved." in shown
    assert "Call review with Erin Employee" in shown and "Review two calls a week" in shown


def test_private_ratings_are_stored_as_private(app, crew, session_form):
    client = signed_in(app, crew.manager)
    client.post(
        f"/coaching/people/{crew.employee.id}/sessions/new",
        data=session_form(ratings={"empathy": 3}, ratings_private="y"),
    )
    stored = load(app, only_session_id(app))
    assert stored["ratings"] == {"empathy": (3, True)}
    assert stored["private"] == ["ratings"]


KEPT = "Typed by the manager, and kept"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"held_on": None}, "Enter the date."),
        ({"held_on": ""}, "Enter the date."),
        ({"held_on": "2026-02-30"}, "Not a valid date value."),
        (
            {"held_on": (TODAY + timedelta(days=1)).isoformat()},
            "A session cannot be recorded before it happens.",
        ),
        ({"kind": ""}, "Choose the kind of session."),
        ({"kind": "Performance improvement plan"}, "Choose one of the listed kinds."),
        ({"ratings-1-rating": "7"}, "Choose a rating from 1 to 5, or Not rated."),
        ({"ratings-1-rating": "0"}, "Choose a rating from 1 to 5, or Not rated."),
        (
            {"next_session_on": (TODAY - timedelta(days=2)).isoformat()},
            "The next session must come after this one.",
        ),
        (
            {"next_session_on": (TODAY - timedelta(days=1)).isoformat()},
            "The next session must come after this one.",
        ),
        (
            {"actions-0-due_on": (TODAY + timedelta(days=3)).isoformat()},
            "Describe the action, or clear its due date.",
        ),
        ({"actions-0-text": "a" * 501}, "Field cannot be longer than 500 characters."),
        ({"actions-0-text": "Call back", "actions-0-owner": "hr"}, "Choose the employee or"),
        ({"went_well": "w" * 5001}, "Field cannot be longer than 5000 characters."),
        ({"way_forward": "w" * 5001}, "Field cannot be longer than 5000 characters."),
    ],
)
def test_bad_input_on_the_session_form(app, crew, session_form, overrides, message):
    client = signed_in(app, crew.manager)
    data = session_form(to_improve=KEPT, ratings={"ownership": 2}, **overrides)
    response = client.post(f"/coaching/people/{crew.employee.id}/sessions/new", data=data)
    body = page(response)
    assert response.status_code == 200
    assert message in body
    assert "Please correct the field marked below." in body
    assert 'aria-invalid="true"' in body or 'class="rating field-error"' in body
    assert KEPT in body  # what was typed is still in the form
    assert 'checked id="ratings-3-rating-2"' in body  # the rating chosen stays chosen
    assert count(app, CoachingSession.id) == 0
    assert count(app, ActionItem.id) == 0


def test_another_persons_attempt_cannot_be_linked_as_evidence(
    app, crew, session_form, make_attempt
):
    make_attempt(crew.employee)  # so the form offers the employee's own attempts
    foreign = make_attempt(crew.colleague)
    client = signed_in(app, crew.manager)
    response = client.post(
        f"/coaching/people/{crew.employee.id}/sessions/new",
        data=session_form(evidence=str(foreign)),
    )
    assert f"'{foreign}' is not a valid choice for this field." in page(response)
    assert count(app, CoachingSession.id) == 0
    assert count(app, Evidence.id) == 0


def test_session_form_needs_a_csrf_token(app_factory, crew, session_form):
    protected = app_factory(WTF_CSRF_ENABLED=True)
    client = protected.test_client()
    assert login(client, crew.manager).status_code == 302
    path = f"/coaching/people/{crew.employee.id}/sessions/new"
    assert client.post(path, data=session_form()).status_code == 400
    assert count(protected, CoachingSession.id) == 0
    response = client.post(path, data=session_form(csrf_token=csrf_token(client, path)))
    assert response.status_code == 302
    assert count(protected, CoachingSession.id) == 1


def test_notes_are_rendered_inert(app, crew, session_form):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)> **bold**'
    manager = signed_in(app, crew.manager)
    manager.post(
        f"/coaching/people/{crew.employee.id}/sessions/new",
        data=session_form(went_well=payload, **{"actions-0-text": payload}),
    )
    session_id = only_session_id(app)
    employee = signed_in(app, crew.employee)
    for client, path in (
        (manager, f"/coaching/sessions/{session_id}"),
        (manager, f"/coaching/sessions/{session_id}/edit"),
        (employee, f"/coaching/mine/{session_id}"),
        (employee, "/coaching/mine/"),
    ):
        raw = client.get(path).get_data(as_text=True)
        assert '<script>alert("x")' not in raw and "<img src=x onerror" not in raw, path
        assert "onerror=alert" not in raw.replace("onerror=alert(1)&gt;", ""), path
    assert "<strong>bold</strong>" in manager.get(f"/coaching/sessions/{session_id}").text


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
    assert count(app, CoachingSession.id) == 0
    assert "Record a session" not in page(client.get(f"/coaching/people/{crew.employee.id}"))


# Editing and history


def test_edit_form_is_filled_with_the_saved_session(app, crew, make_session):
    session_id = make_session(
        crew.employee,
        crew.manager,
        kind="Call review",
        notes={"went_well": "Calm voice", "goal": "Own the case"},
        private={"goal"},
        ratings={"empathy": 2},
        actions=[action("Listen back to calls", due=TODAY + timedelta(days=5))],
    )
    client = signed_in(app, crew.manager)
    fields = form_fields(client.get(f"/coaching/sessions/{session_id}/edit"))
    assert fields["kind"] == "Call review"
    assert fields["went_well"] == "Calm voice" and fields["goal"] == "Own the case"
    assert fields["goal_private"] == "y" and "went_well_private" not in fields
    assert fields["ratings-1-rating"] == "2"  # empathy is the second skill
    assert fields["ratings-0-rating"] == ""
    assert fields["actions-0-text"] == "Listen back to calls"
    assert fields["actions-0-due_on"] == (TODAY + timedelta(days=5)).isoformat()
    assert fields["actions-3-text"] == ""  # the saved action plus three blank rows
    assert "actions-4-text" not in fields
    assert fields["version"] == "1"


def test_edit_saves_changes_and_records_who_changed_what(app, crew, make_session):
    session_id = make_session(
        crew.employee,
        crew.manager,
        notes={"went_well": "Calm voice"},
        ratings={"empathy": 2},
        actions=[action("Listen back to calls")],
    )
    client = signed_in(app, crew.co_manager)
    fields = form_fields(client.get(f"/coaching/sessions/{session_id}/edit"))
    fields.update(
        {
            "went_well": "Calm voice, even with an angry caller",
            "ratings-1-rating": "4",
            "ratings-3-rating": "3",
            "actions-0-done": "y",
        }
    )
    response = client.post(f"/coaching/sessions/{session_id}/edit", data=fields)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/coaching/sessions/{session_id}"
    stored = load(app, session_id)
    assert stored["went_well"] == "Calm voice, even with an angry caller"
    assert stored["ratings"] == {"empathy": (4, False), "ownership": (3, False)}
    assert stored["actions"] == [("Listen back to calls", "employee", None, False, True)]
    assert stored["version"] == 2
    history = revisions(app, session_id)
    assert [editor for editor, _ in history] == [crew.manager.id, crew.co_manager.id]
    changes = {c["field"]: (c["before"], c["after"]) for c in history[1][1]}
    assert changes == {
        "What went well": ("Calm voice", "Calm voice, even with an angry caller"),
        "Rating: empathy": ("2", "4"),
        "Rating: ownership": ("", "3"),
        "Action items": (
            "Listen back to calls (employee)",
            "Listen back to calls (employee, done)",
        ),
    }
    body = page(client.get(f"/coaching/sessions/{session_id}/history"))
    assert "Edited by Colin Comanager" in body and "Recorded by Maya Manager" in body
    assert body.index("Edited by Colin") < body.index("Recorded by Maya")  # newest first
    assert "Rating: Empathy" in body  # skills by their catalogue names
    assert '<td class="pre">Calm voice</td>' in body
    assert '<td class="pre">Calm voice, even with an angry caller</td>' in body


def test_saving_an_unchanged_form_adds_no_revision(app, crew, make_session):
    session_id = make_session(crew.employee, crew.manager, ratings={"empathy": 2})
    client = signed_in(app, crew.manager)
    fields = form_fields(client.get(f"/coaching/sessions/{session_id}/edit"))
    response = client.post(f"/coaching/sessions/{session_id}/edit", data=fields)
    assert response.status_code == 302
    assert "Nothing changed." in page(client.get(response.headers["Location"]))
    assert len(revisions(app, session_id)) == 1
    assert load(app, session_id)["version"] == 1


def test_clearing_an_actions_text_removes_it(app, crew, make_session):
    session_id = make_session(
        crew.employee, crew.manager, actions=[action("Keep this"), action("Drop this")]
    )
    client = signed_in(app, crew.manager)
    fields = form_fields(client.get(f"/coaching/sessions/{session_id}/edit"))
    fields["actions-1-text"] = ""
    assert client.post(f"/coaching/sessions/{session_id}/edit", data=fields).status_code == 302
    assert [a[0] for a in load(app, session_id)["actions"]] == ["Keep this"]


def test_bad_input_on_the_edit_form_changes_nothing(app, crew, make_session):
    session_id = make_session(crew.employee, crew.manager, notes={"went_well": "Calm voice"})
    client = signed_in(app, crew.manager)
    fields = form_fields(client.get(f"/coaching/sessions/{session_id}/edit"))
    fields.update({"went_well": "Rewritten", "held_on": (TODAY + timedelta(days=3)).isoformat()})
    response = client.post(f"/coaching/sessions/{session_id}/edit", data=fields)
    body = page(response)
    assert response.status_code == 200
    assert "A session cannot be recorded before it happens." in body
    assert "Rewritten" in body
    assert load(app, session_id)["went_well"] == "Calm voice"
    assert len(revisions(app, session_id)) == 1


# Two people changing one session


class TickedWhileEditing(NamedTuple):
    session_id: int
    action_id: int
    path: str  # the edit form's
    manager: FlaskClient
    fields: dict[str, str]  # the edit form as the manager opened it


@pytest.fixture
def ticked_while_editing(app, crew, make_session):
    """The manager opens the edit form of a session with one action; then the employee
    marks that action done on their own page."""
    session_id = make_session(crew.employee, crew.manager, actions=[action("Review two calls")])
    target = action_id(app, "Review two calls")
    path = f"/coaching/sessions/{session_id}/edit"
    manager = signed_in(app, crew.manager)
    fields = form_fields(manager.get(path))
    employee = signed_in(app, crew.employee)
    assert employee.post(f"/coaching/actions/{target}/done", data={"done": "1"}).status_code == 302
    return TickedWhileEditing(session_id, target, path, manager, fields)


def test_second_of_two_concurrent_edits_is_refused(app, crew, make_session):
    session_id = make_session(crew.employee, crew.manager, notes={"went_well": "Original"})
    path = f"/coaching/sessions/{session_id}/edit"
    first, second = signed_in(app, crew.manager), signed_in(app, crew.co_manager)
    first_form, second_form = form_fields(first.get(path)), form_fields(second.get(path))
    assert first_form["version"] == second_form["version"] == "1"

    first_form["went_well"] = "Maya's version"
    assert first.post(path, data=first_form).status_code == 302

    second_form["went_well"] = "Colin's version"
    second_form["to_improve"] = "Colin also typed this"
    response = second.post(path, data=second_form)
    body = page(response)
    assert response.status_code == 200
    assert "Maya Manager changed this session after you opened it" in body
    assert "Your changes have not been saved." in body
    assert "They changed: <strong>What went well</strong>." in body
    assert "Colin's version" in body and "Colin also typed this" in body
    stored = load(app, session_id)
    assert stored["went_well"] == "Maya's version" and stored["to_improve"] == ""
    assert stored["version"] == 2
    assert [editor for editor, _ in revisions(app, session_id)] == [crew.manager.id] * 2


def test_saving_again_after_a_conflict_replaces_the_session(app, crew, make_session):
    """The conflict message says "save again to replace it with yours"; doing so works."""
    session_id = make_session(crew.employee, crew.manager, notes={"went_well": "Original"})
    path = f"/coaching/sessions/{session_id}/edit"
    first, second = signed_in(app, crew.manager), signed_in(app, crew.co_manager)
    first_form, second_form = form_fields(first.get(path)), form_fields(second.get(path))
    first_form["went_well"] = "Maya's version"
    first.post(path, data=first_form)
    second_form["went_well"] = "Colin's version"
    conflict = second.post(path, data=second_form)
    assert "save again to replace it with yours" in page(conflict)

    response = second.post(path, data=form_fields(conflict))
    assert response.status_code == 302, "saving again after reading the conflict is refused"
    assert load(app, session_id)["went_well"] == "Colin's version"


def test_action_marked_done_while_the_manager_edits_refuses_the_edit(app, ticked_while_editing):
    edit = ticked_while_editing
    assert "actions-0-done" not in edit.fields
    fields = {**edit.fields, "went_well": "Edited while the employee was busy"}
    response = edit.manager.post(edit.path, data=fields)
    body = page(response)
    assert response.status_code == 200
    assert "changed this session after you opened it" in body
    assert "Edited while the employee was busy" in body
    stored = load(app, edit.session_id)
    assert stored["actions"] == [("Review two calls", "employee", None, False, True)]
    assert stored["went_well"] == "Listened to the whole story."


def test_conflict_from_an_employees_action_does_not_blame_the_editor(ticked_while_editing):
    """Only the manager has saved this session; the change came from the employee."""
    edit = ticked_while_editing
    body = page(edit.manager.post(edit.path, data=edit.fields))
    assert "Erin Employee changed this session after you opened it" in body
    assert "Maya Manager" not in body.split("changed this session")[0][-40:]


def test_saving_again_after_a_conflict_keeps_the_action_the_employee_closed(
    app, ticked_while_editing
):
    edit = ticked_while_editing
    fields = {**edit.fields, "went_well": "Typed while the employee was busy"}
    conflict = edit.manager.post(edit.path, data=fields)
    assert "changed this session after you opened it" in page(conflict)
    retry = form_fields(conflict)
    assert retry["went_well"] == "Typed while the employee was busy"
    assert edit.manager.post(edit.path, data=retry).status_code == 302
    with app.app_context():
        stored = db.session.get(CoachingSession, edit.session_id)
        assert stored.went_well == "Typed while the employee was busy"
        assert [(a.id, a.done_at is not None) for a in stored.actions] == [(edit.action_id, True)]


def test_ticking_an_action_is_in_the_history_and_names_who_did_it(ticked_while_editing):
    edit = ticked_while_editing
    conflict = page(edit.manager.post(edit.path, data=edit.fields))
    assert "Erin Employee changed this session after you opened it" in conflict
    assert "<strong>Action: Review two calls</strong>" in conflict
    history = page(edit.manager.get(f"/coaching/sessions/{edit.session_id}/history"))
    assert "Edited by Erin Employee" in history
    assert "Action: Review two calls" in history


# Actions carried over from earlier sessions


def test_open_actions_are_carried_over_and_can_be_closed(app, crew, make_session, session_form):
    earlier = make_session(
        crew.employee,
        crew.manager,
        held_on=TODAY - timedelta(days=30),
        actions=[
            action("Review two calls", due=TODAY - timedelta(days=2)),
            action("Shadow a colleague"),
            action("Book the course", private=True),
        ],
    )
    make_session(crew.colleague, crew.manager, actions=[action("Colleague's action")])
    with app.app_context():
        ids = dict(db.session.execute(select(ActionItem.text, ActionItem.id)).tuples().all())
    client = signed_in(app, crew.manager)
    path = f"/coaching/people/{crew.employee.id}/sessions/new"
    body = page(client.get(path))
    assert "Open actions from earlier sessions" in body
    for text in ("Review two calls", "Shadow a colleague", "Book the course"):
        assert f'value="{ids[text]}"' in body and text in body
    assert "Colleague's action" not in body

    foreign = ids["Colleague's action"]
    refused = client.post(
        path, data=session_form(carried_done=[str(ids["Review two calls"]), str(foreign)])
    )
    assert refused.status_code == 200
    assert "Only this person's own earlier actions can be marked done." in page(refused)
    assert count(app, CoachingSession.id) == 2

    response = client.post(path, data=session_form(carried_done=str(ids["Review two calls"])))
    assert response.status_code == 302
    with app.app_context():
        done = dict(
            db.session.execute(select(ActionItem.text, ActionItem.done_at.is_not(None)))
            .tuples()
            .all()
        )
        assert db.session.get(CoachingSession, earlier).version == 2
    assert done == {
        "Review two calls": True,
        "Shadow a colleague": False,
        "Book the course": False,
        "Colleague's action": False,
    }
    assert "Review two calls" not in page(client.get(path))


def test_a_deactivated_person_keeps_their_record(app, crew, make_session):
    session_id = make_session(crew.employee, crew.manager)
    with app.app_context():
        db.session.get(User, crew.employee.id).active = False
        db.session.commit()
    client = signed_in(app, crew.manager)
    body = page(client.get(f"/coaching/people/{crew.employee.id}"))
    assert "This account is deactivated." in body
    assert f"/coaching/sessions/{session_id}" in body


def test_ticking_an_action_the_employee_closed_meanwhile_still_saves(
    app, crew, make_session, session_form
):
    """The manager opens the new-session form, the employee marks a carried-over action
    done on their own page, then the manager ticks it too and saves."""
    make_session(crew.employee, crew.manager, actions=[action("Review two calls")])
    target = action_id(app, "Review two calls")
    manager = signed_in(app, crew.manager)
    path = f"/coaching/people/{crew.employee.id}/sessions/new"
    assert "Review two calls" in page(manager.get(path))
    employee = signed_in(app, crew.employee)
    employee.post(f"/coaching/actions/{target}/done", data={"done": "1"})
    with app.app_context():
        closed_at = db.session.get(ActionItem, target).done_at

    response = manager.post(path, data=session_form(went_well="Typed", carried_done=str(target)))
    assert response.status_code == 302
    assert count(app, CoachingSession.id) == 2
    with app.app_context():
        assert db.session.get(ActionItem, target).done_at == closed_at  # closed once


def test_double_submitted_session_form_creates_one_session(app, crew, session_form):
    """A double click or a resent POST must not record the session twice."""
    client = signed_in(app, crew.manager)
    path = f"/coaching/people/{crew.employee.id}/sessions/new"
    data = session_form(went_well="Sent twice", **{"actions-0-text": "Review two calls"})
    first, second = client.post(path, data=data), client.post(path, data=data)
    assert first.status_code == 302 and second.status_code in (200, 302, 409)
    assert count(app, CoachingSession.id) == 1
    assert count(app, ActionItem.id) == 1


@pytest.mark.parametrize("key", ["k" * 65, "not hex at all", "<script>", ""])
def test_a_tampered_one_time_key_is_ignored_not_an_error(app, crew, session_form, key):
    """The key is only a guard against double posts: a malformed one never blocks the
    save with an error the manager cannot see, and is not stored."""
    client = signed_in(app, crew.manager)
    path = f"/coaching/people/{crew.employee.id}/sessions/new"
    response = client.post(path, data=session_form(submission=key))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(CoachingSession.submission_key)) is None


def test_my_coaching_lists_sessions_newest_first_with_their_coach(app, crew, make_session):
    older = make_session(crew.employee, crew.manager, held_on=date.today() - timedelta(days=30))
    newer = make_session(crew.employee, crew.co_manager, held_on=date.today() - timedelta(days=2))
    text = page(signed_in(app, crew.employee).get("/coaching/mine/"))
    assert text.index(f"/coaching/mine/{newer}") < text.index(f"/coaching/mine/{older}")
    assert "Colin Comanager" in text and "Maya Manager" in text
    assert text.count("Please read and acknowledge") == 2


def test_my_coaching_names_a_deleted_coach_as_a_former_manager(app, crew, make_session):
    make_session(crew.employee, crew.manager)
    with app.app_context():
        db.session.delete(db.session.get(User, crew.manager.id))
        db.session.commit()
    text = page(signed_in(app, crew.employee).get("/coaching/mine/"))
    assert "A former manager" in text and "Maya Manager" not in text
