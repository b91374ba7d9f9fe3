"""Single sign-on end to end in Chromium: coachkit's button, the real OpenID provider's
sign-in page (the npm package oidc-provider, on loopback), back to coachkit signed in;
sign-out offers the provider's own sign-out; an unverified address is refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from coachkit import create_app
from coachkit.auth.models import Role, User
from coachkit.extensions import db
from tests.browser.conftest import serving
from tests.conftest import base_config

pytestmark = pytest.mark.browser

LABEL = "Sign in with Contoso"


@pytest.fixture(scope="module")
def sso_server(databases, chromium_path, oidc_provider) -> Iterator[str]:
    """A live coachkit whose client is registered at the provider with its own address."""
    app = create_app(
        base_config(
            databases.new("sqlite"),
            WTF_CSRF_ENABLED=True,
            OIDC_ISSUER=oidc_provider.issuer,
            OIDC_CLIENT_ID="registered-below",
            OIDC_CLIENT_SECRET="registered-below",
            OIDC_ALLOWED_DOMAINS=("example.com",),
            OIDC_BUTTON_LABEL=LABEL,
        )
    )
    with serving(app) as base:
        client_id, secret = oidc_provider.register(base + "/login/oidc/callback")
        app.config.update(EXTERNAL_URL=base, OIDC_CLIENT_ID=client_id, OIDC_CLIENT_SECRET=secret)
        with app.app_context():
            db.create_all()
            for email, name in [
                ("sam.patel@example.com", "Sam Patel"),
                ("una.verified@example.com", "Una Verified"),
            ]:
                db.session.add(User(email=email, name=name, role=Role.EMPLOYEE, active=True))
            db.session.commit()
        yield base


def at_provider(page, login: str) -> None:
    """Sign in on the provider's own page, as a person would."""
    page.get_by_role("button", name=LABEL).click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("their provider password")
    page.locator("button[type=submit]").click()


@pytest.fixture
def page(browser, sso_server):
    """A fresh context; console errors on coachkit's pages (CSP violations included) fail
    the test. The provider's own development pages are not ours to judge (they ask for
    web fonts and a favicon this closed network has not got)."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    errors: list[str] = []
    tab.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and tab.url.startswith(sso_server)
            else None
        ),
    )
    yield tab
    context.close()
    assert errors == []


def test_sso_signs_in_and_out_in_the_browser(page, sso_server, oidc_provider, screenshot):
    page.goto(f"{sso_server}/login")
    screenshot(page, "sso-login")
    at_provider(page, "sam")
    page.wait_for_url(f"{sso_server}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, Sam Patel"
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{sso_server}/login")
    link = page.get_by_role("link", name="Sign out there too")
    assert link.get_attribute("href").startswith(f"{oidc_provider.issuer}/session/end?")
    screenshot(page, "sso-signed-out")
    page.goto(f"{sso_server}/account")
    assert page.url.startswith(f"{sso_server}/login")


def test_an_unverified_address_is_refused_in_the_browser(browser, sso_server, screenshot):
    context = browser.new_context()  # the refusal's 403 is logged as a console error
    page = context.new_page()
    try:
        page.goto(f"{sso_server}/login")
        at_provider(page, "una")
        page.wait_for_url(f"{sso_server}/login/oidc/callback*")
        assert "has not verified your e-mail address" in page.get_by_role("alert").inner_text()
        screenshot(page, "sso-refused")
        page.goto(f"{sso_server}/account")
        assert page.url.startswith(f"{sso_server}/login")
    finally:
        context.close()
