"""Set-password links: shown once to the admin (and e-mailed when SMTP is set), stored
as a hash, used once, gone when expired, replaced, or their person deactivated."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from coachkit.auth.models import PasswordLink, Role, User
from coachkit.auth.sessions import token_digest
from coachkit.database import utcnow
from coachkit.extensions import db
from tests.conftest import login, page
from tests.people.conftest import (
    LINK,
    NEW_PASSWORD,
    account,
    assert_signed_out,
    create,
    link_path,
    set_password,
    sign_in_admin,
    signs_in,
    user_id_for,
)


def test_without_smtp_the_admin_is_told_to_send_the_link_themselves(client, make_user):
    sign_in_admin(client, make_user)
    response = create(client)
    text = page(response)
    assert (
        "Send this link to Sam Patel (sam.patel@example.com) yourself: coachkit does not "
        "e-mail it (e-mail is not configured, or they turned these e-mails off)."
    ) in text
    assert link_path(response).startswith("/set-password/")


def test_set_password_link_works_once(app, client, make_user):
    sign_in_admin(client, make_user)
    path = link_path(create(client))
    newcomer = app.test_client()
    form = newcomer.get(path)
    assert form.status_code == 200
    assert "sam.patel@example.com" in page(form)
    response = set_password(newcomer, path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert newcomer.get(path).status_code == 410
    assert set_password(newcomer, path, "another fine passphrase here").status_code == 410
    assert signs_in(app, "sam.patel@example.com", NEW_PASSWORD)


def test_set_password_page_keeps_its_token_out_of_referrers(app, client, make_user):
    sign_in_admin(client, make_user)
    path = link_path(create(client))
    response = app.test_client().get(path)
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_link_token_is_stored_only_as_its_hash(app, client, make_user):
    sign_in_admin(client, make_user)
    token = LINK.search(create(client).get_data(as_text=True)).group(2)
    with app.app_context():
        stored = db.session.scalars(select(PasswordLink.token_hash)).all()
    assert stored == [token_digest(token)]


def send_outbox(app):
    from coachkit.notifications import worker

    with app.app_context():
        result = worker.run_pass(scan=False)
        db.session.remove()
    return result


def outbox_rows(app):
    from coachkit.notifications.models import OutboxMessage

    with app.app_context():
        rows = db.session.execute(
            select(OutboxMessage.state, OutboxMessage.body, OutboxMessage.secret_link)
        ).all()
        db.session.remove()
    return [tuple(row) for row in rows]


def test_link_is_emailed_by_the_worker_not_the_request(app, client, make_user, mailbox):
    sign_in_admin(client, make_user)
    response = create(client)
    assert "coachkit is e-mailing this link to sam.patel@example.com." in page(response)
    assert mailbox.received == []  # the request only wrote it to the outbox
    assert send_outbox(app).sent == 1
    [message] = mailbox.received
    assert message["To"] == "sam.patel@example.com"
    assert message["Subject"] == "Set your coachkit password"
    url = "https://coachkit.test" + link_path(response)
    assert url in message.get_body(("plain",)).get_content()
    assert message["List-Unsubscribe"].startswith("<https://coachkit.test/unsubscribe/")
    # Once sent, the outbox keeps no usable token.
    [(state, body, secret)] = outbox_rows(app)
    assert state.value == "sent" and secret is None
    assert link_path(response).rsplit("/", 1)[1] not in body


def test_a_new_link_replaces_the_unsent_email_of_the_old_one(app, client, make_user, mailbox):
    sign_in_admin(client, make_user)
    create(client)
    user_id = user_id_for(app, "sam.patel@example.com")
    second = client.post(f"/people/{user_id}/password-link")
    assert send_outbox(app).sent == 1
    [message] = mailbox.received
    assert "https://coachkit.test" + link_path(second) in message.get_body(("plain",)).get_content()


def test_the_page_answers_while_the_mail_server_is_down(app, client, make_user, mailbox):
    mailbox.stop()
    try:
        sign_in_admin(client, make_user)
        response = create(client)
        assert response.status_code == 200
        assert link_path(response)
        assert send_outbox(app).unreachable
        assert [state.value for state, _body, _secret in outbox_rows(app)] == ["waiting"]
    finally:
        mailbox.start()
    assert send_outbox(app).sent == 1


def test_new_link_replaces_the_unused_one(app, client, make_user):
    sign_in_admin(client, make_user)
    first = link_path(create(client))
    user_id = user_id_for(app, "sam.patel@example.com")
    response = client.post(f"/people/{user_id}/password-link")
    assert "New set-password link for Sam Patel" in page(response)
    second = link_path(response)
    assert second != first
    newcomer = app.test_client()
    assert newcomer.get(first).status_code == 410
    assert newcomer.get(second).status_code == 200


def test_expired_link_is_gone(app, client, make_user):
    sign_in_admin(client, make_user)
    path = link_path(create(client))
    with app.app_context():
        db.session.execute(update(PasswordLink).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()
    newcomer = app.test_client()
    assert newcomer.get(path).status_code == 410
    assert set_password(newcomer, path).status_code == 410
    assert account(app, user_id_for(app, "sam.patel@example.com")).password_hash is None


def test_unknown_link_is_gone(client):
    response = client.get("/set-password/not-a-real-token")
    assert response.status_code == 410
    assert "The link has been used already or has expired." in page(response)


def test_link_of_a_deactivated_person_is_gone(app, client, make_user):
    sign_in_admin(client, make_user)
    person = make_user(Role.EMPLOYEE, password=None)
    path = link_path(client.post(f"/people/{person.id}/password-link"))
    client.post(f"/people/{person.id}/deactivate")
    assert app.test_client().get(path).status_code == 410


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short pass", "short pass", "Use at least 12 characters."),
        ("password1234", "password1234", "This password is too common or too easy to guess."),
        (NEW_PASSWORD, NEW_PASSWORD + "!", "The two passwords differ."),
        ("", "", "This field is required."),
    ],
)
def test_set_password_with_bad_input_shows_error_and_saves_nothing(
    app, client, make_user, password, confirm, message
):
    sign_in_admin(client, make_user)
    path = link_path(create(client))
    newcomer = app.test_client()
    response = set_password(newcomer, path, password, confirm)
    assert response.status_code == 200
    assert message in page(response)
    assert account(app, user_id_for(app, "sam.patel@example.com")).password_hash is None
    assert newcomer.get(path).status_code == 200  # the link is still unused


def test_set_password_replaces_the_old_password(app, client, make_user):
    sign_in_admin(client, make_user)
    person = make_user(Role.EMPLOYEE)
    path = link_path(client.post(f"/people/{person.id}/password-link"))
    set_password(app.test_client(), path)
    assert not signs_in(app, person.email, person.password)
    assert signs_in(app, person.email, NEW_PASSWORD)


def test_set_password_ends_the_persons_sessions(app, client, make_user):
    sign_in_admin(client, make_user)
    person = make_user(Role.EMPLOYEE)
    theirs = app.test_client()
    login(theirs, person)
    path = link_path(client.post(f"/people/{person.id}/password-link"))
    assert set_password(app.test_client(), path).status_code == 302
    assert_signed_out(theirs)
    assert client.get("/people/").status_code == 200  # the admin is not affected


def _issue_link(app, person):
    from coachkit.auth import password_links

    with app.test_request_context():
        url, _ = password_links.issue(db.session.get(User, person.id), issued_by=None)
        db.session.commit()
    return url.removeprefix("https://coachkit.test")


def test_deactivation_revokes_outstanding_links(app, client, make_user):
    sign_in_admin(client, make_user)
    person = make_user(Role.EMPLOYEE)
    path = _issue_link(app, person)
    client.post(f"/people/{person.id}/deactivate")
    with app.app_context():
        db.session.get(User, person.id).active = True  # reactivated later
        db.session.commit()
    assert app.test_client().get(path).status_code == 410


def test_password_change_revokes_outstanding_links(app, make_user):
    person = make_user(Role.EMPLOYEE)
    path = _issue_link(app, person)
    own = app.test_client()
    login(own, person)
    own.post(
        "/account",
        data={
            "current": person.password,
            "password": "violet meadow engine",
            "confirm": "violet meadow engine",
        },
    )
    assert app.test_client().get(path).status_code == 410


def test_a_link_is_redeemed_only_once_even_in_parallel(app, make_user):
    from coachkit.auth import password_links

    person = make_user(Role.EMPLOYEE)
    path = _issue_link(app, person)
    token = path.rsplit("/", 1)[1]
    with app.app_context():
        link = password_links.find_usable(token)
        assert password_links.redeem(link) is True
        assert password_links.redeem(link) is False  # the second writer loses
        db.session.commit()
