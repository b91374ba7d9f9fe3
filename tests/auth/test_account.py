"""Changing one's own password from the account page."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from coachkit.auth.models import Role, User
from coachkit.extensions import db
from tests.conftest import PASSWORD, login

NEW_PASSWORD = "lantern orbit pebble quartz"


def page(response):
    """The page as a reader sees it (entities such as &#39; decoded)."""
    return html.unescape(response.get_data(as_text=True))


def change_password(client, current=PASSWORD, password=NEW_PASSWORD, confirm=None):
    confirm = password if confirm is None else confirm
    return client.post(
        "/account", data={"current": current, "password": password, "confirm": confirm}
    )


def password_hash(app, user_id):
    with app.app_context():
        return db.session.scalar(select(User.password_hash).where(User.id == user_id))


def signs_in(app, email, password):
    """Whether a fresh browser can sign in with these details."""
    return login(app.test_client(), email, password).status_code == 302


def test_account_page_needs_sign_in(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_account_page_shows_own_details(client, make_user):
    login(client, make_user(Role.MANAGER, name="Maria Lopez", email="maria@example.com"))
    text = page(client.get("/account"))
    assert "Maria Lopez" in text
    assert "maria@example.com" in text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"current": "not my password at all"}, "That is not your current password."),
        ({"password": "short pass"}, "Use at least 12 characters."),
        ({"password": "password1234"}, "This password is too common or too easy to guess."),
        ({"confirm": NEW_PASSWORD + "!"}, "The two passwords differ."),
        ({"current": ""}, "This field is required."),
    ],
)
def test_bad_password_change_shows_error_and_keeps_the_old_hash(
    app, client, make_user, fields, message
):
    person = make_user()
    login(client, person)
    before = password_hash(app, person.id)
    response = change_password(client, **fields)
    assert response.status_code == 200
    assert message in page(response)
    assert password_hash(app, person.id) == before


def test_password_built_from_own_name_is_refused(client, make_user):
    # Strong enough for a stranger to guess (zxcvbn 3), weak once the name is known.
    person = make_user(name="Marguerite Featherstonehaugh")
    login(client, person)
    response = change_password(client, password="featherstonehaugh1")
    assert "This password is too common or too easy to guess." in page(response)


def test_changed_password_replaces_the_old_one(app, client, make_user):
    person = make_user()
    login(client, person)
    response = change_password(client)
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    assert signs_in(app, person.email, NEW_PASSWORD)
    assert not signs_in(app, person.email, person.password)


def test_password_change_signs_out_other_sessions_only(app, client, make_user):
    person = make_user()
    login(client, person)
    elsewhere = app.test_client()
    login(elsewhere, person)
    response = change_password(client)
    assert "signed out on every other device" in page(client.get(response.headers["Location"]))
    assert client.get("/account").status_code == 200
    signed_out = elsewhere.get("/")
    assert signed_out.status_code == 302
    assert signed_out.headers["Location"].startswith("/login")
