"""axe-core finds no serious or critical accessibility problem on any page, for any role
or for a candidate, in Chromium; a handful of key pages also at phone width.

The pages come from tests/site_pages.py (built from `app.url_map`). axe-core (npm,
installed by `make test`) is served to the page from its own origin through a
Playwright route, so it loads under the app's unchanged `script-src 'self'`. Each role
gets one browser context with a few tabs, and axe runs in one tab while the next page
loads in another.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask
from werkzeug.serving import make_server

from coachkit import create_app, demo
from coachkit.extensions import db
from tests.browser.conftest import DEMO_PASSWORD, console_errors
from tests.browser.test_roles import sign_in
from tests.conftest import base_config
from tests.site_pages import CANDIDATE, PEOPLE, ROLES, VISITOR, Page, site_pages

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__test__/axe.min.js"  # answered by the test's route, never by the app
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = ("serious", "critical")
TABS = 3
# Chromium logs the error pages' own status (403, 404, 410) as a console error.
ERROR_PAGE_LOGGED = re.compile(r"Failed to load resource: .* status of (403|404|410)\b")
# Key pages also checked at phone width, by name in site_pages.
PHONE = {
    "employee": [
        "home.index-0",
        "training.play-0",
        "training.play-after-each",
        "training.results-0",
        "my_coaching.show-0",
    ],
    "manager": ["home.index-0", "coaching.show-0", "coaching.new-errors", "teams.show-0"],
    "recruiter": ["hiring.openings.show-0", "hiring.candidates.compare-0", "hiring.rating.rate-0"],
    "admin": ["people.index-0"],
    CANDIDATE: ["expired"],
}
START_AXE = """([src, tags]) => {
  const script = document.createElement("script");
  script.src = src;
  window.__axeResult = new Promise((resolve, reject) => {
    script.onload = resolve;
    script.onerror = () => reject(new Error("axe-core did not load"));
  }).then(() => axe.run(document, {runOnly: tags, resultTypes: ["violations"]}));
  document.head.append(script);
}"""


@dataclass
class Audit:
    """Problems found so far, as readable lines."""

    problems: list[str] = field(default_factory=list)

    def violations(self, where: str, result: dict[str, Any]) -> None:
        for violation in result["violations"]:
            if violation["impact"] in BLOCKING:
                targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
                self.problems.append(
                    f"{where}: {violation['impact']} {violation['id']} "
                    f"({violation['help']}) at {targets[:5]}"
                )


@pytest.fixture(scope="module")
def site(databases, chromium_path) -> Iterator[tuple[str, dict[str, list[Page]]]]:
    """A live coachkit with its own demo organisation (this test changes its state: a
    candidate hands in) and the list of its pages."""
    app: Flask = create_app(base_config(databases.new("sqlite"), WTF_CSRF_ENABLED=True))
    with app.app_context():
        db.create_all()
        demo.create(DEMO_PASSWORD)
        db.session.commit()
    pages = site_pages(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", pages
    server.shutdown()
    thread.join()
    with app.app_context():
        db.engine.dispose()


def _open(tab, base: str, page: Page) -> Any:
    """Load the page in `tab`: a GET, or its form POSTed with the CSRF token of the page
    holding the form (the navigation itself is turned into the POST)."""
    if page.form is None:
        return tab.goto(base + page.url)
    tab.goto(base + page.form_page)
    token = tab.locator("input[name=csrf_token]").first.input_value()
    body = urlencode({**page.form, "csrf_token": token})

    def post(route):
        headers = {**route.request.headers, "content-type": "application/x-www-form-urlencoded"}
        route.continue_(method="POST", post_data=body, headers=headers)

    tab.route(base + page.url, post, times=1)
    return tab.goto(base + page.url)


def _audit(browser, base: str, principal: str, pages: list[Page], audit: Audit, **options):
    """Visit `pages` in order in one context (signed in as the principal's demo person)
    and run axe on each, the next page loading while axe works on the last."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 800}, **options})
    axe_source = AXE.read_bytes()
    context.route(
        base + AXE_PATH,
        lambda route: route.fulfill(body=axe_source, content_type="text/javascript"),
    )
    tabs = [context.new_page() for _ in range(TABS)]
    errors = [console_errors(tab) for tab in tabs]
    if principal in PEOPLE:
        sign_in(tabs[0], base, PEOPLE[principal])
    pending: list[tuple[Any, str] | None] = [None] * TABS
    width = options.get("viewport", {}).get("width", 1280)

    def collect(slot: int) -> None:
        if (waiting := pending[slot]) is not None:
            tab, where = waiting
            audit.violations(where, tab.evaluate("() => window.__axeResult"))
            pending[slot] = None

    for number, page in enumerate(pages):
        slot = number % TABS
        collect(slot)
        tab, where = tabs[slot], f"{principal} {page.name} {page.url} ({width}px)"
        response = _open(tab, base, page)
        if response is None or response.status != page.status:
            audit.problems.append(f"{where}: status {response and response.status}")
        if page.shows and page.shows not in tab.content():
            audit.problems.append(f"{where}: does not show {page.shows!r}")
        tab.evaluate(START_AXE, [base + AXE_PATH, TAGS])
        pending[slot] = (tab, where)
    for slot in range(TABS):
        collect(slot)
    context.close()
    for message in (m for tab_errors in errors for m in tab_errors):
        if not ERROR_PAGE_LOGGED.match(message):
            audit.problems.append(f"{principal} console: {message}")


def test_axe_finds_no_serious_problem_on_any_page(browser, site):
    base, pages = site
    audit = Audit()
    for principal in (*ROLES, VISITOR, CANDIDATE):
        _audit(browser, base, principal, pages[principal], audit)
    assert audit.problems == [], "\n".join(audit.problems)


def test_axe_finds_no_serious_problem_at_phone_width(browser, site):
    base, pages = site
    audit = Audit()
    phone = {"viewport": {"width": 375, "height": 740}, "is_mobile": True}
    for role, names in PHONE.items():
        by_name = {page.name: page for page in pages[role]}
        _audit(browser, base, role, [by_name[name] for name in names], audit, **phone)
    assert audit.problems == [], "\n".join(audit.problems)


def test_axe_reports_a_serious_problem(browser, site):
    """The check above can fail: an image without a text alternative is reported."""
    base, _ = site
    audit = Audit()
    context = browser.new_context()
    axe_source = AXE.read_bytes()
    context.route(
        base + AXE_PATH,
        lambda route: route.fulfill(body=axe_source, content_type="text/javascript"),
    )
    tab = context.new_page()
    tab.goto(base + "/login")
    tab.evaluate("() => document.querySelector('main').append(document.createElement('img'))")
    tab.evaluate(START_AXE, [base + AXE_PATH, TAGS])
    audit.violations("login with a bare image", tab.evaluate("() => window.__axeResult"))
    context.close()
    assert any("image-alt" in problem for problem in audit.problems)
