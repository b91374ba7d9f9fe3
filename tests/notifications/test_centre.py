"""The notification centre: the header's count (without a query of its own), the
list of one's own notifications, opening one, marking all read; nobody else's."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select

from coachkit.auth.models import Role
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.notifications.models import Notification
from tests.conftest import page, signed_in
from tests.notifications.conftest import PATH, SUBJECT

COUNT = re.compile(r'class="unread-count">(\d+)<span class="visually-hidden"> unread</span>')


def header_count(response) -> int:
    match = COUNT.search(response.get_data(as_text=True))
    return int(match.group(1)) if match else 0


def statements(app, client, path: str) -> list[str]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    return seen


def test_the_header_shows_the_unread_count_without_a_query(app, make_user, notify_person):
    employee = make_user()
    client = signed_in(app, employee)
    quiet = statements(app, client, "/account")
    assert header_count(client.get("/account")) == 0
    for _ in range(3):
        notify_person(employee)
    busy = statements(app, client, "/account")
    assert len(busy) == len(quiet)
    # Only the user loader's own column (users.unread_notifications), no table of its own.
    assert not any(re.search(r"\bnotifications\b", statement) for statement in busy)
    response = client.get("/account")
    assert header_count(response) == 3
    assert 'href="/notifications"' in response.get_data(as_text=True)


def test_the_list_shows_only_ones_own_notifications_newest_first(app, make_user, notify_person):
    employee, colleague = make_user(), make_user()
    notify_person(employee, subject="First for me")
    notify_person(colleague, subject="Only for my colleague")
    notify_person(employee, subject="Second for me")
    text = page(signed_in(app, employee).get("/notifications"))
    assert text.index("Second for me") < text.index("First for me")
    assert "Only for my colleague" not in text


def test_the_list_pages_through_many_with_the_same_queries(app, make_user, notify_person):
    employee = make_user()
    client = signed_in(app, employee)
    notify_person(employee, subject="Number 0")
    few = len(statements(app, client, "/notifications"))
    for number in range(1, 30):
        notify_person(employee, subject=f"Number {number}")
    assert len(statements(app, client, "/notifications")) == few <= 4
    first, second = page(client.get("/notifications")), page(client.get("/notifications?page=2"))
    assert "Number 29" in first and "Number 4" not in first
    assert "Number 4" in second and "Page 2 of 2" in second


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(
    app, make_user, notify_person, unread
):
    employee = make_user()
    notification_id = notify_person(employee)
    notify_person(employee)
    client = signed_in(app, employee)
    assert client.get("/notifications").status_code == 200
    assert unread(employee) == (2, 2)  # reading the list changes nothing
    response = client.post(f"/notifications/{notification_id}/open")
    assert response.status_code == 302 and response.headers["Location"] == PATH
    assert unread(employee) == (1, 1)
    client.post(f"/notifications/{notification_id}/open")  # again: still one read
    assert unread(employee) == (1, 1)
    assert header_count(client.get("/account")) == 1


def test_the_unread_count_follows_changes_made_through_the_model(
    app, make_user, notify_person, unread
):
    """Flush events keep the count (`notifications.models`), whatever code changes
    the rows: read, unread again, deleted unread or read."""
    employee, colleague = make_user(), make_user()
    first, second, third = (notify_person(employee) for _ in range(3))
    notify_person(colleague)
    assert unread(employee) == (3, 3)

    def change(notification_id, how) -> None:
        with app.app_context():
            how(db.session.get_one(Notification, notification_id))
            db.session.commit()
            db.session.remove()

    def read(notification) -> None:
        notification.read_at = utcnow()

    change(first, read)
    assert unread(employee) == (2, 2)
    change(first, lambda notification: setattr(notification, "read_at", None))
    assert unread(employee) == (3, 3)
    change(second, db.session.delete)
    assert unread(employee) == (2, 2)
    change(first, read)
    change(first, db.session.delete)  # read already: counts nothing
    assert unread(employee) == (1, 1) and unread(colleague) == (1, 1)
    assert third is not None


def test_mark_all_read(app, make_user, notify_person, unread):
    employee, colleague = make_user(), make_user()
    for person in (employee, employee, colleague):
        notify_person(person)
    client = signed_in(app, employee)
    response = client.post("/notifications/read", follow_redirects=True)
    assert "Marked 2 notifications read." in page(response)
    assert unread(employee) == (0, 0)
    assert unread(colleague) == (1, 1)


@pytest.mark.parametrize("role", list(Role))
def test_someone_elses_notification_is_a_404_and_stays_unread(
    app, make_user, notify_person, unread, role
):
    owner, other = make_user(Role.EMPLOYEE), make_user(role)
    notification_id = notify_person(owner)
    client = signed_in(app, other)
    assert client.post(f"/notifications/{notification_id}/open").status_code == 404
    assert client.post("/notifications/999999/open").status_code == 404
    assert SUBJECT not in page(client.get("/notifications"))
    assert unread(owner) == (1, 1)


def test_signed_out_visitors_are_sent_to_sign_in(app, make_user, notify_person):
    owner = make_user()
    notification_id = notify_person(owner)
    client = app.test_client()
    for method, path in [
        ("GET", "/notifications"),
        ("POST", f"/notifications/{notification_id}/open"),
        ("POST", "/notifications/read"),
    ]:
        response = client.open(path, method=method)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    with app.app_context():
        assert db.session.scalar(select(Notification.read_at)) is None


def test_posts_need_a_csrf_token(app_factory, make_user, notify_person, unread):
    app = app_factory(WTF_CSRF_ENABLED=True)
    employee = make_user()
    notification_id = notify_person(employee)
    client = signed_in(app, employee)
    assert client.post("/notifications/read").status_code == 400
    assert client.post(f"/notifications/{notification_id}/open").status_code == 400
    assert unread(employee) == (1, 1)


def test_subjects_are_escaped(app, make_user, notify_person):
    employee = make_user()
    notify_person(employee, subject='<script>alert("x")</script> is assigned to you')
    text = signed_in(app, employee).get("/notifications").get_data(as_text=True)
    assert "<script>alert" not in text and "&lt;script&gt;" in text
