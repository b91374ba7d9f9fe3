"""Helpers for the people tests: an admin signed in, an account created through the
form, what is stored, and the set-password link a page shows."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from coachkit.auth.models import Role, User
from coachkit.extensions import db
from tests.conftest import login

NEW_PASSWORD = "lantern orbit pebble quartz"
LINK = re.compile(r'value="https://coachkit\.test(/set-password/([\w-]+))"')


def sign_in_admin(client, make_user):
    admin = make_user(Role.ADMIN, name="Ada Admin")
    login(client, admin)
    return admin


def create(client, **fields):
    data = {"name": "Sam Patel", "email": "sam.patel@example.com", "role": "employee"}
    return client.post("/people/new", data={**data, **fields})


def link_path(response):
    match = LINK.search(response.get_data(as_text=True))
    assert match, "the page shows no set-password link"
    return match.group(1)


def account(app, user_id):
    """(email, name, role, active, password_hash) as stored."""
    with app.app_context():
        return db.session.execute(
            select(User.email, User.name, User.role, User.active, User.password_hash).where(
                User.id == user_id
            )
        ).one()


def user_id_for(app, email):
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.email == email))


def count(app, column):
    with app.app_context():
        return db.session.scalar(select(func.count(column)))


def assert_signed_out(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def signs_in(app, email, password):
    """Whether a fresh browser can sign in with these details."""
    return login(app.test_client(), email, password).status_code == 302


def set_password(client, path, password=NEW_PASSWORD, confirm=None):
    confirm = password if confirm is None else confirm
    return client.post(path, data={"password": password, "confirm": confirm})
