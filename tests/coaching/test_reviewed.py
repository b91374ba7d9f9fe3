"""What a call or ticket review looked at: the reference, an http(s) link and an
excerpt, saved with the session, shown escaped, and hidden from the employee when private."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coachkit.coaching.models import CoachingSession
from coachkit.extensions import db
from tests.coaching.conftest import form_fields
from tests.conftest import csv_rows, page, signed_in

EXCERPT = "Customer: <script>alert(1)</script> I've called three times!"
REVIEW = {
    "kind": "Ticket review",
    "review_reference": "TCK-4821",
    "review_link": "https://helpdesk.example.com/tickets/4821",
    "review_excerpt": EXCERPT,
}


def new_session(app, crew, session_form, **overrides):
    client = signed_in(app, crew.manager)
    data = session_form(**{**REVIEW, **overrides})
    return client, client.post(f"/coaching/people/{crew.employee.id}/sessions/new", data=data)


def stored(app):
    with app.app_context():
        session = db.session.scalars(select(CoachingSession)).one()
        return session.id, (session.review_reference, session.review_link, session.review_excerpt)


def test_a_review_records_what_it_reviewed_and_shows_it_escaped(app, crew, session_form):
    client, response = new_session(app, crew, session_form)
    assert response.status_code == 302
    session_id, review = stored(app)
    assert review == ("TCK-4821", REVIEW["review_link"], EXCERPT)
    for shown in (
        client.get(f"/coaching/sessions/{session_id}").text,
        signed_in(app, crew.employee).get(f"/coaching/mine/{session_id}").text,
    ):
        assert "What was reviewed" in shown
        assert f'<a href="{REVIEW["review_link"]}" rel="noopener noreferrer">TCK-4821</a>' in shown
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown and "<script>alert" not in shown


def test_a_reference_without_a_link_or_excerpt_is_enough(app, crew, session_form):
    _, response = new_session(app, crew, session_form, review_link="", review_excerpt="")
    assert response.status_code == 302
    assert stored(app)[1] == ("TCK-4821", "", "")


def test_a_private_review_is_hidden_from_the_employee_and_their_exports(app, crew, session_form):
    client, _ = new_session(app, crew, session_form, reviewed_private="y")
    session_id, _ = stored(app)
    assert "TCK-4821" in client.get(f"/coaching/sessions/{session_id}").text
    employee = signed_in(app, crew.employee)
    shown = page(employee.get(f"/coaching/mine/{session_id}"))
    assert (
        "TCK-4821" not in shown and "What was reviewed" not in shown and "three times" not in shown
    )
    exported = employee.get("/coaching/mine/sessions.csv").get_data(as_text=True)
    assert "TCK-4821" not in exported and "three times" not in exported
    assert csv_rows(employee.get("/coaching/mine/sessions.csv"))[1]  # the session is exported


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"review_link": "javascript:alert(1)"},
            "Enter a web address starting with http:// or https://.",
        ),
        ({"review_link": "ftp://files.example.com/call.wav"}, "starting with http:// or https://"),
        ({"review_link": "https://"}, "starting with http:// or https://"),
        ({"review_link": "helpdesk.example.com/4821"}, "starting with http:// or https://"),
        (
            {"review_reference": ""},
            "Give the ticket number or call id the link or excerpt is from.",
        ),
        ({"review_reference": "T" * 121}, "Field cannot be longer than 120 characters."),
        ({"review_link": "https://x.example/" + "a" * 500}, "Field cannot be longer than 500"),
        ({"review_excerpt": "e" * 5001}, "Field cannot be longer than 5000 characters."),
    ],
)
def test_bad_review_input_is_refused_and_kept(app, crew, session_form, overrides, message):
    _, response = new_session(app, crew, session_form, **overrides)
    body = page(response)
    assert response.status_code == 200 and message in body
    kept = {**REVIEW, **overrides}["review_reference"]
    assert f'value="{kept}"' in response.text  # what was typed is still in the form
    with app.app_context():
        assert db.session.scalar(select(func.count(CoachingSession.id))) == 0


def test_editing_the_review_is_kept_in_the_history(app, crew, session_form):
    client, _ = new_session(app, crew, session_form)
    session_id, _ = stored(app)

    fields = form_fields(client.get(f"/coaching/sessions/{session_id}/edit"))
    assert fields["review_reference"] == "TCK-4821"
    fields["review_reference"] = "CALL-77"
    assert client.post(f"/coaching/sessions/{session_id}/edit", data=fields).status_code == 302
    assert stored(app)[1][0] == "CALL-77"
    history = page(client.get(f"/coaching/sessions/{session_id}/history"))
    assert "TCK-4821" in history and "CALL-77" in history
