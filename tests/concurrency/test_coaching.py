"""Coaching sessions under parallel writers: an acknowledgement sent many times at once,
acknowledging while the manager edits, a new-session form sent many times at once (with
CSRF on, as a browser sends it), and managers saving the same edit at once."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from coachkit.auth.models import Role
from coachkit.coaching.models import ActionItem, CoachingSession, Revision
from coachkit.extensions import db
from tests.coaching.conftest import form_fields, load
from tests.concurrency.conftest import WRITERS, Reply, post, race, reply, same_browser
from tests.conftest import page, signed_in

THANKS = "Thank you. Your manager can see that you have read this session."
ALREADY = "You had already acknowledged this session."
CONFLICT = "changed this session after you opened it"
NOT_SAVED = "Your changes have not been saved."


def count(app: Flask, table: type, **where: int) -> int:
    with app.app_context():
        statement = select(func.count()).select_from(table).filter_by(**where)
        return db.session.scalar(statement) or 0


def post_and_follow(client: FlaskClient, path: str, data: dict[str, str]) -> Reply:
    """POST, then read the page it redirects to (where the flash message shows)."""
    response = client.post(path, data=data)
    assert response.status_code == 302, page(response)
    return reply(client.get(response.headers["Location"]))


def test_an_acknowledgement_sent_many_times_at_once_counts_once(app, crew, make_session, notified):
    session_id = make_session(crew.employee, crew.manager)
    tabs = same_browser(app, signed_in(app, crew.employee), WRITERS)
    path = f"/coaching/mine/{session_id}/acknowledge"
    comments = [f"Read it, thanks ({number})" for number in range(WRITERS)]
    replies = race(
        [
            lambda tab=tab, comment=comment: post_and_follow(tab, path, {"comment": comment})
            for tab, comment in zip(tabs, comments, strict=True)
        ]
    )
    assert [THANKS in r.text for r in replies].count(True) == 1
    assert [ALREADY in r.text for r in replies].count(True) == WRITERS - 1
    first = next(number for number, r in enumerate(replies) if THANKS in r.text)
    stored = load(app, session_id)
    assert stored["acknowledged_at"] is not None
    assert stored["employee_comment"] == comments[first]  # the one that counted, intact
    [told] = notified("session_acknowledged")  # and the coach is told once
    assert told.recipient_id == crew.manager.id


def test_acknowledging_while_the_manager_edits_keeps_both(app, crew, make_session):
    """The employee acknowledges sessions while their manager saves edits to the same
    sessions: every acknowledgement and every edit is kept."""
    sessions = [make_session(crew.employee, crew.manager) for _ in range(WRITERS // 2)]
    manager, employee = signed_in(app, crew.manager), signed_in(app, crew.employee)
    edits = []
    for number, session_id in enumerate(sessions):
        path = f"/coaching/sessions/{session_id}/edit"
        fields = form_fields(manager.get(path))
        fields["goal"] = f"Goal set at the same moment ({number})"
        edits.append((path, fields))
    actions = []
    for number, session_id in enumerate(sessions):
        path, fields = edits[number]
        actions.append(post(same_browser(app, manager, 1)[0], path, fields))
        ack = f"/coaching/mine/{session_id}/acknowledge"
        actions.append(post(same_browser(app, employee, 1)[0], ack, {"comment": f"Seen {number}"}))
    replies = race(actions)
    assert [r.status for r in replies] == [302] * len(actions)
    for number, session_id in enumerate(sessions):
        stored = load(app, session_id)
        assert stored["acknowledged_at"] is not None
        assert stored["employee_comment"] == f"Seen {number}"
        assert stored["version"] == 2
        with app.app_context():
            goal = db.session.get(CoachingSession, session_id).goal
        assert goal == f"Goal set at the same moment ({number})"
        assert count(app, Revision, session_id=session_id) == 2  # recorded, then edited


def test_a_new_session_form_sent_many_times_at_once_records_one_session(app_factory, app, crew):
    """A double click on Save (the same page, CSRF token and one-time key): one
    session with one action, and every request lands on it."""
    guarded = app_factory(WTF_CSRF_ENABLED=True)
    browser = signed_in(guarded, crew.manager)
    path = f"/coaching/people/{crew.employee.id}/sessions/new"
    fields = form_fields(browser.get(path))
    assert fields["csrf_token"] and fields["submission"]
    fields.update(
        {"kind": "One-to-one", "went_well": "Sent many times", "actions-0-text": "Review two calls"}
    )
    replies = race([post(tab, path, fields) for tab in same_browser(guarded, browser, WRITERS)])
    assert {r.status for r in replies} == {302}, [r.status for r in replies]
    assert count(app, CoachingSession) == 1
    with app.app_context():
        session_id = db.session.scalar(select(CoachingSession.id))
    assert {r.location for r in replies} == {f"/coaching/sessions/{session_id}"}
    assert count(app, ActionItem) == 1
    assert count(app, Revision) == 1


def test_managers_saving_the_same_session_at_once_one_wins(app, crew, make_session, make_user):
    """Both managers of the team and an admin, in several tabs opened on the same
    version, save different notes at the same moment: exactly one save is kept, every
    other editor is told someone changed the session and keeps what they typed, and
    nothing is overwritten silently."""
    session_id = make_session(crew.employee, crew.manager, notes={"went_well": "Original"})
    path = f"/coaching/sessions/{session_id}/edit"
    editors = [crew.manager, crew.co_manager, make_user(Role.ADMIN, name="Ada Admin")]
    browsers = [signed_in(app, editor) for editor in editors]
    actions, texts = [], []
    for number in range(WRITERS):
        tab = same_browser(app, browsers[number % len(browsers)], 1)[0]
        fields = form_fields(tab.get(path))
        assert fields["version"] == "1"
        texts.append(f"Version typed in tab {number}")
        actions.append(post(tab, path, {**fields, "went_well": texts[number]}))
    replies = race(actions)
    winners = [number for number, r in enumerate(replies) if r.status == 302]
    assert len(winners) == 1, [r.status for r in replies]
    for number, r in enumerate(replies):
        if number not in winners:
            assert r.status == 200
            assert CONFLICT in r.text and NOT_SAVED in r.text
            assert texts[number] in r.text  # what they typed is still on the page
    stored = load(app, session_id)
    assert stored["went_well"] == texts[winners[0]]
    assert stored["version"] == 2
    assert count(app, Revision, session_id=session_id) == 2
