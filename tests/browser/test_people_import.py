"""The people import in Chromium: an admin chooses a file, reads the preview (checked
by axe-core: the preview cannot be reached by a plain GET, so the site-wide audit does
not see it) and applies it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from coachkit import create_app
from coachkit.auth.models import Role, User
from coachkit.auth.passwords import hash_password
from coachkit.extensions import db
from tests.browser.conftest import serving
from tests.browser.test_accessibility import AXE, AXE_PATH, START_AXE, TAGS, Audit
from tests.conftest import PASSWORD, base_config

pytestmark = pytest.mark.browser

FILE = (
    "name,email,role,team,manager-of\n"
    "Sam Patel,sam.patel@example.com,employee,Care,\n"
    "Mia Chen,mia.chen@example.com,manager,,Care\n"
    "Rita,not-an-address,employee,,\n"
)


@pytest.fixture(scope="module")
def import_server(databases, chromium_path) -> Iterator[str]:
    app = create_app(base_config(databases.new("sqlite"), WTF_CSRF_ENABLED=True))
    with app.app_context():
        db.create_all()
        db.session.add(
            User(
                email="ada@example.com",
                name="Ada Admin",
                role=Role.ADMIN,
                active=True,
                password_hash=hash_password(PASSWORD),
            )
        )
        db.session.commit()
    with serving(app) as base:
        yield base


def test_an_admin_previews_and_applies_a_people_file(page, import_server, tmp_path, screenshot):
    base = import_server
    page.context.route(
        base + AXE_PATH,
        lambda route: route.fulfill(body=AXE.read_bytes(), content_type="text/javascript"),
    )
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill("ada@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/people/")
    page.get_by_role("link", name="Import people").click()
    people = tmp_path / "people.csv"
    people.write_text(FILE)
    page.get_by_label("People file (CSV)").set_input_files(str(people))
    page.get_by_role("button", name="Preview").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Preview of the import"
    assert "Line 4 (not-an-address):" in page.content()
    screenshot(page, "people-import-preview")
    page.evaluate(START_AXE, [base + AXE_PATH, TAGS])
    audit = Audit()
    audit.violations("import preview", page.evaluate("() => window.__axeResult"))
    assert audit.problems == []
    page.get_by_role("button", name="Apply 2 changes").click()
    page.wait_for_url(f"{base}/people/")
    assert "Imported: 2 added, 0 updated, 0 unchanged, 1 refused." in page.content()
    assert page.get_by_role("cell", name="Mia Chen", exact=True).count() == 1
