"""An employee plays a module to the end in Chromium, using the keyboard for choices."""

from __future__ import annotations

import re

import pytest

from coachkit import demo
from tests.browser.test_roles import sign_in

pytestmark = pytest.mark.browser


def test_employee_plays_a_module_and_sees_results(page, live_server, screenshot):
    from playwright.sync_api import expect

    sign_in(page, live_server, "Marcus Lee")  # assigned (overdue), not yet practised
    expect(page.get_by_text("Overdue")).to_be_visible()
    page.get_by_role("link", name="Practice").click()
    page.get_by_role("link", name="Charged twice, rent due tomorrow").click()
    screenshot(page, "training-briefing")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_text("Step 1 of about")).to_be_visible()
    transcript = page.locator("ol.transcript > li")
    expect(transcript).to_have_count(1)
    expect(transcript.first).to_contain_text("Dana Whitfield")
    page.get_by_role("button", name="Say it").click()  # nothing chosen
    expect(page.get_by_text("Choose one of the replies.").first).to_be_visible()
    screenshot(page, "training-step-error")
    replies = ["Finding that in your account", "Nine years with us"]
    for number, reply in enumerate(replies, start=1):
        page.get_by_label(re.compile(reply)).check()
        page.get_by_role("button", name="Say it").click()
        # Her line, your reply, and her reaction, newest last; the reply takes the focus.
        expect(transcript).to_have_count(2 * number + 1)
        expect(transcript.nth(2 * number - 1)).to_contain_text(reply)
        expect(transcript.nth(2 * number - 1)).to_be_focused()
        expect(page.get_by_text(f"Step {number + 1} of")).to_be_visible()
    expect(transcript.last).to_contain_text("The rent goes out at seven tomorrow morning")
    expect(transcript.nth(1)).to_contain_text("You")
    expect(page.get_by_text("You named the two things")).to_have_count(0)  # at the end
    screenshot(page, "training-transcript")
    page.get_by_label(re.compile("I can ask for a same-day return")).check()
    page.get_by_role("button", name="Say it").click()
    screenshot(page, "training-reflection")
    page.get_by_label("What did she actually need").fill("Her rent covered by the morning.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="How it went")).to_be_visible()
    expect(page.get_by_text("Good ending")).to_be_visible()
    expect(page.get_by_text("Her rent covered by the morning.")).to_be_visible()
    screenshot(page, "training-results")


def test_manager_assigns_and_follows_the_team(page, live_server, screenshot):
    from playwright.sync_api import expect

    sign_in(page, live_server, demo.TEAMS[0].manager)
    page.get_by_role("link", name="Assign", exact=True).click()
    page.get_by_label("Module").select_option(label="Charged twice, rent due tomorrow")
    page.get_by_label("Assign to").select_option(label=f"Everyone in {demo.TEAMS[0].name}")
    page.get_by_label("Due by").fill("2031-05-01")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("Assigned to 5 people.")).to_be_visible()
    screenshot(page, "manager-assign")
    page.get_by_role("link", name="My teams").click()
    page.get_by_role("link", name=demo.TEAMS[0].name).click()
    page.get_by_role("link", name="Practice progress").click()
    expect(page.get_by_role("heading", name=f"{demo.TEAMS[0].name}: practice")).to_be_visible()
    expect(page.get_by_text("Done").first).to_be_visible()
    screenshot(page, "manager-team-progress")
    page.goto(f"{live_server}/training/charged-twice/report")
    expect(
        page.get_by_role("heading", name="I've just opened my banking app and you've taken")
    ).to_be_visible()
    screenshot(page, "manager-report")
