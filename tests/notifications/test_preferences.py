"""Preferences (each person's and the organisation defaults), the daily digest, and the
one-click unsubscribe link that needs no sign-in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from coachkit.auth.models import Role, User
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.notifications import digest, outbox, preferences, unsubscribe
from coachkit.notifications.kinds import Delivery, Kind
from coachkit.notifications.models import Notification, OrganisationDefault, Preference, Suppression
from tests.conftest import page, signed_in


def stored_preferences(app) -> dict:
    with app.app_context():
        rows = db.session.execute(
            select(Preference.user_id, Preference.kind, Preference.delivery)
        ).all()
        db.session.remove()
    return {(user_id, kind): delivery for user_id, kind, delivery in rows}


def form_for(kinds, **changes) -> dict:
    data = {kind.value: Delivery.EMAIL.value for kind in kinds}
    data.update(changes)
    return data


# --- The preferences page ---------------------------------------------------------------


def test_each_role_is_offered_its_own_kinds(app, make_user):
    employee, recruiter = make_user(Role.EMPLOYEE), make_user(Role.RECRUITER)
    employee_page = page(signed_in(app, employee).get("/notifications/preferences"))
    recruiter_page = page(signed_in(app, recruiter).get("/notifications/preferences"))
    assert Kind.MODULE_ASSIGNED.label in employee_page
    assert Kind.ANSWERS_WAITING.label not in employee_page
    assert Kind.ANSWERS_WAITING.label in recruiter_page
    assert Kind.MODULE_ASSIGNED.label not in recruiter_page
    assert Kind.CANDIDATE_INVITE.label not in recruiter_page


def test_saving_keeps_only_choices_that_differ_from_the_default(app, make_user):
    employee = make_user(Role.EMPLOYEE)
    client = signed_in(app, employee)
    kinds = Kind.offered_to(Role.EMPLOYEE)
    response = client.post(
        "/notifications/preferences",
        data=form_for(kinds, module_assigned="digest", session_shared="off"),
        follow_redirects=True,
    )
    assert "Saved your notification settings." in page(response)
    assert stored_preferences(app) == {
        (employee.id, Kind.MODULE_ASSIGNED): Delivery.DIGEST,
        (employee.id, Kind.SESSION_SHARED): Delivery.OFF,
    }
    text = client.get("/notifications/preferences").get_data(as_text=True)
    checked = '<input checked id="module_assigned-1" name="module_assigned" required type="radio"'
    assert f'{checked} value="digest">' in text


@pytest.mark.parametrize(
    "changes",
    [
        {"module_assigned": "sometimes"},
        {"module_assigned": ""},
        {"password_link": "digest"},  # a link that expires may not wait for the digest
    ],
)
def test_bad_choices_show_an_error_and_save_nothing(app, make_user, changes):
    employee = make_user(Role.EMPLOYEE)
    client = signed_in(app, employee)
    data = form_for(Kind.offered_to(Role.EMPLOYEE), **changes)
    response = client.post("/notifications/preferences", data=data)
    assert response.status_code == 200
    text = page(response)
    assert 'class="error"' in text and "Please correct the field marked below." in text
    assert stored_preferences(app) == {}


def test_a_missing_choice_is_an_error(app, make_user):
    employee = make_user(Role.EMPLOYEE)
    data = form_for(Kind.offered_to(Role.EMPLOYEE))
    del data["module_overdue"]
    response = signed_in(app, employee).post("/notifications/preferences", data=data)
    assert "Choose how this reaches you." in page(response)
    assert stored_preferences(app) == {}


def test_kinds_not_offered_cannot_be_posted(app, make_user):
    employee = make_user(Role.EMPLOYEE)
    data = form_for(Kind.offered_to(Role.EMPLOYEE), answers_waiting="off")
    signed_in(app, employee).post("/notifications/preferences", data=data)
    assert stored_preferences(app) == {}


# --- Organisation defaults ---------------------------------------------------------------


def test_admins_set_organisation_defaults(app, make_user):
    admin, employee = make_user(Role.ADMIN), make_user(Role.EMPLOYEE)
    data = form_for(Kind.for_people(), module_due_soon="digest")
    response = signed_in(app, admin).post(
        "/notifications/defaults", data=data, follow_redirects=True
    )
    assert "Saved the organisation's defaults." in page(response)
    with app.app_context():
        assert dict(
            db.session.execute(select(OrganisationDefault.kind, OrganisationDefault.delivery)).all()
        ) == {Kind.MODULE_DUE_SOON: Delivery.DIGEST}
        person = db.session.get(User, employee.id)
        assert preferences.choices(person)[Kind.MODULE_DUE_SOON] is Delivery.DIGEST


def test_defaults_with_bad_input_save_nothing(app, make_user):
    admin = make_user(Role.ADMIN)
    data = form_for(Kind.for_people(), module_due_soon="weekly")
    response = signed_in(app, admin).post("/notifications/defaults", data=data)
    assert 'class="error"' in page(response)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OrganisationDefault)) == 0


@pytest.mark.parametrize("role", [Role.MANAGER, Role.EMPLOYEE, Role.RECRUITER])
def test_only_admins_set_defaults(app, make_user, role):
    client = signed_in(app, make_user(role))
    assert client.get("/notifications/defaults").status_code == 403
    assert (
        client.post(
            "/notifications/defaults", data=form_for(Kind.for_people(), module_due_soon="off")
        ).status_code
        == 403
    )
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OrganisationDefault)) == 0


# --- The daily digest ----------------------------------------------------------------------


def at(hour: int, day: int = 7) -> datetime:
    return datetime(2026, 12, day, hour, 30, tzinfo=UTC)


def test_the_daily_digest_gathers_the_days_notifications(
    app, make_user, notify_person, run_pass, mailbox
):
    reader = make_user(Role.EMPLOYEE, name="Dee Digest")
    with app.app_context():
        preferences.save(db.session.get(User, reader.id), {Kind.MODULE_ASSIGNED: Delivery.DIGEST})
        db.session.commit()
    first = notify_person(reader, subject="Charged twice is assigned to you")
    notify_person(reader, subject="The wedding suit is assigned to you")
    read_one = notify_person(reader, subject="Already read in the app")
    with app.app_context():
        db.session.get_one(Notification, read_one).read_at = at(5)
        db.session.execute(update(Notification).values(created_at=at(6) - timedelta(hours=3)))
        db.session.commit()
        assert digest.send_digests(at(6)) == 0  # before DIGEST_HOUR (7 UTC)
        assert digest.send_digests(at(7)) == 1
        assert digest.send_digests(at(8)) == 0  # once a day
        db.session.commit()
    run_pass(scan=False)
    [email] = mailbox.received
    assert email["Subject"] == "Your coachkit digest: 2 notifications"
    body = email.get_body(("plain",)).get_content()
    assert "Charged twice is assigned to you" in body and "The wedding suit" in body
    assert "Already read in the app" not in body
    assert "https://coachkit.test/notifications" in body
    with app.app_context():
        token = email["List-Unsubscribe"].strip("<>").rsplit("/", 1)[1]
        assert unsubscribe.read(token) == unsubscribe.Subscription(Kind.DIGEST, user_id=reader.id)
        assert (
            db.session.scalar(select(func.count()).where(Notification.digest_pending.is_(True)))
            == 0
        )
    assert first is not None


def test_a_line_kept_for_the_digest_goes_in_it_though_the_kind_is_emailed(
    app, make_user, notify_person
):
    employee = make_user(Role.EMPLOYEE)
    notify_person(
        employee, Kind.MODULE_OVERDUE, "Still overdue: Charged twice", at_most=Delivery.DIGEST
    )
    with app.app_context():
        assert digest.send_digests(utcnow().replace(hour=23)) == 1
        [body] = db.session.scalars(select(outbox.OutboxMessage.body)).all()
    assert "Still overdue: Charged twice" in body


def test_the_next_days_digest_has_only_what_came_after(app, make_user, notify_person):
    reader = make_user(Role.EMPLOYEE)
    with app.app_context():
        preferences.save(db.session.get(User, reader.id), {Kind.MODULE_ASSIGNED: Delivery.DIGEST})
        db.session.commit()
    notify_person(reader, subject="Monday's news")
    with app.app_context():
        db.session.execute(update(Notification).values(created_at=at(3)))
        assert digest.send_digests(at(9)) == 1
        db.session.commit()
    notify_person(reader, subject="Tuesday's news")
    with app.app_context():
        db.session.execute(
            update(Notification)
            .where(Notification.subject == "Tuesday's news")
            .values(created_at=at(3, day=8))
        )
        assert digest.send_digests(at(9, day=8)) == 1
        db.session.commit()
        bodies = [
            m.body
            for m in db.session.scalars(
                select(outbox.OutboxMessage).order_by(outbox.OutboxMessage.id)
            )
        ]
    assert "Monday's news" in bodies[0] and "Tuesday's news" not in bodies[0]
    assert "Tuesday's news" in bodies[1] and "Monday's news" not in bodies[1]


# --- One-click unsubscribe ----------------------------------------------------------------


def token_for(app, subscription) -> str:
    with app.app_context():
        return unsubscribe.token(subscription)


def test_unsubscribe_asks_first_then_turns_that_kind_off(
    app, make_user, notify_person, outbox_rows
):
    employee = make_user(Role.EMPLOYEE)
    token = token_for(app, unsubscribe.Subscription(Kind.MODULE_ASSIGNED, user_id=employee.id))
    client = app.test_client()  # not signed in
    confirm = client.get(f"/unsubscribe/{token}")
    assert confirm.status_code == 200
    assert "Stop e-mails about: a training module is assigned to you?" in page(confirm)
    assert confirm.headers["Referrer-Policy"] == "no-referrer"
    assert stored_preferences(app) == {}  # GET changes nothing
    done = client.post(f"/unsubscribe/{token}")
    assert done.status_code == 200 and "You are unsubscribed" in page(done)
    assert stored_preferences(app) == {(employee.id, Kind.MODULE_ASSIGNED): Delivery.OFF}
    assert client.post(f"/unsubscribe/{token}").status_code == 200  # twice is harmless
    notify_person(employee)
    notify_person(employee, Kind.SESSION_SHARED, "A session is shared with you", "/coaching/mine/")
    assert [m.kind for m in outbox_rows()] == [Kind.SESSION_SHARED]


def test_one_click_post_from_a_mail_client_needs_no_csrf_token(app_factory, make_user):
    app = app_factory(WTF_CSRF_ENABLED=True)
    employee = make_user(Role.EMPLOYEE)
    token = token_for(app, unsubscribe.Subscription(Kind.SESSION_SHARED, user_id=employee.id))
    response = app.test_client().post(
        f"/unsubscribe/{token}",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert stored_preferences(app) == {(employee.id, Kind.SESSION_SHARED): Delivery.OFF}


def test_unsubscribing_from_the_digest_turns_off_what_it_gathers(app, make_user, notify_person):
    reader = make_user(Role.EMPLOYEE)
    with app.app_context():
        preferences.save(
            db.session.get(User, reader.id),
            {Kind.MODULE_ASSIGNED: Delivery.DIGEST, Kind.MODULE_DUE_SOON: Delivery.DIGEST},
        )
        db.session.commit()
    notify_person(reader)  # waits for tomorrow's digest
    token = token_for(app, unsubscribe.Subscription(Kind.DIGEST, user_id=reader.id))
    assert "Stop the daily digest?" in page(app.test_client().get(f"/unsubscribe/{token}"))
    app.test_client().post(f"/unsubscribe/{token}")
    assert stored_preferences(app) == {
        (reader.id, Kind.MODULE_ASSIGNED): Delivery.OFF,
        (reader.id, Kind.MODULE_DUE_SOON): Delivery.OFF,
        (reader.id, Kind.DIGEST): Delivery.OFF,
    }
    # Not even a "still overdue" line that would go to the digest whatever the kind.
    notify_person(reader, Kind.MODULE_OVERDUE, at_most=Delivery.DIGEST)
    with app.app_context():
        assert digest.send_digests(utcnow().replace(hour=23)) == 0  # no digest after all
    # Choosing the digest again in the settings brings it back.
    kinds = Kind.offered_to(Role.EMPLOYEE)
    client = signed_in(app, reader)
    client.post("/notifications/preferences", data=form_for(kinds, module_due_soon="digest"))
    assert (reader.id, Kind.DIGEST) not in stored_preferences(app)


def test_a_candidate_unsubscribes_by_address(app):
    with app.app_context():
        digest_ = preferences.address_hash("cand@example.org")
    token = token_for(app, unsubscribe.Subscription(Kind.CANDIDATE_REMINDER, address_hash=digest_))
    assert "Stop e-mails about: reminder" in page(app.test_client().get(f"/unsubscribe/{token}"))
    assert app.test_client().post(f"/unsubscribe/{token}").status_code == 200
    with app.app_context():
        assert db.session.scalars(select(Suppression.kind)).all() == [Kind.CANDIDATE_REMINDER]
        assert outbox.email("cand@example.org", Kind.CANDIDATE_REMINDER, "Reminder", "Hi") is None


def test_forged_or_broken_links_are_a_clear_404(app, make_user):
    employee = make_user(Role.EMPLOYEE)
    good = token_for(app, unsubscribe.Subscription(Kind.MODULE_ASSIGNED, user_id=employee.id))
    from itsdangerous import URLSafeSerializer

    forged = URLSafeSerializer("not-the-secret-key", salt=unsubscribe.SALT).dumps(
        {"k": "module_assigned", "u": employee.id}
    )
    wrong_shape = token_for(app, unsubscribe.Subscription(Kind.MODULE_ASSIGNED))
    client = app.test_client()
    for token in (good[:-3], forged, wrong_shape, "x", "%00"):
        for method in ("GET", "POST"):
            response = client.open(f"/unsubscribe/{token}", method=method)
            assert response.status_code in (400, 404), token
            if response.status_code == 404:
                assert "This unsubscribe link is not valid" in page(response)
    assert stored_preferences(app) == {}


def test_a_link_of_a_deleted_account_is_not_valid(app, make_user):
    gone = make_user(Role.EMPLOYEE)
    token = token_for(app, unsubscribe.Subscription(Kind.MODULE_ASSIGNED, user_id=gone.id))
    with app.app_context():
        db.session.delete(db.session.get(User, gone.id))
        db.session.commit()
    response = app.test_client().post(f"/unsubscribe/{token}")
    assert response.status_code == 404 and "not valid" in page(response)


def test_request_logs_redact_unsubscribe_tokens(app, make_user, capsys):
    employee = make_user(Role.EMPLOYEE)
    token = token_for(app, unsubscribe.Subscription(Kind.MODULE_ASSIGNED, user_id=employee.id))
    app.test_client().get(f"/unsubscribe/{token}")
    logged = capsys.readouterr().out
    assert "/unsubscribe/[redacted]" in logged and token not in logged
