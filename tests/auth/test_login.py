"""Sign in, sign out, server-side sessions, throttling and password changes."""

from __future__ import annotations

from sqlalchemy import func, select

from coachkit.auth.models import AuthSession, LoginAttempt, Role
from coachkit.extensions import db
from tests.conftest import login, logout


def test_login_with_right_password_lands_on_home(client, make_user):
    person = make_user(Role.EMPLOYEE, name="Sam Patel")
    response = login(client, person)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Sam Patel" in client.get("/").get_data(as_text=True)


def test_email_is_matched_case_insensitively(client, make_user):
    person = make_user(email="sam@example.com")
    assert login(client, "  SAM@Example.com ", person.password).status_code == 302


def test_unknown_user_and_wrong_password_get_the_same_message(client, make_user):
    person = make_user()
    wrong = login(client, person, "not the right password")
    unknown = login(client, "nobody@example.com", "not the right password")
    assert wrong.status_code == unknown.status_code == 200
    message = "That e-mail and password do not match an active account."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)


def test_deactivated_user_cannot_sign_in(client, make_user):
    person = make_user(active=False)
    response = login(client, person)
    assert response.status_code == 200
    assert client.get("/").status_code == 302


def test_user_without_password_cannot_sign_in(client, make_user):
    person = make_user(password=None)
    assert login(client, person, "anything at all here").status_code == 200


def test_login_form_with_missing_fields_shows_errors(client):
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 200
    assert "This field is required." in response.get_data(as_text=True)


def test_next_parameter_is_followed_only_on_site(client, make_user):
    person = make_user(Role.ADMIN)
    data = {"email": person.email, "password": person.password, "next": "/people/"}
    assert client.post("/login", data=data).headers["Location"] == "/people/"
    logout(client)
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        data["next"] = evil
        assert client.post("/login", data=data).headers["Location"] == "/"
        logout(client)


def test_protected_page_redirects_to_login_with_next(client):
    response = client.get("/people/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_logout_ends_the_session_on_the_server(app, client, make_user):
    person = make_user()
    login(client, person)
    cookie = client.get_cookie("session").value
    assert logout(client).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count(AuthSession.id))) == 0
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    response = replay.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_login_starts_a_fresh_session(client, make_user):
    person = make_user()
    client.get("/login")
    client.set_cookie("session", "attacker-chosen-value")
    login(client, person)
    assert client.get_cookie("session").value != "attacker-chosen-value"


def test_signing_in_sets_the_cookie_that_later_pages_keep(app_factory, make_user):
    """Signing in makes a new CSRF token with the new session, so later pages (forms
    included) need not send a new cookie, and the token from before is not reused."""
    app = app_factory(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    serializer = app.session_interface.get_signing_serializer(app)
    client.get("/login")
    before = serializer.loads(client.get_cookie("session").value)
    response = login(client, make_user())
    assert "session=" in response.headers["Set-Cookie"]
    after = serializer.loads(client.get_cookie("session").value)
    assert after["csrf_token"] and after["csrf_token"] != before["csrf_token"]
    for path in ("/", "/account"):  # the account page has forms
        response = client.get(path)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers, path


def test_logout_requires_post(client, make_user):
    login(client, make_user())
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_throttling_after_repeated_failures_per_account(app, client, make_user):
    person = make_user()
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        assert login(client, person, "wrong password again").status_code == 200
    response = login(client, person)  # even the right password is refused now
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_throttling_counts_unknown_accounts_the_same(app, client):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
    for _ in range(limit):
        login(client, "ghost@example.com", "wrong password again")
    assert login(client, "ghost@example.com", "wrong password again").status_code == 429


def test_throttling_per_address_across_accounts(app_factory, make_user):
    app = app_factory(LOGIN_MAX_FAILURES_PER_ADDRESS=3)
    client = app.test_client()
    for number in range(3):
        login(client, f"guess{number}@example.com", "wrong password again")
    person = make_user()
    assert login(client, person).status_code == 429


def test_throttle_is_counted_in_the_database(app, client, make_user):
    """Another app server (a second app on the same database) sees the same count."""
    person = make_user()
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        login(client, person, "wrong password again")
    with app.app_context():
        failures = db.session.scalar(
            select(func.count(LoginAttempt.id)).where(
                LoginAttempt.email == person.email, LoginAttempt.succeeded.is_(False)
            )
        )
    assert failures == app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]


def test_successful_login_clears_earlier_failures(app, client, make_user):
    person = make_user()
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] - 1):
        login(client, person, "wrong password again")
    assert login(client, person).status_code == 302
    logout(client)
    login(client, person, "wrong password again")
    assert login(client, person).status_code == 302


def test_parallel_guesses_never_exceed_the_limit(app, make_user):
    """Each guess is counted before it is checked, so a burst cannot slip past the limit."""
    from concurrent.futures import ThreadPoolExecutor

    person = make_user()
    limit = app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]

    def guess(number: int) -> int:
        response = login(app.test_client(), person, f"wrong guess number {number}")
        return response.status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(guess, range(16)))
    assert statuses.count(200) <= limit  # at most `limit` guesses were checked
    assert statuses.count(429) >= 16 - limit
    assert login(app.test_client(), person).status_code == 429
