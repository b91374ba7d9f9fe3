"""Administrators list, create, edit and deactivate people; who may use those pages,
and their old addresses."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from coachkit.auth.models import AuthSession, PasswordLink, Role, User
from coachkit.extensions import db
from tests.conftest import login, page
from tests.people.conftest import (
    account,
    assert_signed_out,
    count,
    create,
    sign_in_admin,
    signs_in,
    user_id_for,
)

NEXT_PAGE = re.compile(r'<a href="([^"]+)">Next</a>')


def edit_form(person, **changes):
    """What the edit form posts for `person`, with `changes`; None leaves a field out."""
    data = {
        "name": person.name,
        "email": person.email,
        "role": person.role.value,
        "active": "y",
        **changes,
    }
    return {key: value for key, value in data.items() if value is not None}


# Listing and searching


def test_people_list_shows_everyone_with_role_and_status(client, make_user):
    sign_in_admin(client, make_user)
    make_user(Role.EMPLOYEE, name="Sam Patel", email="sam.patel@example.com")
    make_user(Role.RECRUITER, name="Rita Recruiter", active=False)
    text = page(client.get("/people/"))
    assert "Sam Patel" in text
    assert "sam.patel@example.com" in text
    assert "Rita Recruiter" in text
    assert "Deactivated" in text


@pytest.mark.parametrize("query", ["patel", "PATEL", "sam.patel@EXAMPLE"])
def test_search_matches_name_or_email_ignoring_case(client, make_user, query):
    sign_in_admin(client, make_user)
    make_user(Role.EMPLOYEE, name="Sam Patel", email="sam.patel@example.com")
    make_user(Role.EMPLOYEE, name="Maria Lopez", email="maria.lopez@example.com")
    text = page(client.get("/people/", query_string={"q": query}))
    assert "Sam Patel" in text
    assert "Maria Lopez" not in text


def test_search_without_matches_says_so(client, make_user):
    sign_in_admin(client, make_user)
    text = page(client.get("/people/", query_string={"q": "nobody-like-this"}))
    assert "No one matches that search." in text


def test_role_filter_shows_only_that_role(client, make_user):
    sign_in_admin(client, make_user)
    make_user(Role.MANAGER, name="Maria Lopez")
    make_user(Role.EMPLOYEE, name="Sam Patel")
    make_user(Role.RECRUITER, name="Rita Recruiter")
    text = page(client.get("/people/", query_string={"role": "manager"}))
    assert "Maria Lopez" in text
    assert "Sam Patel" not in text
    assert "Rita Recruiter" not in text


def test_role_filter_is_kept_on_the_next_page(client, make_user):
    sign_in_admin(client, make_user)
    for number in range(26):
        make_user(Role.EMPLOYEE, name=f"Employee {number:02d}")
    make_user(Role.MANAGER, name="Zed Manager")  # sorts last: page 2 if the filter is lost
    first = page(client.get("/people/", query_string={"role": "employee"}))
    assert "Page 1 of 2" in first
    second = page(client.get(NEXT_PAGE.search(first).group(1)))
    assert "Employee 25" in second
    assert "Zed Manager" not in second


def test_unknown_role_filter_is_not_a_server_error(client, make_user):
    sign_in_admin(client, make_user)
    make_user(Role.EMPLOYEE, name="Ezra Employee")
    response = client.get("/people/", query_string={"role": "superuser"})
    assert response.status_code == 200
    assert "Ezra Employee" in page(response)  # the unknown filter is ignored


def test_search_treats_wildcards_literally(client, make_user):
    sign_in_admin(client, make_user)
    make_user(Role.EMPLOYEE, name="Ezra Employee")
    make_user(Role.EMPLOYEE, name="100% Agent")
    body = page(client.get("/people/", query_string={"q": "%"}))
    assert "100% Agent" in body
    assert "Ezra Employee" not in body


def test_role_change_that_breaks_a_team_is_refused(app, client, make_user, make_team):
    sign_in_admin(client, make_user)
    manager = make_user(Role.MANAGER, name="Maya Okafor")
    make_team("Customer Care", [manager])
    response = client.post(
        f"/people/{manager.id}/edit",
        data={"name": manager.name, "email": manager.email, "role": "employee", "active": "y"},
    )
    assert "Maya Okafor is a manager of Customer Care" in page(response)
    assert account(app, manager.id)[2] == Role.MANAGER


# Creating an account


def test_admin_creates_account_with_normalised_email(app, client, make_user):
    sign_in_admin(client, make_user)
    response = create(client, name="  Sam Patel ", email="Sam.Patel@Example.COM", role="manager")
    assert response.status_code == 200
    assert "Account created for Sam Patel" in page(response)
    user_id = user_id_for(app, "sam.patel@example.com")
    assert account(app, user_id) == ("sam.patel@example.com", "Sam Patel", Role.MANAGER, True, None)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "SAM.PATEL@Example.com"}, "Another account already uses this e-mail address."),
        ({"name": ""}, "Enter the person's name."),
        ({"name": "   "}, "Enter the person's name."),
        ({"email": ""}, "Enter an e-mail address."),
        ({"email": "not-an-address"}, "Enter a valid e-mail address, like name@example.com."),
        ({"role": "superuser"}, "Choose one of the listed roles."),
    ],
)
def test_create_with_bad_input_shows_error_and_saves_nothing(
    app, client, make_user, fields, message
):
    sign_in_admin(client, make_user)
    make_user(Role.EMPLOYEE, name="Sam Original", email="sam.patel@example.com")
    users_before = count(app, User.id)
    data = {"name": "Sam Newcomer", "email": "sam.new@example.com", **fields}
    response = create(client, **data)
    assert response.status_code == 200
    assert message in page(response)
    assert count(app, User.id) == users_before
    assert count(app, PasswordLink.id) == 0


def test_create_with_duplicate_email_keeps_what_was_typed(client, make_user):
    sign_in_admin(client, make_user)
    make_user(email="sam.patel@example.com")
    response = create(client, name="Samantha Patel-Jones", email="Sam.Patel@example.com")
    assert 'value="Samantha Patel-Jones"' in response.get_data(as_text=True)


# Editing


def test_admin_edits_name_email_and_role(app, client, make_user):
    sign_in_admin(client, make_user)
    person = make_user(Role.EMPLOYEE, name="Sam Patel")
    response = client.post(
        f"/people/{person.id}/edit",
        data=edit_form(
            person, name="Samuel Patel", email="Samuel.Patel@Example.com", role="manager"
        ),
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/people/"
    assert account(app, person.id)[:4] == (
        "samuel.patel@example.com",
        "Samuel Patel",
        Role.MANAGER,
        True,
    )


def test_keeping_the_same_email_is_not_a_clash(app, client, make_user):
    sign_in_admin(client, make_user)
    person = make_user(Role.EMPLOYEE, name="Sam Patel")
    response = client.post(f"/people/{person.id}/edit", data=edit_form(person, name="Samuel Patel"))
    assert response.status_code == 302
    assert account(app, person.id).name == "Samuel Patel"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": "Maria.Lopez@EXAMPLE.com"}, "Another account already uses this e-mail address."),
        ({"name": ""}, "Enter the person's name."),
        ({"email": ""}, "Enter an e-mail address."),
        ({"email": "sam at example"}, "Enter a valid e-mail address, like name@example.com."),
        ({"role": "owner"}, "Choose one of the listed roles."),
    ],
)
def test_edit_with_bad_input_shows_error_and_saves_nothing(
    app, client, make_user, changes, message
):
    sign_in_admin(client, make_user)
    make_user(Role.MANAGER, name="Maria Lopez", email="maria.lopez@example.com")
    person = make_user(Role.EMPLOYEE, name="Sam Patel", email="sam.patel@example.com")
    before = account(app, person.id)
    data = edit_form(
        person, **{"name": "Samuel Patel", "role": "manager", "active": None, **changes}
    )
    response = client.post(f"/people/{person.id}/edit", data=data)
    assert response.status_code == 200
    assert message in page(response)
    assert account(app, person.id) == before


def test_admin_cannot_remove_own_admin_role(app, client, make_user):
    admin = sign_in_admin(client, make_user)
    response = client.post(f"/people/{admin.id}/edit", data=edit_form(admin, role="manager"))
    assert response.status_code == 200
    assert "You cannot remove your own administrator access." in page(response)
    assert account(app, admin.id).role == Role.ADMIN
    assert client.get("/people/").status_code == 200


def test_admin_cannot_deactivate_self_through_edit_form(app, client, make_user):
    admin = sign_in_admin(client, make_user)
    response = client.post(f"/people/{admin.id}/edit", data=edit_form(admin, active=None))
    assert response.status_code == 200
    assert "You cannot remove your own administrator access." in page(response)
    assert account(app, admin.id).active is True
    assert client.get("/people/").status_code == 200


def test_admin_cannot_deactivate_self_with_the_button(app, client, make_user):
    admin = sign_in_admin(client, make_user)
    response = client.post(f"/people/{admin.id}/deactivate", follow_redirects=True)
    assert "You cannot deactivate your own account." in page(response)
    assert account(app, admin.id).active is True
    assert client.get("/people/").status_code == 200


def test_deactivate_button_signs_the_person_out_everywhere(app, client, make_user):
    sign_in_admin(client, make_user)
    person = make_user(Role.EMPLOYEE)
    theirs = app.test_client()
    login(theirs, person)
    response = client.post(f"/people/{person.id}/deactivate")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/people/{person.id}/edit"
    assert account(app, person.id).active is False
    assert_signed_out(theirs)
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count(AuthSession.id)).where(AuthSession.user_id == person.id)
            )
            == 0
        )


def test_deactivating_through_edit_form_signs_the_person_out(app, client, make_user):
    sign_in_admin(client, make_user)
    person = make_user(Role.EMPLOYEE)
    theirs = app.test_client()
    login(theirs, person)
    response = client.post(f"/people/{person.id}/edit", data=edit_form(person, active=None))
    assert response.status_code == 302
    assert account(app, person.id).active is False
    assert_signed_out(theirs)


def test_reactivated_person_can_sign_in_again(app, client, make_user):
    sign_in_admin(client, make_user)
    person = make_user(Role.EMPLOYEE, active=False)
    client.post(f"/people/{person.id}/edit", data=edit_form(person))
    assert account(app, person.id).active is True
    assert signs_in(app, person.email, person.password)


# Who may use the people pages

ADMIN_ROUTES = [
    ("GET", "/people/"),
    ("GET", "/people/new"),
    ("POST", "/people/new"),
    ("GET", "/people/{id}/edit"),
    ("POST", "/people/{id}/edit"),
    ("POST", "/people/{id}/deactivate"),
    ("POST", "/people/{id}/password-link"),
    ("GET", "/admin/users/"),
    ("GET", "/admin/users/new"),
    ("GET", "/admin/users/{id}/edit"),
]
# What someone trying their luck would post: a new admin account, or the target promoted.
ATTEMPT = {"name": "Mallory", "email": "mallory@example.com", "role": "admin", "active": "y"}


@pytest.mark.parametrize("role", [Role.MANAGER, Role.EMPLOYEE, Role.RECRUITER])
@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
def test_other_roles_are_refused_admin_routes(app, client, make_user, role, method, path):
    target = make_user(Role.EMPLOYEE, name="Sam Patel")
    login(client, make_user(role))
    before = account(app, target.id)
    users_before = count(app, User.id)
    data = ATTEMPT if method == "POST" else None
    response = client.open(path.format(id=target.id), method=method, data=data)
    assert response.status_code == 403
    assert account(app, target.id) == before
    assert count(app, User.id) == users_before
    assert count(app, PasswordLink.id) == 0


@pytest.mark.parametrize(("method", "path"), ADMIN_ROUTES)
def test_anonymous_visitors_are_sent_to_sign_in(app, client, make_user, method, path):
    target = make_user(Role.EMPLOYEE, name="Sam Patel")
    before = account(app, target.id)
    data = ATTEMPT if method == "POST" else None
    response = client.open(path.format(id=target.id), method=method, data=data)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert account(app, target.id) == before
    assert count(app, PasswordLink.id) == 0


# The addresses before the pages moved to /people/ (bookmarks)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/admin/users/", "/people/"),
        ("/admin/users/?q=patel&role=employee", "/people/?q=patel&role=employee"),
        ("/admin/users/new", "/people/new"),
        ("/admin/users/{id}/edit", "/people/{id}/edit"),
    ],
)
def test_old_addresses_redirect_permanently_to_the_people_pages(client, make_user, old, new):
    admin = sign_in_admin(client, make_user)
    response = client.get(old.format(id=admin.id))
    assert response.status_code == 301
    assert response.headers["Location"] == new.format(id=admin.id)


def test_a_signed_out_bookmark_leads_to_the_page_after_sign_in(client, make_user):
    admin = make_user(Role.ADMIN, name="Ada Admin")
    bookmark = f"/admin/users/{admin.id}/edit"
    response = client.get(bookmark)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    signed_in = client.post(
        "/login", data={"email": admin.email, "password": admin.password, "next": bookmark}
    )
    assert signed_in.headers["Location"] == bookmark
    page_reached = client.get(bookmark, follow_redirects=True)
    assert page_reached.request.path == f"/people/{admin.id}/edit"
    assert "Edit Ada Admin" in page(page_reached)


@pytest.mark.parametrize(
    "path", ["/admin/users/new", "/admin/users/{id}/edit", "/admin/users/{id}/deactivate"]
)
def test_old_addresses_take_no_posts(app, client, make_user, path):
    sign_in_admin(client, make_user)
    target = make_user(Role.EMPLOYEE, name="Sam Patel")
    before, users_before = account(app, target.id), count(app, User.id)
    response = client.post(path.format(id=target.id), data=ATTEMPT)
    assert response.status_code in (404, 405)
    assert account(app, target.id) == before
    assert count(app, User.id) == users_before
