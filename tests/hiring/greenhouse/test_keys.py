"""Partner keys: admins make them on the Greenhouse page (shown once, stored as a
digest) or on the command line, and revoke them; the page also shows what Greenhouse
reported it could not accept. Nobody else reaches the page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from coachkit.auth.models import Role
from coachkit.auth.sessions import token_digest
from coachkit.extensions import db
from coachkit.hiring.greenhouse.models import PartnerKey
from tests.conftest import page, signed_in
from tests.hiring.greenhouse.conftest import Greenhouse, make_key

SHOWN = re.compile(r'id="new-key" class="copy-field" type="text" readonly value="([^"]+)"')
PAGE = "/admin/greenhouse/"


def test_an_admin_makes_a_key_shown_once_and_stored_hashed(app, live, make_user):
    admin = signed_in(app, make_user(Role.ADMIN))
    response = admin.post(PAGE, data={"name": "Greenhouse (Acme)"})
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    plain = SHOWN.search(response.get_data(as_text=True)).group(1)
    assert plain.startswith("coachkit_gh_")
    later = page(admin.get(PAGE))
    assert plain not in later and "Greenhouse (Acme)" in later
    with app.app_context():
        [stored] = db.session.scalars(select(PartnerKey)).all()
        assert stored.key_hash == token_digest(plain) and stored.created_by_id is not None
    assert Greenhouse(live, plain).list_tests().status_code == 200


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Name the key after who will use it."), ("x" * 121, "Use at most 120 characters.")],
)
def test_a_bad_key_name_shows_the_error_and_makes_nothing(app, make_user, name, message):
    admin = signed_in(app, make_user(Role.ADMIN))
    response = admin.post(PAGE, data={"name": name})
    assert response.status_code == 200
    assert 'id="name-error"' in response.get_data(as_text=True)
    assert message in page(response)
    assert f'value="{name}"' in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(select(PartnerKey)).all() == []


def test_a_revoked_key_stops_working(app, live, make_user, key):
    greenhouse = Greenhouse(live, key)
    assert greenhouse.list_tests().status_code == 200
    admin = signed_in(app, make_user(Role.ADMIN))
    with app.app_context():
        key_id = db.session.scalar(select(PartnerKey.id))
    assert "Revoke “Greenhouse”" in page(admin.get(PAGE))
    response = admin.post(f"{PAGE}{key_id}/revoke", follow_redirects=True)
    assert "The key “Greenhouse” is revoked: it works no more." in page(response)
    assert "Revoked" in page(response)
    assert greenhouse.list_tests().status_code == 401


@pytest.mark.parametrize("role", [Role.RECRUITER, Role.MANAGER, Role.EMPLOYEE])
def test_only_admins_reach_the_keys_page(app, make_user, key, role):
    other = signed_in(app, make_user(role))
    assert other.get(PAGE).status_code == 403
    assert other.post(PAGE, data={"name": "Mine"}).status_code == 403
    assert other.post(f"{PAGE}1/revoke").status_code == 403
    anonymous = app.test_client()
    assert anonymous.get(PAGE).headers["Location"].startswith("/login")
    with app.app_context():
        assert [k.name for k in db.session.scalars(select(PartnerKey))] == ["Greenhouse"]
        assert db.session.scalar(select(PartnerKey.revoked_at)) is None


def test_the_keys_page_runs_as_many_queries_whatever_it_lists(
    app, make_user, greenhouse, count_queries
):
    admin = signed_in(app, make_user(Role.ADMIN))
    report = {"api_call": "list_tests", "errors": ["not a list"]}
    greenhouse.response_error(report)
    few = count_queries(lambda: admin.get(PAGE))
    for number in range(5):
        make_key(app, f"Key {number}")
        greenhouse.response_error(report)
    assert count_queries(lambda: admin.get(PAGE)) == few


def test_a_cookie_session_is_no_partner_key(app, make_user):
    admin = signed_in(app, make_user(Role.ADMIN))
    assert admin.get("/api/greenhouse/list_tests").status_code == 401


def test_response_errors_are_shown_to_admins(app, greenhouse, make_user):
    greenhouse.response_error(
        {
            "api_call": "test_status",
            "errors": ["partner_score must be a number", "<script>alert(1)</script>"],
            "partner_interview_id": "77",
        }
    )
    html = signed_in(app, make_user(Role.ADMIN)).get(PAGE).get_data(as_text=True)
    assert "partner_score must be a number" in html
    assert "<script>alert(1)</script>" not in html
    assert "test_status" in html and ">77<" in html


def test_keys_on_the_command_line(app, live):
    runner = app.test_cli_runner()
    made = runner.invoke(args=["greenhouse", "key", "create", "--name", "Greenhouse"])
    assert made.exit_code == 0, made.output
    plain = made.output.strip().splitlines()[-1]
    assert Greenhouse(live, plain).list_tests().status_code == 200
    listed = runner.invoke(args=["greenhouse", "key", "list"])
    assert "Greenhouse" in listed.output and "live" in listed.output
    assert plain not in listed.output
    revoked = runner.invoke(args=["greenhouse", "key", "revoke", "--name", "Greenhouse"])
    assert revoked.exit_code == 0 and "Revoked 1 key." in revoked.output
    assert Greenhouse(live, plain).list_tests().status_code == 401
    again = runner.invoke(args=["greenhouse", "key", "revoke", "--id", "1"])
    assert again.exit_code == 1 and "No live key matches." in again.output
    assert runner.invoke(args=["greenhouse", "key", "create", "--name", " "]).exit_code == 2
