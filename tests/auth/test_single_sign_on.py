"""Single sign-on with OpenID Connect against a real provider on loopback (the npm
package oidc-provider): the authorization code flow with PKCE, an account linked only
by a verified e-mail address of an allowed domain, deactivated accounts refused, state
used once and bound to the browser, the callback throttled, and sign-out.

What a real provider never sends (an expired ID token, one for another audience or
with another nonce, a bad signature) comes from `ForgedIssuer`, a provider whose keys
and token endpoint are real and whose ID tokens the test writes."""

from __future__ import annotations

import logging
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from joserfc.jwk import RSAKey
from sqlalchemy import func, select

from coachkit.auth.models import AuthSession, OidcRequest, Role, User
from coachkit.extensions import db
from tests.conftest import login, page
from tests.identity_provider import ForgedIssuer, sign_in_at

CALLBACK = "https://coachkit.test/login/oidc/callback"
DOMAINS = ("example.com",)


@pytest.fixture(scope="session")
def registered(oidc_provider):
    """coachkit's client at the provider, coming back to the test apps' callback."""
    return oidc_provider.register(CALLBACK)


@pytest.fixture
def sso_app(app_factory, oidc_provider, registered):
    def build(**extra):
        client_id, secret = registered
        return app_factory(
            OIDC_ISSUER=oidc_provider.issuer,
            OIDC_CLIENT_ID=client_id,
            OIDC_CLIENT_SECRET=secret,
            OIDC_ALLOWED_DOMAINS=DOMAINS,
            **extra,
        )

    return build


@pytest.fixture
def forged(app_factory):
    issuer = ForgedIssuer()
    app = app_factory(
        OIDC_ISSUER=issuer.issuer,
        OIDC_CLIENT_ID=issuer.client_id,
        OIDC_CLIENT_SECRET=issuer.client_secret,
        OIDC_ALLOWED_DOMAINS=DOMAINS,
    )
    yield issuer, app
    issuer.stop()


def start(client, next_path=""):
    response = client.post("/login/oidc", data={"next": next_path})
    assert response.status_code == 302, response.status_code
    return response.headers["Location"]


def local(url):
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def provider_callback(client, login_name):
    """Start in `client`, sign in at the provider; the callback URL (not yet opened)."""
    return sign_in_at(start(client), login_name, CALLBACK)


def sso(client, login_name):
    return client.get(local(provider_callback(client, login_name)))


def sessions_of(app, email):
    with app.app_context():
        return db.session.scalar(
            select(func.count(AuthSession.id))
            .join(User, User.id == AuthSession.user_id)
            .where(User.email == email)
        )


def subject_of(app, email):
    with app.app_context():
        return db.session.scalar(select(User.oidc_subject).where(User.email == email))


def test_the_sign_in_page_shows_the_button_with_its_label(sso_app):
    app = sso_app(OIDC_BUTTON_LABEL="Sign in with Contoso")
    text = page(app.test_client().get("/login"))
    assert 'action="/login/oidc"' in text
    assert "Sign in with Contoso</button>" in text
    assert 'name="password"' in text  # passwords stay on by default


def test_the_provider_is_asked_for_a_code_with_pkce_state_and_nonce(sso_app, registered):
    app = sso_app()
    query = parse_qs(urlsplit(start(app.test_client())).query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == [registered[0]]
    assert query["redirect_uri"] == [CALLBACK]
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43
    assert len(query["state"][0]) >= 43 and len(query["nonce"][0]) >= 43
    assert "openid" in query["scope"][0].split() and "email" in query["scope"][0].split()


def test_a_known_person_signs_in_and_is_linked(sso_app, make_user):
    app = sso_app()
    person = make_user(Role.EMPLOYEE, email="sam.patel@example.com", name="Sam Patel")
    client = app.test_client()
    before = client.get_cookie("session")
    response = sso(client, "sam")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get_cookie("session").value != (before.value if before else None)
    assert sessions_of(app, person.email) == 1
    assert subject_of(app, person.email) == "sam"
    with app.app_context():  # the sign-in's state is used up
        assert db.session.scalar(select(func.count(OidcRequest.id))) == 0


def test_sign_in_goes_on_to_the_page_asked_for(sso_app, make_user):
    app = sso_app()
    make_user(Role.EMPLOYEE, email="sam.patel@example.com")
    client = app.test_client()
    response = client.get(local(sign_in_at(start(client, "/account"), "sam", CALLBACK)))
    assert response.headers["Location"] == "/account"


def test_signing_in_again_rotates_the_session(sso_app, make_user):
    app = sso_app()
    make_user(Role.EMPLOYEE, email="sam.patel@example.com")
    first, second = app.test_client(), app.test_client()
    sso(first, "sam")
    sso(second, "sam")
    assert first.get_cookie("session").value != second.get_cookie("session").value
    assert sessions_of(app, "sam.patel@example.com") == 2


def refused(response, text):
    assert response.status_code == 403, response.status_code
    assert text in page(response)


def test_an_unverified_email_is_refused(sso_app, make_user):
    app = sso_app()
    make_user(Role.EMPLOYEE, email="una.verified@example.com")
    refused(sso(app.test_client(), "una"), "has not verified your e-mail address")
    assert sessions_of(app, "una.verified@example.com") == 0
    assert subject_of(app, "una.verified@example.com") is None


def test_an_email_of_another_domain_is_refused(sso_app, make_user):
    app = sso_app(OIDC_BUTTON_LABEL="Sign in with Contoso")
    make_user(Role.EMPLOYEE, email="olive@elsewhere.org")
    refused(
        sso(app.test_client(), "olive"),
        "Sign-in with Sign in with Contoso is for addresses at example.com",
    )
    assert sessions_of(app, "olive@elsewhere.org") == 0


def test_a_deactivated_account_is_refused(sso_app, make_user):
    app = sso_app()
    make_user(Role.EMPLOYEE, email="dee.active@example.com", active=False)
    refused(sso(app.test_client(), "dee"), "Your coachkit account is deactivated.")
    assert sessions_of(app, "dee.active@example.com") == 0


def test_someone_without_an_account_is_refused_unless_accounts_are_created(sso_app):
    refused(sso(sso_app().test_client(), "nell"), "There is no coachkit account for")
    app = sso_app(OIDC_CREATE_ACCOUNTS=True)
    assert sso(app.test_client(), "nell").status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "nell.new@example.com"))
        assert (user.name, user.role, user.password_hash) == ("Nell New", Role.EMPLOYEE, None)


def test_an_account_linked_to_another_subject_is_refused(sso_app, make_user):
    app = sso_app()
    person = make_user(Role.EMPLOYEE, email="sam.patel@example.com")
    with app.app_context():
        db.session.get(User, person.id).oidc_subject = "someone-else"
        db.session.commit()
    refused(sso(app.test_client(), "sam"), "is linked to another identity")


def test_a_replayed_callback_is_refused(sso_app, make_user, caplog):
    app = sso_app()
    make_user(Role.EMPLOYEE, email="sam.patel@example.com")
    client = app.test_client()
    callback = local(provider_callback(client, "sam"))
    cookie_before = client.get_cookie("session").value
    assert client.get(callback).status_code == 302
    client.post("/logout")
    refused(client.get(callback), "That sign-in did not start in this browser")
    # With the cookie as it was before the callback, the state is found used up.
    copy = app.test_client()
    copy.set_cookie("session", cookie_before)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        refused(copy.get(callback), "That sign-in did not start in this browser")
    assert "single sign-on refused: state already used or expired" in caplog.messages
    assert sessions_of(app, "sam.patel@example.com") == 0


def test_a_callback_in_another_browser_is_refused(sso_app, make_user):
    """Login CSRF: someone else's callback link signs nobody in here."""
    app = sso_app()
    make_user(Role.EMPLOYEE, email="sam.patel@example.com")
    callback = local(provider_callback(app.test_client(), "sam"))
    victim = app.test_client()
    start(victim)  # even mid-way through a sign-in of their own
    refused(victim.get(callback), "That sign-in did not start in this browser")
    assert sessions_of(app, "sam.patel@example.com") == 0


def test_an_answer_without_a_code_or_with_an_error_is_refused(sso_app):
    app = sso_app()
    client = app.test_client()
    state = parse_qs(urlsplit(start(client)).query)["state"][0]
    refused(
        client.get(f"/login/oidc/callback?error=access_denied&state={state}"), "did not confirm"
    )
    state = parse_qs(urlsplit(start(client)).query)["state"][0]
    refused(client.get(f"/login/oidc/callback?state={state}&code=made-up"), "did not confirm")


def test_the_callback_is_throttled_per_address_but_allows_a_busy_office(sso_app, make_user):
    app = sso_app()
    make_user(Role.EMPLOYEE, email="sam.patel@example.com")
    client = app.test_client()
    answers = [client.get("/login/oidc/callback?state=x&code=y").status_code for _ in range(59)]
    assert set(answers) == {403}
    assert sso(client, "sam").status_code == 302  # the 60th this minute still gets through
    over = client.get("/login/oidc/callback?state=x&code=y")
    assert over.status_code == 429
    assert "Too many sign-in attempts from your network." in page(over)
    other = app.test_client()
    assert (
        other.get(
            "/login/oidc/callback?state=x&code=y", environ_base={"REMOTE_ADDR": "10.9.9.9"}
        ).status_code
        == 403
    )


def test_signing_out_offers_the_providers_sign_out(sso_app, make_user, oidc_provider):
    app = sso_app()
    make_user(Role.EMPLOYEE, email="sam.patel@example.com")
    client = app.test_client()
    sso(client, "sam")
    response = client.post("/logout", follow_redirects=True)
    text = page(response)
    assert "You are signed out." in text
    assert f'href="{oidc_provider.issuer}/session/end?client_id=' in text
    assert client.get("/").status_code == 302  # the coachkit session is over
    assert "Sign out there too" not in page(client.get("/login"))  # offered once


def test_a_password_sign_out_offers_no_provider_sign_out(sso_app, make_user):
    app = sso_app()
    person = make_user(Role.EMPLOYEE)
    client = app.test_client()
    login(client, person)
    assert "Sign out there too" not in page(client.post("/logout", follow_redirects=True))


def test_with_passwords_off_only_the_button_signs_in(sso_app, make_user):
    app = sso_app(PASSWORD_SIGN_IN=False)
    person = make_user(Role.EMPLOYEE)
    client = app.test_client()
    text = page(client.get("/login"))
    assert 'name="password"' not in text and 'action="/login/oidc"' in text
    response = login(client, person)
    assert response.status_code == 403
    assert "Sign-in with a password is turned off here" in page(response)
    assert client.get("/").status_code == 302


def test_without_an_issuer_there_is_no_single_sign_on(app):
    client = app.test_client()
    assert 'action="/login/oidc"' not in page(client.get("/login"))
    assert client.post("/login/oidc").status_code == 404
    assert client.get("/login/oidc/callback?state=x&code=y").status_code == 404


# ---------------------------------------------------------------- forged ID tokens


def forged_sign_in(app):
    """Start, let the forged provider's authorize endpoint answer, open the callback."""
    client = app.test_client()
    answer = requests.get(start(client), allow_redirects=False, timeout=10)
    return client.get(local(answer.headers["Location"]))


def test_a_well_formed_forged_token_signs_in(forged, make_user):
    """The forged provider is right when its tokens are: what the tests below change
    is all that makes them refused."""
    issuer, app = forged
    make_user(Role.EMPLOYEE, email="sam.patel@example.com")
    assert forged_sign_in(app).status_code == 302
    assert subject_of(app, "sam.patel@example.com") == "forged-sam"


def _changed(**changes):
    def claims(issuer):
        def make(nonce, client_id):
            made = {**issuer.good_claims(nonce, client_id), **changes}
            return {key: value for key, value in made.items() if value is not None}

        return make

    return claims


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            _changed(exp=int(time.time()) - 3600, iat=int(time.time()) - 7200), id="expired"
        ),
        pytest.param(_changed(aud="another-client"), id="wrong-audience"),
        pytest.param(_changed(nonce="not-the-nonce"), id="wrong-nonce"),
        pytest.param(_changed(nonce=None), id="no-nonce"),
        pytest.param(_changed(iss="https://impostor.example"), id="wrong-issuer"),
        pytest.param(_changed(exp=None), id="no-expiry"),
        pytest.param(_changed(aud=["another-client", "forged-client"]), id="audiences-no-azp"),
    ],
)
def test_a_bad_id_token_is_refused(forged, make_user, change):
    issuer, app = forged
    make_user(Role.EMPLOYEE, email="sam.patel@example.com")
    issuer.claims = change(issuer)
    refused(forged_sign_in(app), "did not confirm the sign-in")
    assert sessions_of(app, "sam.patel@example.com") == 0


def test_a_token_signed_with_another_key_is_refused(forged, make_user):
    issuer, app = forged
    make_user(Role.EMPLOYEE, email="sam.patel@example.com")
    issuer.signing_key = RSAKey.generate_key(2048, parameters={"kid": "forged-key"})
    refused(forged_sign_in(app), "did not confirm the sign-in")


def test_an_unsigned_token_is_refused(forged, make_user):
    issuer, app = forged
    make_user(Role.EMPLOYEE, email="sam.patel@example.com")
    issuer.signing_key = None
    refused(forged_sign_in(app), "did not confirm the sign-in")


def test_claims_missing_from_the_token_come_from_userinfo(forged, make_user):
    issuer, app = forged
    make_user(Role.EMPLOYEE, email="sam.patel@example.com")
    issuer.claims = _changed(email=None, email_verified=None)(issuer)
    issuer.userinfo = {
        "sub": "forged-sam",
        "email": "sam.patel@example.com",
        "email_verified": True,
    }
    assert forged_sign_in(app).status_code == 302
    issuer.userinfo = {
        "sub": "someone-else",
        "email": "sam.patel@example.com",
        "email_verified": True,
    }
    refused(forged_sign_in(app), "did not confirm the sign-in")
