"""A recruiter invites a candidate, the candidate completes the exercise on a phone-width
screen (consent by keyboard), and two recruiters score the written answer blind, in
Chromium."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from coachkit import demo
from coachkit.hiring import demo as hiring_demo
from tests.browser.conftest import console_errors
from tests.browser.test_roles import sign_in

pytestmark = pytest.mark.browser

NAME = "Robin Achebe"
EMAIL = "robin.achebe@candidates.example"
REPLY = (
    "I'm sorry, three evenings in a month with exams coming is not good enough. Our "
    "test found a fault on your line, so I've booked the engineer for Thursday and "
    "added a credit. I'll call you on Friday to check it held. Thanks, Robin"
)


def _invite(page, base: str) -> tuple[str, str]:
    """Add the candidate to the demo opening and issue their link; return (code, link)."""
    from playwright.sync_api import expect

    sign_in(page, base, demo.RECRUITER)
    page.locator(".main-nav").get_by_role("link", name="Openings").click()
    page.get_by_role("link", name=hiring_demo.OPENING).first.click()
    add = page.get_by_role("region", name="Add a candidate")  # not the bulk form's rows
    add.get_by_label("Name").fill(NAME)
    add.get_by_label("E-mail").fill(EMAIL)
    add.get_by_role("button", name="Add candidate").click()
    flash = page.locator(".flash-success")
    expect(flash).to_contain_text(f"Added {NAME} as candidate")
    code = re.search(r"candidate ([A-Z]{3}-\d{3})", flash.inner_text()).group(1)
    page.get_by_role("button", name="Invite").click()
    link = page.locator(".copy-field").first.input_value()
    # Links are built from EXTERNAL_URL (https://coachkit.test in tests): keep the path.
    assert link.startswith("https://coachkit.test/screening/")
    return code, base + urlsplit(link).path


def _answer_every_item(candidate) -> None:
    from playwright.sync_api import expect

    while True:
        heading = candidate.get_by_role("heading", level=1).inner_text()
        if not heading.startswith("Situation"):
            break
        if candidate.locator("textarea").count():
            candidate.locator("textarea").fill(REPLY)
            expect(candidate.locator(".word-count")).to_contain_text("of 150 words")
        elif candidate.get_by_role("group", name="Most effective").count():
            candidate.get_by_role("group", name="Most effective").get_by_role("radio").nth(
                0
            ).check()
            candidate.get_by_role("group", name="Least effective").get_by_role("radio").nth(
                1
            ).check()
        else:
            for group in candidate.locator("fieldset.rate-response").all():
                group.get_by_label("4 Effective", exact=True).check()
        candidate.get_by_role("button", name=re.compile("^Save and")).click()


def _take_the_exercise(browser, link: str, screenshot) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 375, "height": 740})
    candidate = context.new_page()
    errors = console_errors(candidate)
    candidate.goto(link)
    screenshot(candidate, "screening-welcome-phone")
    candidate.get_by_role("button", name="Start the exercise").click()
    expect(candidate.get_by_text("Tick the box to say you agree")).to_be_visible()
    candidate.get_by_label("I have read this").focus()
    candidate.keyboard.press("Space")
    candidate.keyboard.press("Enter")
    expect(candidate.get_by_role("heading", name=re.compile("^Situation 1 of"))).to_be_visible()
    screenshot(candidate, "screening-item-phone")
    width = candidate.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    _answer_every_item(candidate)
    expect(candidate.get_by_role("heading", level=1)).to_contain_text("Check")
    candidate.get_by_role("button", name="Hand in my answers").click()
    expect(candidate.get_by_role("heading", level=1)).to_contain_text("Thank you")
    screenshot(candidate, "screening-done-phone")
    candidate.get_by_role("group", name="How old are you?").get_by_label("Under 40").check()
    candidate.get_by_role("button", name="Send my answers").click()
    expect(candidate.locator(".flash, [role=status]").first).to_be_visible()
    candidate.goto(link)
    expect(candidate.get_by_text("nothing more to do on this link")).to_be_visible()
    context.close()
    assert errors == []


def _rate(page, base: str, recruiter: str, code: str, screenshot) -> None:
    from playwright.sync_api import expect

    sign_in(page, base, recruiter)
    page.locator(".main-nav").get_by_role("link", name="Rate answers").click()
    page.get_by_role("link", name=hiring_demo.OPENING).click()
    page.get_by_role("link", name=f"Rate {code}").click()
    html = page.content()
    assert "Robin" not in html and "Achebe" not in html and EMAIL not in html
    expect(page.get_by_text("Thanks, [name]")).to_be_visible()
    expect(page.get_by_role("heading", name="Everyone's scores")).to_have_count(0)
    screenshot(page, "rating-blind")
    for group in page.locator("fieldset.rating").all():
        group.get_by_label("4", exact=True).check()
    page.get_by_role("button", name="Save my scores").click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()


def test_candidate_completes_the_exercise_and_two_recruiters_score_it(
    browser, page, live_server, screenshot
):
    from playwright.sync_api import expect

    code, link = _invite(page, live_server)
    page.get_by_role("button", name="Sign out").click()
    _take_the_exercise(browser, link, screenshot)
    _rate(page, live_server, demo.RECRUITER, code, screenshot)
    _rate(page, live_server, demo.SECOND_RECRUITER, code, screenshot)
    sign_in(page, live_server, demo.RECRUITER)
    page.locator(".main-nav").get_by_role("link", name="Openings").click()
    page.get_by_role("link", name=hiring_demo.OPENING).first.click()
    page.get_by_role("link", name="Comparison").first.click()
    row = page.get_by_role("row").filter(has_text=NAME)  # recruiters see names by default
    expect(row).to_contain_text("Scored")
    screenshot(page, "hiring-comparison")
