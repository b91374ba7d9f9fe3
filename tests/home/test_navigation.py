"""Each role's navigation and which item is marked current."""

from __future__ import annotations

from coachkit.auth.models import Role
from tests.conftest import login


def test_navigation_marks_exactly_one_current_item(client, make_user):
    login(client, make_user(Role.MANAGER))
    for path, label in [
        ("/training/assign", "Assign"),
        ("/training/", "Practice"),
        ("/", "Home"),
        ("/teams/", "My teams"),
    ]:
        body = client.get(path).get_data(as_text=True)
        assert body.count('aria-current="page"') == 1
        assert f'aria-current="page">{label}</a>' in body


def test_a_recruiters_candidate_and_report_pages_sit_under_openings(client, make_user):
    login(client, make_user(Role.RECRUITER))
    for path, label in [
        ("/hiring/", "Openings"),
        ("/hiring/openings/new", "Openings"),
        ("/hiring/rating/", "Rate answers"),
    ]:
        body = client.get(path).get_data(as_text=True)
        assert body.count('aria-current="page"') == 1
        assert f'aria-current="page">{label}</a>' in body
