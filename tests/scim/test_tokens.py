"""SCIM bearer tokens: made by an admin in the app or on the command line, shown once,
stored as a hash, revoked (it stops working at once), audited; SCIM requests need one,
carry no CSRF token, and answer application/scim+json."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from coachkit.auth.models import Role
from coachkit.auth.sessions import token_digest
from coachkit.extensions import db
from coachkit.scim.models import ScimEvent, ScimToken
from tests.conftest import page, signed_in
from tests.scim.conftest import SCIM_JSON, USER, Scim

SHOWN = re.compile(r'id="new-token" class="copy-field" type="text" readonly value="([^"]+)"')


def events(app):
    with app.app_context():
        return db.session.execute(select(ScimEvent.actor, ScimEvent.action)).all()


@pytest.mark.parametrize(
    "authorization", [None, "Bearer", "Bearer not-a-token", "Basic dXNlcjpwYXNz"]
)
def test_without_a_valid_token_scim_answers_401(app, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    for method, path in [("GET", "/Users"), ("POST", "/Users"), ("GET", "/ServiceProviderConfig")]:
        response = app.test_client().open(
            f"/scim/v2{path}", method=method, headers=headers, json={}
        )
        assert response.status_code == 401
        assert response.content_type == SCIM_JSON
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_admin_without_a_token_is_refused(app, make_user):
    admin = signed_in(app, make_user(Role.ADMIN))
    assert admin.get("/scim/v2/Users").status_code == 401


def test_an_admin_makes_a_token_that_is_shown_once_and_stored_hashed(app, make_user):
    admin_person = make_user(Role.ADMIN, name="Ada Admin")
    admin = signed_in(app, admin_person)
    response = admin.post("/admin/scim-tokens/", data={"name": "Entra ID"})
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    plain = SHOWN.search(response.get_data(as_text=True)).group(1)
    assert plain.startswith("coachkit_scim_") and len(plain) > 50
    assert plain not in admin.get("/admin/scim-tokens/").get_data(as_text=True)
    with app.app_context():
        [stored] = db.session.scalars(select(ScimToken)).all()
        assert stored.token_hash == token_digest(plain) and stored.name == "Entra ID"
    assert Scim(app, plain)("GET", "/Users").status_code == 200
    assert (f"Ada Admin ({admin_person.email})", "token created") in events(app)


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Name the token after what will use it."), ("x" * 121, "Use at most 120 characters.")],
)
def test_a_bad_token_name_shows_the_error_and_makes_nothing(app, make_user, name, message):
    admin = signed_in(app, make_user(Role.ADMIN))
    response = admin.post("/admin/scim-tokens/", data={"name": name})
    assert response.status_code == 200
    assert 'id="name-error"' in response.get_data(as_text=True)
    assert message in page(response)
    with app.app_context():
        assert db.session.scalars(select(ScimToken)).all() == []


def test_a_revoked_token_stops_working(app, make_user, token):
    scim = Scim(app, token)
    assert scim("GET", "/Users").status_code == 200
    admin = signed_in(app, make_user(Role.ADMIN, name="Ada Admin"))
    with app.app_context():
        token_id = db.session.scalar(select(ScimToken.id))
    assert "Revoke “Entra ID”" in page(admin.get("/admin/scim-tokens/"))
    response = admin.post(f"/admin/scim-tokens/{token_id}/revoke", follow_redirects=True)
    assert "The token “Entra ID” is revoked: it works no more." in page(response)
    assert scim("GET", "/Users").status_code == 401
    assert scim.user("sam", "sam@example.com").status_code == 401
    assert events(app)[-1][1] == "token revoked"


def test_tokens_on_the_command_line(app):
    runner = app.test_cli_runner()
    made = runner.invoke(args=["scim", "token", "create", "--name", "Okta"])
    assert made.exit_code == 0, made.output
    plain = made.output.strip().splitlines()[-1]
    assert Scim(app, plain)("GET", "/Users").status_code == 200
    listed = runner.invoke(args=["scim", "token", "list"])
    assert "Okta" in listed.output and "live" in listed.output and plain not in listed.output
    revoked = runner.invoke(args=["scim", "token", "revoke", "--name", "Okta"])
    assert revoked.exit_code == 0 and "Revoked 1 token." in revoked.output
    assert Scim(app, plain)("GET", "/Users").status_code == 401
    again = runner.invoke(args=["scim", "token", "revoke", "--name", "Okta"])
    assert again.exit_code == 1 and "No live token matches." in again.output
    assert runner.invoke(args=["scim", "token", "create", "--name", " "]).exit_code == 2
    assert [action for _actor, action in events(app)] == ["token created", "token revoked"]


def test_scim_needs_no_csrf_token(app_factory, token):
    app = app_factory(WTF_CSRF_ENABLED=True)
    response = Scim(app, token).user("sam", "sam@example.com")
    assert response.status_code == 201
    assert response.get_json()["schemas"] == [USER]


def test_discovery_is_served(scim):
    config = scim("GET", "/ServiceProviderConfig")
    assert config.content_type == SCIM_JSON
    assert config.get_json()["patch"]["supported"] is True
    types = scim("GET", "/ResourceTypes").get_json()
    assert {t["endpoint"] for t in types["Resources"]} == {"/Users", "/Groups"}
    schemas = scim("GET", "/Schemas").get_json()
    assert {s["id"] for s in schemas["Resources"]} == {
        USER,
        "urn:ietf:params:scim:schemas:core:2.0:Group",
    }
    assert scim("GET", f"/Schemas/{USER}").status_code == 200
    assert scim("GET", "/ResourceTypes/Group").status_code == 200
    assert scim("GET", "/ResourceTypes/Nothing").status_code == 404
    assert scim("GET", "/no/such/thing").get_json()["status"] == "404"
    assert scim("POST", "/ServiceProviderConfig").status_code == 405


def test_every_scim_endpoint_refuses_a_cookie_session_without_a_token(app, make_user):
    """Whatever role a browser is signed in as, SCIM answers it 401 (SCIM JSON)."""
    samples = {
        "name": "User",
        "urn": USER,
        "unknown": "x",
        "user_id": "1",
        "group_id": "1",
    }
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("scim.")]
    assert len(rules) == 15
    for role in Role:
        browser = signed_in(app, make_user(role))
        for rule in rules:
            with app.test_request_context():
                url = app.url_for(rule.endpoint, **{a: samples[a] for a in rule.arguments})
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = browser.open(url, method=method, json={})
                assert (response.status_code, response.content_type) == (401, SCIM_JSON), (
                    role,
                    method,
                    url,
                )
