"""Adding a person straight onto a team, in one form: the account, their place in the
team and their set-password link are made together, or nothing is."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from coachkit.auth.models import User
from coachkit.extensions import db
from coachkit.teams.models import Membership, Position
from tests.conftest import page
from tests.people.conftest import create, link_path, sign_in_admin, user_id_for


def places(app, email):
    """(team id, position) of each membership of the account with `email`."""
    with app.app_context():
        return db.session.execute(
            select(Membership.team_id, Membership.position)
            .join(User, User.id == Membership.user_id)
            .where(User.email == email)
        ).all()


def test_the_form_offers_every_team(client, make_user, make_team):
    admin = sign_in_admin(client, make_user)
    make_team("Care", managers=[admin])
    make_team("Billing", managers=[admin])
    text = page(client.get("/people/new"))
    assert "No team yet" in text
    assert ">Billing</option>" in text and ">Care</option>" in text


def test_a_person_added_as_a_member_joins_the_team(app, client, make_user, make_team):
    admin = sign_in_admin(client, make_user)
    team_id = make_team("Care", managers=[admin])
    response = create(client, team=str(team_id), position="member")
    assert link_path(response)
    assert places(app, "sam.patel@example.com") == [(team_id, Position.MEMBER)]


def test_a_manager_added_as_team_manager_manages_it(app, client, make_user, make_team):
    admin = sign_in_admin(client, make_user)
    team_id = make_team("Care", managers=[admin])
    create(client, role="manager", team=str(team_id), position="manager")
    assert places(app, "sam.patel@example.com") == [(team_id, Position.MANAGER)]


def test_without_a_team_the_person_is_on_none(app, client, make_user):
    sign_in_admin(client, make_user)
    assert link_path(create(client, team="0"))
    assert user_id_for(app, "sam.patel@example.com") is not None
    assert places(app, "sam.patel@example.com") == []


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"role": "employee", "position": "manager"},
            "team",
            "A team manager must have the role manager or admin; Sam Patel is employee.",
        ),
        (
            {"role": "recruiter", "position": "member"},
            "team",
            "A team member must have the role employee or manager; Sam Patel is recruiter.",
        ),
        ({"position": "owner"}, "position", "Choose member or manager."),
        ({"team": "999999"}, "team", "Choose one of the listed teams."),
        ({"team": "care"}, "team", "Choose one of the listed teams."),
    ],
)
def test_a_bad_team_choice_shows_the_error_and_saves_nothing(
    app, client, make_user, make_team, fields, field, message
):
    admin = sign_in_admin(client, make_user)
    team_id = make_team("Care", managers=[admin])
    response = create(client, **{"team": str(team_id), **fields})
    assert response.status_code == 200
    text = page(response)
    assert f'id="{field}-error"' in text
    assert message in text
    assert 'value="Sam Patel"' in text  # what was typed stays
    assert user_id_for(app, "sam.patel@example.com") is None
    with app.app_context():
        assert len(db.session.scalars(select(Membership)).all()) == 1  # the admin's


def test_the_role_and_team_rules_are_the_teams_page_rules(app, client, make_user, make_team):
    """An admin may manage a team but not be a member of one."""
    admin = sign_in_admin(client, make_user)
    team_id = make_team("Care", managers=[admin])
    refused = create(client, role="admin", team=str(team_id), position="member")
    assert "A team member must have the role employee or manager" in page(refused)
    create(client, role="admin", team=str(team_id), position="manager")
    assert places(app, "sam.patel@example.com") == [(team_id, Position.MANAGER)]
