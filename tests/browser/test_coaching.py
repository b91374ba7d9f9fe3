"""A manager records a coaching session in Chromium; the employee reads the shared
parts and acknowledges it."""

from __future__ import annotations

import pytest

from coachkit import demo
from tests.browser.test_roles import sign_in

pytestmark = pytest.mark.browser

PRIVATE_NOTE = "Wonder whether the night shift is wearing her down"


def test_manager_records_a_session_and_the_employee_acknowledges(page, live_server, screenshot):
    from playwright.sync_api import expect

    team = demo.TEAMS[0]
    employee = team.members[2]
    sign_in(page, live_server, team.manager)
    page.locator(".main-nav").get_by_role("link", name="Coaching").click()
    expect(page.get_by_role("heading", name="Overdue actions")).to_be_visible()
    screenshot(page, "coaching-dashboard")
    page.get_by_role("link", name=f"Record a session with {employee}").click()
    page.get_by_label("Kind of session").select_option(label="Call review")
    page.get_by_label("Date of the session").fill("2040-01-01")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text("A session cannot be recorded before it happens.")).to_be_visible()
    page.get_by_label("Date of the session").fill("2026-01-05")
    page.get_by_role("group", name="Empathy").get_by_label("4").check()
    page.get_by_label("What went well").fill("Named the worry about the rent before the refund.")
    page.get_by_label("Reality").fill(PRIVATE_NOTE)
    page.locator("#reality_private").check()
    page.locator("#actions-0-text").fill("Replay two calls and mark the first acknowledgement")
    page.locator("#actions-0-due_on").fill("2031-02-01")
    screenshot(page, "coaching-form")
    page.get_by_role("button", name="Save session").click()
    expect(page.get_by_text(f"Session with {employee} saved.")).to_be_visible()
    expect(page.get_by_text(PRIVATE_NOTE)).to_be_visible()
    screenshot(page, "coaching-session")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, employee)
    page.locator(".main-nav").get_by_role("link", name="Coaching").click()
    page.get_by_role("link", name="05 Jan 2026").click()
    expect(page.get_by_text("Named the worry about the rent")).to_be_visible()
    expect(page.get_by_text(PRIVATE_NOTE)).to_have_count(0)
    page.get_by_label("Your comment (optional)").fill("Thanks, that call was a hard one.")
    page.get_by_role("button", name="Acknowledge").click()
    expect(
        page.get_by_text("Your manager can see that you have read this session.")
    ).to_be_visible()
    expect(page.get_by_text("Thanks, that call was a hard one.")).to_be_visible()
    expect(page.get_by_role("button", name="Acknowledge")).to_have_count(0)
    screenshot(page, "coaching-acknowledged")
