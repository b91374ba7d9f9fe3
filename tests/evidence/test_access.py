"""Who may open the evidence reports, and what their navigation offers."""

from __future__ import annotations

import pytest

from tests.conftest import page, signed_in

PAGES = {
    "/evidence/validity": {"admin", "recruiter"},
    "/evidence/impact": {"admin", "manager"},
}


@pytest.mark.parametrize("path", sorted(PAGES))
def test_each_role_may_or_may_not_open_the_page(app, org, path):
    people = {
        "admin": org.admin,
        "recruiter": org.recruiter,
        "manager": org.manager,
        "employee": org.employee,
    }
    for role, person in people.items():
        status = signed_in(app, person).get(path).status_code
        assert status == (200 if role in PAGES[path] else 403), (role, status)
    assert app.test_client().get(path).status_code == 302  # signed out: to the login


def test_navigation_links_only_where_the_page_opens(app, org):
    home = {
        person: page(signed_in(app, person).get("/"))
        for person in (org.admin, org.recruiter, org.manager, org.employee)
    }
    assert 'href="/evidence/validity"' in home[org.admin]
    assert 'href="/evidence/validity"' in home[org.recruiter]
    assert 'href="/evidence/impact"' in home[org.manager]
    assert 'href="/evidence/impact"' not in home[org.recruiter]
    assert 'href="/evidence/validity"' not in home[org.manager]
    assert "/evidence/" not in home[org.employee]
    admin_page = page(signed_in(app, org.admin).get("/evidence/validity"))
    assert 'href="/evidence/impact"' in admin_page  # the two reports link to each other
    assert 'href="/evidence/impact"' not in page(
        signed_in(app, org.recruiter).get("/evidence/validity")
    )


def test_both_reports_sit_under_the_admins_evidence_item(app, org):
    client = signed_in(app, org.admin)
    for path in ("/evidence/validity", "/evidence/impact"):
        nav = page(client.get(path)).split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]
        assert nav.split('aria-current="page">', 1)[1].startswith("Evidence"), path


@pytest.mark.parametrize("name", ["EVIDENCE_FIRST_DAYS", "EVIDENCE_WINDOW_DAYS"])
def test_a_window_of_no_days_is_refused_at_start(app_factory, name):
    from coachkit.config import ConfigError

    with pytest.raises(ConfigError, match=name):
        app_factory(**{name: 0})


def test_the_windows_are_settings(app_factory, org):
    app = app_factory(EVIDENCE_FIRST_DAYS=30, EVIDENCE_WINDOW_DAYS=45)
    assert "first 30 days" in page(signed_in(app, org.admin).get("/evidence/validity"))
    assert "in the 45 days before" in page(signed_in(app, org.admin).get("/evidence/impact"))
