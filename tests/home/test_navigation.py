"""Each role's navigation and which item is marked current."""

from __future__ import annotations

import pytest

from coachkit.auth.models import Role
from coachkit.home.navigation import current_item
from tests.conftest import login
from tests.hiring.conftest import opening_form


def current_label(client, path: str) -> str:
    """The label of the one main navigation item marked current on the page at `path`
    (a page's own tabs may mark theirs too)."""
    body = client.get(path).get_data(as_text=True)
    nav = body.split('<nav class="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert nav.count('aria-current="page"') == 1, path
    return nav.split('aria-current="page">', 1)[1].split("</a>", 1)[0]


def test_navigation_marks_exactly_one_current_item(client, make_user):
    login(client, make_user(Role.MANAGER))
    for path, label in [
        ("/training/assign", "Assign"),
        ("/training/", "Practice"),
        ("/", "Home"),
        ("/teams/", "My teams"),
    ]:
        assert current_label(client, path) == label, path


def test_a_recruiters_candidate_and_report_pages_sit_under_openings(client, make_user):
    login(client, make_user(Role.RECRUITER))
    created = client.post("/hiring/openings/new", data=opening_form())
    opening = created.headers["Location"].rpartition("/")[2]
    for path, label in [
        ("/hiring/", "Openings"),
        ("/hiring/openings/new", "Openings"),
        (f"/hiring/openings/{opening}", "Openings"),
        (f"/hiring/openings/{opening}/candidates", "Openings"),
        (f"/hiring/openings/{opening}/compare", "Openings"),
        (f"/hiring/reports/openings/{opening}/agreement", "Openings"),
        ("/hiring/rating/", "Rate answers"),
        (f"/hiring/rating/openings/{opening}", "Rate answers"),
    ]:
        assert current_label(client, path) == label, path


@pytest.mark.parametrize(
    ("role", "endpoint", "current"),
    [
        (Role.RECRUITER, "hiring.candidates.show", "hiring.openings.index"),
        (Role.RECRUITER, "hiring.reports.fairness", "hiring.openings.index"),
        (Role.RECRUITER, "hiring.rating.rate", "hiring.rating.index"),
        (Role.ADMIN, "hiring.candidates.compare", "hiring.openings.index"),
        (Role.ADMIN, "hiring.rating.queue", None),  # admins have no rating item
        (Role.MANAGER, "hiring.handovers.show", None),
        (Role.MANAGER, "training.play", "training.index"),
        (Role.EMPLOYEE, "my_coaching.show", "my_coaching.index"),
    ],
)
def test_nested_endpoints_mark_their_sections_item(make_user, role, endpoint, current):
    assert current_item(make_user(role), endpoint) == current
