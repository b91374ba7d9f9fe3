"""On a 390 px phone the column a table is read for stays in view without scrolling
sideways: my coaching's acknowledgement, the dashboard's "record a session", team
progress's status, the candidate comparison's overall; the results' strongest path fits
the screen; and trend charts open on their latest month."""

from __future__ import annotations

import pytest

from coachkit import demo
from coachkit.hiring import demo as hiring_demo
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


def assert_fully_in_view(page, locator) -> None:
    box = locator.bounding_box()
    assert box, "not shown"
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], f"at {box}"


def test_the_key_columns_stay_on_a_phone_screen(phone, live_server, screenshot):
    team = demo.TEAMS[0]
    sign_in(phone, live_server, team.manager)
    phone.goto(f"{live_server}/coaching/")
    assert_in_view(phone, "td.key-cell a")
    screenshot(phone, "phone-coaching-dashboard")
    phone.goto(f"{live_server}/")
    phone.get_by_role("link", name=team.name, exact=True).first.click()
    if "/training/teams/" not in phone.url:  # the team's page, not its practice progress
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


def test_the_comparison_keeps_overall_on_a_phone_screen(phone, live_server, screenshot):
    sign_in(phone, live_server, demo.RECRUITER)
    phone.goto(f"{live_server}/hiring/")
    phone.get_by_role("link", name=hiring_demo.OPENING).first.click()
    phone.get_by_role("link", name="Comparison").click()
    phone.wait_for_url("**/compare")
    assert phone.locator("td.key-cell strong").count() > 1
    assert_in_view(phone, "td.key-cell strong")
    screenshot(phone, "phone-comparison")


def test_trend_charts_open_on_the_latest_month_on_a_phone(phone, live_server, screenshot):
    team = demo.TEAMS[0]
    sign_in(phone, live_server, team.manager)
    for page in ("team", "person"):
        phone.goto(f"{live_server}/coaching/")
        if page == "team":
            phone.get_by_role("link", name="Skill trends").first.click()
        else:  # from the people you coach
            phone.locator("th[scope='row'] a", has_text=team.members[0]).first.click()
        phone.wait_for_url("**/trends" if page == "team" else "**/people/*")
        months = phone.locator(".trend-chart svg text[text-anchor='middle']")
        assert months.count() == 12
        assert_fully_in_view(phone, months.last)  # without scrolling sideways
        assert months.first.bounding_box()["x"] < 0  # earlier months are a scroll away
        # The table beside the chart is newest first too.
        first_row = phone.locator(".trend-table tbody th").first.inner_text()
        assert first_row.startswith(months.last.text_content().split()[0])
        screenshot(phone, f"phone-trend-{page}")
