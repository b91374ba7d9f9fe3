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
