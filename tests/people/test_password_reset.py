"""Self-service password reset: the same answer whether or not the address has an
account, a link by e-mail (through the outbox) that works once and expires, requests
throttled per e-mail address and per client address, other sessions ended."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from coachkit.auth.models import PasswordLink, Role, ThrottleEvent
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.notifications.models import OutboxMessage
from tests.conftest import login, page
from tests.people.conftest import NEW_PASSWORD, assert_signed_out, set_password, signs_in
from tests.people.test_password_links import send_outbox

RESET_LINK = re.compile(r"https://coachkit\.test(/set-password/[\w-]+)")


def ask(client, email, address="127.0.0.1"):
    return client.post(
        "/password-reset", data={"email": email}, environ_base={"REMOTE_ADDR": address}
    )


def messages(app):
    with app.app_context():
        return db.session.scalar(select(func.count(OutboxMessage.id)))


def mailed_link(app, mailbox):
    """Send the outbox and return the path of the one reset link it carried."""
    assert send_outbox(app).sent == 1
    [message] = mailbox.received
    match = RESET_LINK.search(message.get_body(("plain",)).get_content())
    assert match, "the e-mail carries no reset link"
    return message, match.group(1)


def test_the_sign_in_page_links_to_the_reset_page(client):
    assert 'href="/password-reset"' in client.get("/login").get_data(as_text=True)
    assert "Reset your password" in page(client.get("/password-reset"))


def test_the_answer_is_the_same_for_a_known_and_an_unknown_address(app, make_user):
    person = make_user(Role.EMPLOYEE)
    known = ask(app.test_client(), person.email)
    unknown = ask(app.test_client(), "nobody@example.com")
    deactivated = make_user(Role.EMPLOYEE, active=False)
    inactive = ask(app.test_client(), deactivated.email)
    assert known.status_code == unknown.status_code == inactive.status_code == 200
    bodies = [
        page(r).replace(email, "ADDRESS")
        for r, email in (
            (known, person.email),
            (unknown, "nobody@example.com"),
            (inactive, deactivated.email),
        )
    ]
    assert bodies[0] == bodies[1] == bodies[2]
    assert "If an active account uses ADDRESS, a link to choose a new password" in bodies[0]
    assert messages(app) == 1  # only the active account's


def test_the_link_comes_by_email_and_sets_a_new_password(app, make_user, mailbox):
    person = make_user(Role.EMPLOYEE)
    ask(app.test_client(), person.email.upper())
    assert mailbox.received == []  # the request only wrote to the outbox
    message, path = mailed_link(app, mailbox)
    assert message["To"] == person.email
    assert message["Subject"] == "Reset your coachkit password"
    assert "works once, for 60 minutes" in message.get_body(("plain",)).get_content()
    browser = app.test_client()
    assert person.email in page(browser.get(path))
    assert set_password(browser, path).status_code == 302
    assert signs_in(app, person.email, NEW_PASSWORD)
    assert not signs_in(app, person.email, person.password)


def test_the_link_works_once(app, make_user, mailbox):
    person = make_user(Role.EMPLOYEE)
    ask(app.test_client(), person.email)
    _message, path = mailed_link(app, mailbox)
    browser = app.test_client()
    assert set_password(browser, path).status_code == 302
    assert browser.get(path).status_code == 410
    again = set_password(browser, path, "another quite different passphrase")
    assert again.status_code == 410
    assert signs_in(app, person.email, NEW_PASSWORD)


def test_the_link_expires(app, make_user, mailbox):
    person = make_user(Role.EMPLOYEE)
    ask(app.test_client(), person.email)
    _message, path = mailed_link(app, mailbox)
    with app.app_context():
        [expires_at] = db.session.scalars(select(PasswordLink.expires_at)).all()
        assert timedelta(minutes=59) < expires_at - utcnow() <= timedelta(minutes=60)
        db.session.execute(update(PasswordLink).values(expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
    assert app.test_client().get(path).status_code == 410
    assert set_password(app.test_client(), path).status_code == 410


def test_a_new_request_replaces_the_earlier_link(app, make_user, mailbox):
    person = make_user(Role.EMPLOYEE)
    ask(app.test_client(), person.email)
    _message, first = mailed_link(app, mailbox)
    mailbox.reset()
    ask(app.test_client(), person.email)
    _message, second = mailed_link(app, mailbox)
    assert app.test_client().get(first).status_code == 410
    assert app.test_client().get(second).status_code == 200


def test_resetting_signs_out_every_session(app, make_user, mailbox):
    person = make_user(Role.EMPLOYEE)
    elsewhere = app.test_client()
    assert login(elsewhere, person).status_code == 302
    ask(app.test_client(), person.email)
    _message, path = mailed_link(app, mailbox)
    set_password(app.test_client(), path)
    assert_signed_out(elsewhere)


def test_requests_for_one_address_are_throttled(app, make_user):
    person = make_user(Role.EMPLOYEE)
    client = app.test_client()
    for number in range(3):  # PASSWORD_RESET_MAX_PER_ACCOUNT, from different places
        assert ask(client, person.email, f"10.0.0.{number}").status_code == 200
    refused = ask(client, person.email, "10.0.0.9")
    assert refused.status_code == 429
    assert "Too many password reset requests." in page(refused)
    assert messages(app) == 1  # each request replaced the unsent e-mail; none after
    with app.app_context():
        assert db.session.scalar(select(func.count(PasswordLink.id))) == 1


def test_an_unknown_address_is_throttled_the_same_way(app, make_user):
    client = app.test_client()
    answers = [ask(client, "nobody@example.com", f"10.0.0.{n}").status_code for n in range(4)]
    assert answers == [200, 200, 200, 429]


def test_requests_from_one_client_address_are_throttled(app, make_user):
    person = make_user(Role.EMPLOYEE)
    client = app.test_client()
    for number in range(10):  # PASSWORD_RESET_MAX_PER_ADDRESS, for different addresses
        assert ask(client, f"someone{number}@example.com").status_code == 200
    assert ask(client, person.email).status_code == 429
    assert messages(app) == 0
    assert ask(client, person.email, "10.1.1.1").status_code == 200  # another client


def test_the_counts_are_kept_in_the_database_without_the_address(app):
    ask(app.test_client(), "Someone@Example.com")
    with app.app_context():
        keys = db.session.scalars(select(ThrottleEvent.key)).all()
    assert len(keys) == 2
    assert "address:127.0.0.1" in keys
    assert not any("someone" in key.lower() for key in keys)


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter the e-mail address you sign in with."),
        ("not-an-address", "Enter a valid e-mail address, like name@example.com."),
        ("x" * 250 + "@example.com", "Field cannot be longer than 254 characters."),
    ],
)
def test_bad_input_shows_the_error_and_sends_nothing(app, email, message):
    response = ask(app.test_client(), email)
    assert response.status_code == 200
    text = page(response)
    assert 'id="email-error"' in text and message in text
    assert messages(app) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(ThrottleEvent.id))) == 0


def test_without_password_sign_in_there_is_no_reset(app_factory, make_user):
    app = app_factory(
        PASSWORD_SIGN_IN=False,
        OIDC_ISSUER="https://login.example.com",
        OIDC_CLIENT_ID="coachkit",
        OIDC_CLIENT_SECRET="secret",
        OIDC_ALLOWED_DOMAINS=("example.com",),
    )
    assert app.test_client().get("/password-reset").status_code == 404
    assert ask(app.test_client(), "someone@example.com").status_code == 404
