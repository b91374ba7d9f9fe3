"""Statements built once (coachkit.prepared): pages of rows and per-role statements."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from coachkit.auth.models import Role, User
from coachkit.extensions import db
from coachkit.prepared import Page, Paginated, per_viewer, viewer_params
from coachkit.teams.models import Team, visible_teams


def test_page_positions():
    first = Page(items=[1, 2], page=1, per_page=2, total=5)
    last = Page(items=[5], page=3, per_page=2, total=5)
    empty = Page(items=[], page=1, per_page=20, total=0)
    assert (first.pages, first.has_prev, first.has_next, first.next_num) == (3, False, True, 2)
    assert (last.has_prev, last.has_next, last.prev_num) == (True, False, 2)
    assert (empty.pages, empty.has_next) == (1, False)


def test_statements_are_built_once_per_role():
    built = []

    @per_viewer
    def teams(user):
        built.append(user.role)
        return visible_teams(user)

    assert teams(Role.MANAGER) is teams(Role.MANAGER)
    assert teams(Role.ADMIN) is not teams(Role.MANAGER)
    assert built == [Role.MANAGER, Role.ADMIN]


def test_a_statement_built_per_role_is_scoped_to_the_user_it_runs_for(app, make_user, make_team):
    first, second = make_user(Role.MANAGER), make_user(Role.MANAGER)
    make_team("Care", [first])
    make_team("Billing", [second])
    statement = per_viewer(visible_teams)(Role.MANAGER)
    with app.app_context():
        for person, team in ((first, "Care"), (second, "Billing")):
            user = db.session.get(User, person.id)
            names = db.session.scalars(statement, viewer_params(user)).all()
            assert [t.name for t in names] == [team]


def test_paginated_pages_and_total(app, make_user):
    for _ in range(5):
        make_user(Role.EMPLOYEE)
    pages = Paginated(select(User).where(User.role == Role.EMPLOYEE).order_by(User.id))
    with app.app_context():
        second = pages.page(2, 2, {})
        assert second.total == 5 and second.pages == 3 and len(second.items) == 2
        assert len(pages.page(3, 2, {}).items) == 1


def test_paginated_page_past_the_end_is_not_found(app):
    pages = Paginated(select(Team).order_by(Team.id))
    with app.app_context(), app.test_request_context():
        assert pages.page(1, 10, {}).items == []
        with pytest.raises(NotFound):
            pages.page(2, 10, {})
