"""notify(): the in-app notification, the e-mail in the outbox as each person prefers,
in the caller's transaction; e-mails to plain addresses; once-only occasions; batches."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coachkit.auth.models import Role, User
from coachkit.extensions import db
from coachkit.notifications import outbox, preferences
from coachkit.notifications.kinds import Delivery, Kind
from coachkit.notifications.models import Notification
from coachkit.notifications.notify import forget, notify, notify_all
from coachkit.notifications.outbox import SECRET_LINK, About
from tests.notifications.conftest import PATH, SUBJECT


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_every_event_of_the_issue_has_a_kind_with_a_label():
    events = {
        Kind.MODULE_ASSIGNED,
        Kind.MODULE_DUE_SOON,
        Kind.MODULE_OVERDUE,
        Kind.SESSION_SHARED,
        Kind.SESSION_EDITED,
        Kind.SESSION_ACKNOWLEDGED,
        Kind.ACTION_ASSIGNED,
        Kind.ACTION_DUE_SOON,
        Kind.ACTION_OVERDUE,
        Kind.NEXT_SESSION_DUE,
        Kind.ANSWERS_WAITING,
        Kind.CANDIDATES_HANDED_IN,
        Kind.CANDIDATE_INVITE,
        Kind.CANDIDATE_INVITE_RESENT,
        Kind.CANDIDATE_REMINDER,
        Kind.PASSWORD_LINK,
    }
    assert events <= set(Kind)
    assert all(kind.label and len(kind.value) <= 40 for kind in Kind)
    assert Kind.ANSWERS_WAITING not in Kind.offered_to(Role.EMPLOYEE)
    assert Kind.ANSWERS_WAITING in Kind.offered_to(Role.RECRUITER)
    assert Kind.MODULE_ASSIGNED not in Kind.offered_to(Role.RECRUITER)
    assert not any(kind.for_candidates for kind in Kind.for_people())


def test_notify_adds_the_notification_the_email_and_the_unread_count(
    app, make_user, notify_person, outbox_rows, unread
):
    employee = make_user(Role.EMPLOYEE, name="Eli Employee")
    notify_person(employee, details="Due on 3 December 2026.")
    assert unread(employee) == (1, 1)
    [message] = outbox_rows()
    assert (message.state, message.to_address, message.subject) == (
        "waiting",
        employee.email,
        SUBJECT,
    )
    assert "Hello Eli Employee" in message.body
    assert "Due on 3 December 2026." in message.body
    assert f"https://coachkit.test{PATH}" in message.body
    assert message.message_id.startswith("<") and message.message_id.endswith("@localhost>")


def test_a_rolled_back_change_leaves_nothing(
    app, make_user, outbox_rows, unread, run_pass, mailbox
):
    employee = make_user()
    with app.app_context():
        notify(db.session.get(User, employee.id), Kind.MODULE_ASSIGNED, SUBJECT, PATH)
        db.session.rollback()
        assert _count(Notification) == 0
    assert outbox_rows() == []
    assert unread(employee) == (0, 0)
    run_pass()
    assert mailbox.received == []


def test_once_makes_one_notification_per_occasion_and_person(app, make_user, notify_person, unread):
    first, second = make_user(), make_user()
    assert notify_person(first, Kind.MODULE_DUE_SOON, once="assignment:7:due-soon") is not None
    assert notify_person(first, Kind.MODULE_DUE_SOON, once="assignment:7:due-soon") is None
    assert notify_person(second, Kind.MODULE_DUE_SOON, once="assignment:7:due-soon") is not None
    assert notify_person(first, Kind.MODULE_OVERDUE, once="assignment:7:due-soon") is not None
    assert unread(first) == (2, 2)


def test_notify_all_notifies_each_person_once(app, make_user, outbox_rows):
    people = [make_user(Role.RECRUITER) for _ in range(3)]
    with app.app_context():
        users = db.session.scalars(select(User).order_by(User.id)).all()
        made = notify_all(
            [*users, users[0]], Kind.ANSWERS_WAITING, "3 answers wait for your rating", "/rate/"
        )
        db.session.commit()
        assert len(made) == 3
        assert [u.unread_notifications for u in db.session.scalars(select(User))] == [1, 1, 1]
    assert sorted(m.to_address for m in outbox_rows()) == sorted(p.email for p in people)


@pytest.mark.parametrize(
    "path", ["https://evil.example/", "//evil.example/x", "training", "/\\evil"]
)
def test_a_link_must_stay_on_the_site(app, make_user, path):
    employee = make_user()
    with app.app_context(), pytest.raises(ValueError, match="not a path on this site"):
        notify(db.session.get(User, employee.id), Kind.MODULE_ASSIGNED, SUBJECT, path)


def test_candidate_kinds_go_through_the_outbox_not_notify(app, make_user):
    employee = make_user()
    with app.app_context(), pytest.raises(ValueError, match="use outbox.email"):
        notify(db.session.get(User, employee.id), Kind.CANDIDATE_INVITE, SUBJECT, PATH)


def test_a_subject_is_kept_on_one_line(app, make_user, notify_person, outbox_rows):
    employee = make_user()
    notify_person(employee, subject="Line one\r\nBcc: victim@example.org")
    [message] = outbox_rows()
    assert message.subject == "Line one Bcc: victim@example.org"


def test_preferences_decide_email_digest_or_app_only(app, make_user, notify_person, outbox_rows):
    by_email, by_digest, app_only = make_user(), make_user(), make_user()
    with app.app_context():
        preferences.save(
            db.session.get(User, by_digest.id), {Kind.MODULE_ASSIGNED: Delivery.DIGEST}
        )
        preferences.save(db.session.get(User, app_only.id), {Kind.MODULE_ASSIGNED: Delivery.OFF})
        db.session.commit()
    for person in (by_email, by_digest, app_only):
        notify_person(person)
    assert [m.to_address for m in outbox_rows()] == [by_email.email]
    with app.app_context():
        pending = dict(
            db.session.execute(select(Notification.recipient_id, Notification.digest_pending)).all()
        )
    assert pending == {by_email.id: False, by_digest.id: True, app_only.id: False}


def test_the_organisation_default_applies_until_a_person_chooses(
    app, make_user, notify_person, outbox_rows
):
    chooser, other = make_user(), make_user()
    with app.app_context():
        preferences.save_defaults({Kind.MODULE_ASSIGNED: Delivery.OFF})
        preferences.save(db.session.get(User, chooser.id), {Kind.MODULE_ASSIGNED: Delivery.EMAIL})
        db.session.commit()
    notify_person(chooser)
    notify_person(other)
    assert [m.to_address for m in outbox_rows()] == [chooser.email]


def test_at_most_digest_keeps_a_reminder_out_of_single_emails(
    app, make_user, notify_person, outbox_rows
):
    employee = make_user()
    notify_person(employee, Kind.MODULE_OVERDUE, at_most=Delivery.DIGEST, once="a:1:week-48")
    assert outbox_rows() == []
    with app.app_context():
        assert db.session.scalar(select(Notification.digest_pending)) is True


def test_a_deactivated_account_gets_no_email(app, make_user, notify_person, outbox_rows):
    gone = make_user(active=False)
    assert notify_person(gone) is not None
    assert outbox_rows() == []


def test_email_to_an_address_without_an_account(app, outbox_rows):
    with app.app_context():
        batch = outbox.new_batch()
        message = outbox.email(
            "Cand.Idate@Example.org ",
            Kind.CANDIDATE_INVITE,
            "Your screening exercise for Care adviser",
            f"Start here:\n{SECRET_LINK}\n",
            about=About("candidate", 12),
            secret_link="https://coachkit.test/screening/TOKEN",
            batch=batch,
        )
        assert message is not None and message.recipient_id is None
        db.session.commit()
        assert outbox.progress(batch) == outbox.Progress(sent=0, waiting=1, failed=0)
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 0
    [stored] = outbox_rows()
    assert stored.to_address == "Cand.Idate@Example.org"
    assert "TOKEN" not in stored.body and SECRET_LINK in stored.body


def test_a_secret_link_needs_its_place_in_the_body(app):
    with app.app_context(), pytest.raises(ValueError):
        outbox.email("a@example.org", Kind.CANDIDATE_INVITE, "Hi", "no place", secret_link="x")


def test_a_suppressed_address_gets_nothing_of_that_kind(app, outbox_rows):
    with app.app_context():
        preferences.suppress("cand@example.org", Kind.CANDIDATE_REMINDER)
        db.session.commit()
        assert outbox.email("CAND@example.org", Kind.CANDIDATE_REMINDER, "Reminder", "Hi") is None
        assert outbox.email("cand@example.org", Kind.CANDIDATE_INVITE, "Invite", "Hi") is not None
        assert (
            outbox.email("cand@example.org", Kind.CANDIDATE_REMINDER, "R", "Hi", once="c:1") is None
        )
        db.session.commit()
    assert [m.kind for m in outbox_rows()] == [Kind.CANDIDATE_INVITE]


def test_cancel_waiting_withdraws_an_unsent_message(app, outbox_rows):
    with app.app_context():
        about = About("candidate", 5)
        outbox.email("a@example.org", Kind.CANDIDATE_INVITE, "Invite", "Hi", about=about)
        outbox.email("a@example.org", Kind.CANDIDATE_REMINDER, "Reminder", "Hi", about=about)
        assert outbox.cancel_waiting(Kind.CANDIDATE_INVITE, about) == 1
        db.session.commit()
    assert [m.kind for m in outbox_rows()] == [Kind.CANDIDATE_REMINDER]


def test_forget_removes_what_was_about_an_object(
    app, make_user, notify_person, outbox_rows, unread
):
    recruiter = make_user(Role.RECRUITER)
    notify_person(
        recruiter,
        Kind.CANDIDATES_HANDED_IN,
        "Casey handed in",
        "/hiring/",
        about=About("candidate", 9),
    )
    notify_person(
        recruiter, Kind.ANSWERS_WAITING, "Answers wait", "/rate/", about=About("opening", 9)
    )
    with app.app_context():
        assert forget(About("candidate", 9)) == 1
        db.session.commit()
    assert unread(recruiter) == (1, 1)
    assert [m.subject for m in outbox_rows()] == ["Answers wait"]
