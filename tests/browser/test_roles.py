"""Each demo role signs in, sees its own navigation, and signs out, in Chromium."""

from __future__ import annotations

import re

import pytest

from coachkit import demo
from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser

ROLES = {
    "admin": (
        demo.ADMIN,
        ["Home", "People", "Teams", "Practice", "Coaching", "Hiring", "Evidence"],
    ),
    "manager": (
        demo.TEAMS[0].manager,
        ["Home", "My teams", "Coaching", "Practice", "Assign", "Impact"],
    ),
    "employee": (demo.TEAMS[0].members[0], ["Home", "Practice", "Coaching"]),
    "recruiter": (demo.RECRUITER, ["Home", "Openings", "Rate answers", "Validity"]),
}


def sign_in(page, base_url: str, name: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("E-mail").fill(demo.email_for(name))
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/")


@pytest.mark.parametrize("role", list(ROLES))
def test_role_signs_in_sees_its_navigation_and_signs_out(page, live_server, role, screenshot):
    name, expected_nav = ROLES[role]
    sign_in(page, live_server, name)
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link").all_inner_texts() == expected_nav
    assert page.get_by_role("heading", level=1).inner_text() == f"Welcome, {name}"
    assert page.locator(".role-badge").inner_text() == role.capitalize()
    screenshot(page, f"home-{role}")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login$"))
    assert page.get_by_text("You are signed out.").is_visible()
    page.goto(f"{live_server}/")
    assert page.url.startswith(f"{live_server}/login")


def test_wrong_password_shows_the_message(page, live_server):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(demo.email_for(demo.ADMIN))
    page.get_by_label("Password").fill("not the password at all")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").inner_text() == (
        "That e-mail and password do not match an active account."
    )


def test_pages_fit_a_phone_screen(browser, live_server, screenshot):
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server, demo.ADMIN)
    for path in ["/", "/people/", "/teams/", "/account"]:
        page.goto(f"{live_server}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth") - 375
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px"
        screenshot(page, "phone" + path.replace("/", "-").rstrip("-"))
    context.close()


def test_keyboard_only_sign_in(page, live_server):
    from playwright.sync_api import expect

    page.goto(f"{live_server}/login")
    email, password = page.get_by_label("E-mail"), page.get_by_label("Password")
    expect(email).to_be_focused()  # autofocus: no mouse needed
    page.keyboard.type(demo.email_for(demo.RECRUITER))
    page.keyboard.press("Tab")
    expect(password).to_be_focused()
    page.keyboard.type(DEMO_PASSWORD)
    expect(email).to_have_value(demo.email_for(demo.RECRUITER))
    expect(password).to_have_value(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {demo.RECRUITER}")
