"""SCIM Users: created (201, application/scim+json), found by userName or e-mail, paged,
replaced, patched (deactivation signs the person out everywhere), deleted (deactivated,
out of SCIM, back when created again), every change audited."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coachkit.auth.models import AuthSession, PasswordLink, Role, User
from coachkit.extensions import db
from coachkit.scim.models import ScimEvent
from tests.conftest import login
from tests.people.conftest import assert_signed_out
from tests.scim.conftest import SCIM_JSON, USER


def stored(app, email):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        return (
            None
            if user is None
            else {
                "name": user.name,
                "role": user.role,
                "active": user.active,
                "user_name": user.scim_user_name,
                "external_id": user.scim_external_id,
                "deleted": user.scim_deleted_at is not None,
            }
        )


def audited(app):
    with app.app_context():
        return db.session.execute(
            select(ScimEvent.actor, ScimEvent.action, ScimEvent.resource_type).order_by(
                ScimEvent.id
            )
        ).all()


def test_creating_a_user_answers_201_with_the_resource(app, scim):
    response = scim.user(
        "sam-001", "Sam.Patel@Example.com", displayName="Sam Patel", externalId="e-1"
    )
    assert response.status_code == 201
    assert response.content_type == SCIM_JSON
    body = response.get_json()
    assert body["schemas"] == [USER]
    assert body["userName"] == "sam-001"
    assert body["emails"] == [{"value": "sam.patel@example.com"}]
    assert body["active"] is True and body["externalId"] == "e-1"
    assert response.headers["Location"] == f"https://coachkit.test/scim/v2/Users/{body['id']}"
    assert body["meta"]["location"] == response.headers["Location"]
    assert stored(app, "sam.patel@example.com") == {
        "name": "Sam Patel",
        "role": Role.EMPLOYEE,
        "active": True,
        "user_name": "sam-001",
        "external_id": "e-1",
        "deleted": False,
    }
    assert ("token Entra ID", "created", "User") in audited(app)


def test_what_entra_id_sends_is_understood(app, scim):
    body = {
        "schemas": [USER, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "userName": "una@example.com",
        "active": "False",
        "name": {"givenName": "Una", "familyName": "Verified"},
        "emails": [{"value": "other@example.com"}, {"primary": True, "value": "una@example.com"}],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "Care"},
    }
    assert scim("POST", "/Users", body).status_code == 201
    assert stored(app, "una@example.com")["name"] == "Una Verified"
    assert stored(app, "una@example.com")["active"] is False


def test_username_is_any_unique_string_and_domains_are_not_limited(app_factory, token):
    app = app_factory(
        OIDC_ISSUER="https://login.example.com",
        OIDC_CLIENT_ID="c",
        OIDC_CLIENT_SECRET="s",
        OIDC_ALLOWED_DOMAINS=("example.com",),
    )
    from tests.scim.conftest import Scim

    scim = Scim(app, token)
    assert scim.user("EMP-77 / Ops", "olive@elsewhere.org").status_code == 201
    assert scim.user("emp-77 / ops", "another@example.com").status_code == 409  # not case-sensitive


@pytest.mark.parametrize(
    ("body", "status", "text"),
    [
        ({"schemas": [USER], "userName": "no-mail"}, 400, "emails"),
        ({"schemas": [USER], "emails": [{"value": "a@example.com"}]}, 400, "userName"),
        ({"schemas": [USER], "userName": "x", "emails": [{"value": "not-mail"}]}, 400, "emails"),
        (
            {"schemas": [USER], "userName": "x\u0000y", "emails": [{"value": "a@example.com"}]},
            400,
            "NUL",
        ),
        (["not", "an", "object"], 400, "JSON object"),
    ],
)
def test_bad_users_are_refused_and_nothing_saved(app, scim, body, status, text):
    response = scim("POST", "/Users", body)
    assert response.status_code == status
    assert response.content_type == SCIM_JSON
    error = response.get_json()
    assert error["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert text in error["detail"]
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_a_taken_username_or_address_is_a_conflict(app, scim):
    assert scim.user("sam", "sam@example.com").status_code == 201
    taken = scim.user("sam", "other@example.com")
    assert taken.status_code == 409 and taken.get_json()["scimType"] == "uniqueness"
    assert scim.user("sam2", "sam@example.com").status_code == 409


def test_an_account_made_in_coachkit_is_linked_by_its_address(app, scim, make_user):
    person = make_user(Role.MANAGER, email="mia@example.com", name="Mia Chen")
    listed = scim("GET", '/Users?filter=userName eq "mia@example.com"').get_json()
    assert [r["id"] for r in listed["Resources"]] == [str(person.id)]
    response = scim.user("mia.chen", "mia@example.com", displayName="Mia Chen")
    assert response.status_code == 201
    assert response.get_json()["id"] == str(person.id)
    assert stored(app, "mia@example.com")["role"] == Role.MANAGER  # kept


def test_an_account_made_in_coachkit_is_linked_by_its_address_as_username(app, scim, make_user):
    person = make_user(Role.EMPLOYEE, email="lee@example.com", name="Lee Park")
    response = scim.user("Lee@Example.com", "lee@example.com")
    assert response.status_code == 201 and response.get_json()["id"] == str(person.id)
    again = scim.user("lee@example.com", "lee@example.com")
    assert again.status_code == 409  # now provisioned: a second create is a duplicate


def test_users_are_found_by_username_and_email_and_paged(app, scim):
    for number in range(5):
        scim.user(f"person-{number}", f"person{number}@example.com")
    found = scim("GET", '/Users?filter=userName eq "PERSON-3"').get_json()
    assert found["totalResults"] == 1 and found["Resources"][0]["userName"] == "person-3"
    by_email = scim("GET", '/Users?filter=emails.value eq "person4@example.com"').get_json()
    assert [r["userName"] for r in by_email["Resources"]] == ["person-4"]
    assert (
        scim("GET", '/Users?filter=emails eq "nobody@example.com"').get_json()["totalResults"] == 0
    )
    paged = scim("GET", "/Users?startIndex=2&count=2").get_json()
    assert (paged["totalResults"], paged["startIndex"], paged["itemsPerPage"]) == (5, 2, 2)
    assert [r["userName"] for r in paged["Resources"]] == ["person-1", "person-2"]
    searched = scim(
        "POST", "/Users/.search", {"filter": 'userName eq "person-0"', "attributes": ["userName"]}
    )
    assert searched.get_json()["Resources"] == [
        {"schemas": [USER], "id": searched.get_json()["Resources"][0]["id"], "userName": "person-0"}
    ]


def test_an_unsupported_filter_is_a_scim_error(scim):
    response = scim("GET", '/Users?filter=name.givenName sw "S"')
    assert response.status_code == 400
    assert response.get_json()["scimType"] == "invalidFilter"


def test_replacing_a_user(app, scim):
    user_id = scim.user("sam", "sam@example.com").get_json()["id"]
    body = {
        "schemas": [USER],
        "userName": "sam.p",
        "displayName": "Samuel Patel",
        "emails": [{"value": "samuel@example.com"}],
        "active": True,
    }
    response = scim("PUT", f"/Users/{user_id}", body)
    assert response.status_code == 200
    assert stored(app, "samuel@example.com")["name"] == "Samuel Patel"
    assert stored(app, "sam@example.com") is None


def test_deactivating_through_scim_signs_the_person_out_everywhere(app, scim, make_user):
    person = make_user(Role.EMPLOYEE, email="sam@example.com")
    browsers = [app.test_client(), app.test_client()]
    for browser in browsers:
        assert login(browser, person).status_code == 302
    with app.test_request_context():
        from coachkit.auth import password_links

        password_links.issue(db.session.get(User, person.id), issued_by=None)
        db.session.commit()
    response = scim.patch(
        f"/Users/{person.id}", {"op": "Replace", "path": "active", "value": "False"}
    )
    assert response.status_code == 200 and response.get_json()["active"] is False
    for browser in browsers:
        assert_signed_out(browser)
    assert login(app.test_client(), person).status_code == 200  # refused
    with app.app_context():
        assert db.session.scalar(select(func.count(AuthSession.id))) == 0
        assert db.session.scalar(select(func.count(PasswordLink.id))) == 0
    assert ("token Entra ID", "deactivated", "User") in audited(app)
    scim.patch(f"/Users/{person.id}", {"op": "replace", "value": {"active": True}})
    assert login(app.test_client(), person).status_code == 302


def test_patch_ignores_attributes_coachkit_does_not_keep(app, scim):
    user_id = scim.user("sam", "sam@example.com", displayName="Sam").get_json()["id"]
    response = scim.patch(
        f"/Users/{user_id}",
        {"op": "replace", "path": "name.givenName", "value": "Samuel"},
        {"op": "replace", "path": "displayName", "value": "Samuel Patel"},
    )
    assert response.status_code == 200
    assert stored(app, "sam@example.com")["name"] == "Samuel Patel"


def test_deleting_a_user_deactivates_and_creating_again_brings_them_back(app, scim, make_user):
    user_id = scim.user("sam", "sam@example.com").get_json()["id"]
    assert scim("DELETE", f"/Users/{user_id}").status_code == 204
    assert scim("GET", f"/Users/{user_id}").status_code == 404
    assert stored(app, "sam@example.com")["active"] is False
    assert scim("GET", "/Users").get_json()["totalResults"] == 0
    again = scim.user("sam", "sam@example.com")
    assert again.status_code == 201 and again.get_json()["id"] == user_id
    assert stored(app, "sam@example.com")["active"] is True


@pytest.mark.parametrize("path", ["/Users/999999", "/Users/abc", "/Users/99999999999999"])
def test_unknown_users_are_scim_404s(scim, path):
    response = scim("GET", path)
    assert response.status_code == 404
    assert response.content_type == SCIM_JSON
    assert response.get_json()["status"] == "404"
