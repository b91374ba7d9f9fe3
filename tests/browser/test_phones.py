"""On a 390 px phone the column a table is read for stays in view without scrolling
sideways: my coaching's acknowledgement, the dashboard's "record a session", team
progress's status; and the results' strongest path fits the screen."""

from __future__ import annotations

import pytest

from coachkit import demo
from tests.browser.test_roles import sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


def right_edges(page, selector: str) -> list[float]:
    boxes = [
        page.locator(selector).nth(i).bounding_box() for i in range(page.locator(selector).count())
    ]
    return [box["x"] + box["width"] for box in boxes if box]


def assert_in_view(page, selector: str) -> None:
    edges = right_edges(page, selector)
    assert edges, f"nothing matches {selector}"
    assert max(edges) <= PHONE["width"], f"{selector} ends at {max(edges)} px"


def test_the_key_columns_stay_on_a_phone_screen(phone, live_server, screenshot):
    team = demo.TEAMS[0]
    sign_in(phone, live_server, team.manager)
    phone.goto(f"{live_server}/coaching/")
    assert_in_view(phone, "td.key-cell a")
    screenshot(phone, "phone-coaching-dashboard")
    phone.goto(f"{live_server}/")
    phone.get_by_role("link", name=team.name).first.click()
    phone.goto(phone.url.replace("/teams/", "/training/teams/"))
    assert_in_view(phone, "td.key-cell .tag")
    screenshot(phone, "phone-team-progress")
    phone.get_by_role("button", name="Sign out").click()

    sign_in(phone, live_server, team.members[0])
    phone.goto(f"{live_server}/coaching/mine/")
    assert_in_view(phone, "td.key-cell .tag")
    screenshot(phone, "phone-my-coaching")
    phone.goto(f"{live_server}/")
    results = phone.locator("a[href*='/results']")
    if results.count():
        results.first.click()
        assert_in_view(phone, "ol.path li")
        screenshot(phone, "phone-results")
