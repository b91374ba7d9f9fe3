"""An admin adds a person and a team; the person sets a password and signs in."""

from __future__ import annotations

import re

import pytest

from coachkit import demo
from tests.browser.test_roles import sign_in

pytestmark = pytest.mark.browser


def test_new_person_sets_password_from_link_and_joins_a_team(
    page, browser, live_server, screenshot
):
    sign_in(page, live_server, demo.ADMIN)
    page.get_by_role("link", name="People").click()
    page.get_by_role("link", name="Add a person").click()
    page.get_by_role("button", name="Add and create a set-password link").click()
    assert page.get_by_text("Please correct the 2 fields marked below.").is_visible()
    screenshot(page, "admin-new-person-errors")
    page.get_by_label("Display name").fill("Noor Haddad")
    page.get_by_label("E-mail").fill("noor.haddad@example.com")
    page.get_by_label("Role").select_option("employee")
    page.get_by_role("button", name="Add and create a set-password link").click()
    link = page.get_by_label(re.compile("One-time link")).input_value()
    assert link.startswith("https://coachkit.test/set-password/")
    screenshot(page, "admin-password-link")

    page.get_by_role("link", name="Teams").click()
    page.get_by_role("link", name=demo.TEAMS[1].name).click()
    page.get_by_label("Person").select_option(label="Noor Haddad (Employee)")
    page.get_by_role("button", name="Add to team").click()
    assert page.get_by_text("Noor Haddad added as member.").is_visible()
    assert page.get_by_role("cell", name="Noor Haddad").is_visible()
    screenshot(page, "admin-team")

    newcomer = browser.new_context().new_page()
    newcomer.goto(live_server + link.removeprefix("https://coachkit.test"))
    newcomer.get_by_label("New password", exact=True).fill("saffron lantern harbour")
    newcomer.get_by_label("Repeat the new password").fill("saffron lantern harbour")
    newcomer.get_by_role("button", name="Set password").click()
    newcomer.wait_for_url(re.compile(r"/login$"))
    newcomer.get_by_label("E-mail").fill("noor.haddad@example.com")
    newcomer.get_by_label("Password").fill("saffron lantern harbour")
    newcomer.get_by_role("button", name="Sign in").click()
    newcomer.wait_for_url(f"{live_server}/")
    assert newcomer.get_by_role("heading", level=1).inner_text() == "Welcome, Noor Haddad"
    assert newcomer.get_by_text(f"Manager: {demo.TEAMS[1].manager}").is_visible()
    screenshot(newcomer, "employee-home")
    newcomer.context.close()
