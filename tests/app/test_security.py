"""Security headers, error pages, body limits, redirects and the health check."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, select

from coachkit.auth.access import public
from coachkit.auth.models import AuthSession, LoginAttempt, Role, User
from coachkit.extensions import db
from coachkit.security import safe_next
from coachkit.teams.models import Team
from tests.conftest import login


def test_security_headers_on_pages(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_signed_in_pages_are_not_cached(client, make_user):
    login(client, make_user())
    assert client.get("/").headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_lax(client, make_user):
    response = login(client, make_user())
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_session_cookie_is_secure(app_factory, make_user):
    app = app_factory(SESSION_COOKIE_SECURE=True)
    person = make_user()
    response = app.test_client().post(
        "/login",
        data={"email": person.email, "password": person.password},
        base_url="https://coachkit.test",
    )
    assert "Secure" in response.headers["Set-Cookie"]


def test_healthz_is_plain_cheap_and_public(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "ok\n"
    assert "Set-Cookie" not in response.headers


def test_not_found_page_is_friendly(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_gone_link_page_is_kind(client):
    response = client.get("/set-password/expired-or-made-up")
    assert response.status_code == 410
    assert "Ask the administrator who sent it" in response.get_data(as_text=True)


def test_set_password_page_sends_no_referrer(app, client, make_user):
    from coachkit.auth import password_links

    person = make_user(password=None)
    with app.test_request_context():
        url, _ = password_links.issue(db.session.get(User, person.id), issued_by=None)
        db.session.commit()
    response = client.get(url.removeprefix("https://coachkit.test"))
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_server_error_rolls_back_and_shows_a_friendly_page(app_factory):
    app = app_factory(PROPAGATE_EXCEPTIONS=False)

    @public
    def explode():
        db.session.add(User(email="half@example.com", name="Half", role=Role.EMPLOYEE))
        db.session.flush()
        raise RuntimeError("boom")

    app.add_url_rule("/explode", "explode", explode)
    response = app.test_client().get("/explode")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.get_data(as_text=True)
    assert "boom" not in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_oversized_body_is_refused(client):
    response = client.post("/login", data={"email": "a@example.com", "password": "x" * 3_000_000})
    assert response.status_code == 413


def test_forged_host_is_refused_when_trusted_hosts_set(app_factory):
    app = app_factory(TRUSTED_HOSTS=["coachkit.test"], PROPAGATE_EXCEPTIONS=False)
    client = app.test_client()
    assert client.get("/login", base_url="http://coachkit.test").status_code == 200
    assert client.get("/login", base_url="http://evil.example").status_code == 400


@pytest.mark.parametrize("target", ["/", "/teams/3", "/people/?q=a"])
def test_safe_next_keeps_site_paths(target):
    assert safe_next(target) == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "javascript:alert(1)",
        "/\x00x",
        "evil.example/path",
        "/a\\b",
    ],
)
def test_safe_next_refuses_other_sites(target):
    assert safe_next(target) is None


@pytest.mark.parametrize(
    "path", ["/teams/99999999999999999999", "/people/99999999999999999999/edit"]
)
def test_huge_ids_are_not_found_not_errors(client, make_user, path):
    login(client, make_user(Role.ADMIN))
    assert client.get(path).status_code == 404


def test_huge_page_number_is_clamped(client, make_user):
    login(client, make_user(Role.ADMIN))
    assert client.get("/people/?page=99999999999999999999").status_code == 200


@pytest.mark.parametrize("query", ["/people/?q=a%00b", "/people/?role=%00"])
def test_nul_bytes_in_queries_are_bad_requests(client, make_user, query):
    login(client, make_user(Role.ADMIN))
    assert client.get(query).status_code == 400


def test_nul_bytes_in_forms_are_bad_requests(client):
    response = client.post("/login", data={"email": "a\x00@example.com", "password": "x"})
    assert response.status_code == 400


def test_a_nul_byte_in_a_repeated_query_key_is_a_bad_request_and_signs_nobody_in(
    app, client, make_user
):
    """A view reads the first `next`; the second one must not slip past the check."""
    person = make_user()
    response = client.post(
        "/login?next=/&next=%00", data={"email": person.email, "password": person.password}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuthSession)) == 0
        assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 0


def test_a_nul_byte_in_a_repeated_form_key_is_a_bad_request_and_saves_nothing(
    app, client, make_user
):
    admin, manager = make_user(Role.ADMIN), make_user(Role.MANAGER)
    login(client, admin)
    response = client.post(
        "/teams/new", data={"name": ["Care", "Ca\x00re"], "manager": str(manager.id)}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Team)) == 0


SIGN_OUT_TOKEN = re.compile(r'<input type="hidden" name="csrf_token" value="([^"]+)">')


def sign_out_tokens(app, person, visits: int = 2) -> tuple[Any, list[str]]:
    """A signed-in client and the sign-out form's token on each of `visits` pages."""
    client = app.test_client()
    assert login(client, person).status_code == 302
    tokens = []
    for _ in range(visits):
        found = SIGN_OUT_TOKEN.search(client.get("/").get_data(as_text=True))
        assert found is not None
        tokens.append(found[1])
    return client, tokens


def test_a_pages_token_signs_its_form_and_each_sign_in_has_its_own(app_factory, make_user):
    """The sign-out form posts with the token a page of its session carries (an earlier
    page's too: tokens last as long as the session); another session's token and a
    forged one are refused."""
    app = app_factory(WTF_CSRF_ENABLED=True)
    person = make_user()
    client, (first, again) = sign_out_tokens(app, person)
    other_client, (other, _) = sign_out_tokens(app, person)  # a second sign-in
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 400
    assert client.post("/logout", data={"csrf_token": other}).status_code == 400
    assert other_client.post("/logout", data={"csrf_token": again}).status_code == 400
    assert client.post("/logout", data={"csrf_token": first}).status_code == 302
