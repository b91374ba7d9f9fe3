"""Admins manage teams and their people; managers see only their own teams."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import event, func, select

from coachkit.auth.models import Role, User
from coachkit.extensions import db
from coachkit.teams.models import Membership, Position, Team
from tests.conftest import login


def page(response):
    """The page as a reader sees it (entities such as &#39; decoded)."""
    return html.unescape(response.get_data(as_text=True))


def sign_in_admin(client, make_user):
    admin = make_user(Role.ADMIN, name="Ada Admin")
    login(client, admin)
    return admin


def roster(app, team_id):
    """{user id: position} of the team's memberships as stored."""
    with app.app_context():
        rows = db.session.execute(
            select(Membership.user_id, Membership.position).where(Membership.team_id == team_id)
        )
        return dict(rows.tuples().all())


def membership_id(app, team_id, person):
    with app.app_context():
        return db.session.scalar(
            select(Membership.id).where(
                Membership.team_id == team_id, Membership.user_id == person.id
            )
        )


def team_names(app):
    with app.app_context():
        return db.session.scalars(select(Team.name).order_by(Team.name)).all()


def count(app, column):
    with app.app_context():
        return db.session.scalar(select(func.count(column)))


def add_member(client, team_id, person, position="member"):
    return client.post(f"/teams/{team_id}/members", data={"user": person.id, "position": position})


# Creating, renaming and deleting


def test_admin_creates_a_team_with_its_manager(app, client, make_user):
    sign_in_admin(client, make_user)
    manager = make_user(Role.MANAGER, name="Maria Lopez")
    response = client.post(
        "/teams/new",
        data={"name": " Customer Care ", "description": "Phone and chat", "manager": manager.id},
    )
    with app.app_context():
        team_id = db.session.scalar(select(Team.id).where(Team.name == "Customer Care"))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/teams/{team_id}"
    assert roster(app, team_id) == {manager.id: Position.MANAGER}


def test_new_team_form_offers_only_managers_and_admins(client, make_user):
    sign_in_admin(client, make_user)
    make_user(Role.MANAGER, name="Maria Lopez")
    make_user(Role.EMPLOYEE, name="Sam Patel")
    make_user(Role.RECRUITER, name="Rita Recruiter")
    make_user(Role.MANAGER, name="Gone Manager", active=False)
    text = page(client.get("/teams/new"))
    assert "Maria Lopez (" in text
    assert "Ada Admin (" in text
    assert "Sam Patel" not in text
    assert "Rita Recruiter" not in text
    assert "Gone Manager" not in text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "customer CARE"}, "Another team already has this name."),
        ({"name": ""}, "Enter a name for the team."),
        ({"name": "   "}, "Enter a name for the team."),
        ({"manager": 0}, "Choose the team's manager."),
        ({"manager": None}, "Choose the team's manager."),
    ],
)
def test_new_team_with_bad_input_shows_error_and_saves_nothing(
    app, client, make_user, make_team, fields, message
):
    sign_in_admin(client, make_user)
    manager = make_user(Role.MANAGER)
    make_team("Customer Care", [manager])
    data = {"name": "Store Floor", "description": "", "manager": manager.id, **fields}
    response = client.post("/teams/new", data={k: v for k, v in data.items() if v is not None})
    assert response.status_code == 200
    assert message in page(response)
    assert team_names(app) == ["Customer Care"]
    assert count(app, Membership.id) == 1


def test_employee_cannot_be_chosen_to_manage_a_new_team(app, client, make_user):
    sign_in_admin(client, make_user)
    employee = make_user(Role.EMPLOYEE)
    response = client.post("/teams/new", data={"name": "Store Floor", "manager": employee.id})
    assert response.status_code == 200
    assert "Choose one of the listed managers." in page(response)
    assert team_names(app) == []


def test_duplicate_name_check_ignores_case_beyond_ascii(app, client, make_user, make_team):
    sign_in_admin(client, make_user)
    manager = make_user(Role.MANAGER)
    make_team("Équipe Nord", [manager])
    response = client.post("/teams/new", data={"name": "ÉQUIPE NORD", "manager": manager.id})
    assert "Another team already has this name." in page(response)
    assert team_names(app) == ["Équipe Nord"]


def test_admin_renames_a_team(app, client, make_user, make_team):
    sign_in_admin(client, make_user)
    team_id = make_team("Support", [make_user(Role.MANAGER)])
    response = client.post(
        f"/teams/{team_id}/edit", data={"name": "Customer Care", "description": "Phone and chat"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/teams/{team_id}"
    assert team_names(app) == ["Customer Care"]


def test_renaming_only_the_case_of_a_team_is_allowed(app, client, make_user, make_team):
    sign_in_admin(client, make_user)
    team_id = make_team("Support", [make_user(Role.MANAGER)])
    response = client.post(f"/teams/{team_id}/edit", data={"name": "SUPPORT"})
    assert response.status_code == 302
    assert team_names(app) == ["SUPPORT"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("store floor", "Another team already has this name."),
        ("", "Enter a name for the team."),
    ],
)
def test_rename_with_bad_input_shows_error_and_saves_nothing(
    app, client, make_user, make_team, name, message
):
    sign_in_admin(client, make_user)
    manager = make_user(Role.MANAGER)
    team_id = make_team("Support", [manager])
    make_team("Store Floor", [manager])
    response = client.post(f"/teams/{team_id}/edit", data={"name": name})
    assert response.status_code == 200
    assert message in page(response)
    assert team_names(app) == ["Store Floor", "Support"]


def test_deleting_a_team_removes_memberships_but_keeps_people(app, client, make_user, make_team):
    sign_in_admin(client, make_user)
    manager, employee = make_user(Role.MANAGER), make_user(Role.EMPLOYEE)
    team_id = make_team("Support", [manager], [employee])
    users_before = count(app, User.id)
    response = client.post(f"/teams/{team_id}/delete")
    assert response.status_code == 302
    assert response.headers["Location"] == "/teams/"
    assert team_names(app) == []
    assert count(app, Membership.id) == 0
    assert count(app, User.id) == users_before


# Adding and removing people


def test_employee_joins_as_member(app, client, make_user, make_team):
    sign_in_admin(client, make_user)
    manager, employee = make_user(Role.MANAGER), make_user(Role.EMPLOYEE)
    team_id = make_team("Support", [manager])
    response = add_member(client, team_id, employee)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/teams/{team_id}"
    assert roster(app, team_id) == {manager.id: Position.MANAGER, employee.id: Position.MEMBER}


def test_second_manager_can_be_added(app, client, make_user, make_team):
    sign_in_admin(client, make_user)
    first, second = make_user(Role.MANAGER), make_user(Role.MANAGER)
    team_id = make_team("Support", [first])
    assert add_member(client, team_id, second, "manager").status_code == 302
    assert roster(app, team_id)[second.id] == Position.MANAGER


def test_employee_cannot_be_made_a_team_manager(app, client, make_user, make_team):
    sign_in_admin(client, make_user)
    manager = make_user(Role.MANAGER)
    employee = make_user(Role.EMPLOYEE, name="Sam Patel")
    team_id = make_team("Support", [manager])
    response = add_member(client, team_id, employee, "manager")
    assert response.status_code == 422
    assert "A team manager must have the role manager or admin; Sam Patel is employee." in page(
        response
    )
    assert roster(app, team_id) == {manager.id: Position.MANAGER}


def test_recruiter_is_not_offered_and_cannot_join(app, client, make_user, make_team):
    sign_in_admin(client, make_user)
    manager = make_user(Role.MANAGER)
    recruiter = make_user(Role.RECRUITER, name="Rita Recruiter")
    team_id = make_team("Support", [manager])
    assert "Rita Recruiter" not in page(client.get(f"/teams/{team_id}"))
    response = add_member(client, team_id, recruiter)
    assert response.status_code == 422
    assert "Choose one of the listed people." in page(response)
    assert roster(app, team_id) == {manager.id: Position.MANAGER}


def test_person_on_the_team_is_not_offered_again(client, make_user, make_team):
    sign_in_admin(client, make_user)
    on_team = make_user(Role.EMPLOYEE, name="Sam Patel")
    make_user(Role.EMPLOYEE, name="Jordan Reyes")
    team_id = make_team("Support", [make_user(Role.MANAGER)], [on_team])
    text = page(client.get(f"/teams/{team_id}"))
    assert "Jordan Reyes (Employee)" in text
    assert "Sam Patel (Employee)" not in text


def test_person_on_the_team_cannot_be_added_again(app, client, make_user, make_team):
    sign_in_admin(client, make_user)
    manager = make_user(Role.MANAGER)
    team_id = make_team("Support", [manager])
    response = add_member(client, team_id, manager, "member")
    assert response.status_code == 422
    assert "Choose one of the listed people." in page(response)
    assert roster(app, team_id) == {manager.id: Position.MANAGER}


def test_add_member_without_choosing_anyone_is_refused(app, client, make_user, make_team):
    sign_in_admin(client, make_user)
    manager = make_user(Role.MANAGER)
    team_id = make_team("Support", [manager])
    response = client.post(f"/teams/{team_id}/members", data={"user": 0, "position": "member"})
    assert response.status_code == 422
    assert "Choose a person to add." in page(response)
    assert roster(app, team_id) == {manager.id: Position.MANAGER}


def test_admin_removes_a_member(app, client, make_user, make_team):
    sign_in_admin(client, make_user)
    manager = make_user(Role.MANAGER)
    employee = make_user(Role.EMPLOYEE, name="Sam Patel")
    team_id = make_team("Support", [manager], [employee])
    path = f"/teams/{team_id}/members/{membership_id(app, team_id, employee)}/remove"
    response = client.post(path, follow_redirects=True)
    assert "Sam Patel removed from Support." in page(response)
    assert roster(app, team_id) == {manager.id: Position.MANAGER}
    with app.app_context():
        assert db.session.get(User, employee.id) is not None


def test_last_manager_cannot_be_removed(app, client, make_user, make_team):
    sign_in_admin(client, make_user)
    manager = make_user(Role.MANAGER)
    team_id = make_team("Support", [manager])
    path = f"/teams/{team_id}/members/{membership_id(app, team_id, manager)}/remove"
    response = client.post(path, follow_redirects=True)
    assert "A team needs at least one manager: add another manager first." in page(response)
    assert roster(app, team_id) == {manager.id: Position.MANAGER}


def test_one_of_two_managers_can_be_removed(app, client, make_user, make_team):
    sign_in_admin(client, make_user)
    first, second = make_user(Role.MANAGER), make_user(Role.MANAGER)
    team_id = make_team("Support", [first, second])
    client.post(f"/teams/{team_id}/members/{membership_id(app, team_id, first)}/remove")
    assert roster(app, team_id) == {second.id: Position.MANAGER}


def test_membership_of_another_team_is_404(app, client, make_user, make_team):
    sign_in_admin(client, make_user)
    manager, employee = make_user(Role.MANAGER), make_user(Role.EMPLOYEE)
    team_id = make_team("Support", [manager])
    other_id = make_team("Store Floor", [manager], [employee])
    path = f"/teams/{team_id}/members/{membership_id(app, other_id, employee)}/remove"
    assert client.post(path).status_code == 404
    assert employee.id in roster(app, other_id)


# Who sees which team


def two_teams(make_user, make_team):
    """Support (Maria, with Sam) and Store Floor (Daniel, with Jordan)."""
    maria = make_user(Role.MANAGER, name="Maria Lopez")
    daniel = make_user(Role.MANAGER, name="Daniel Brooks")
    sam = make_user(Role.EMPLOYEE, name="Sam Patel")
    jordan = make_user(Role.EMPLOYEE, name="Jordan Reyes")
    support = make_team("Support", [maria], [sam])
    store = make_team("Store Floor", [daniel], [jordan])
    return maria, support, store


def test_manager_lists_only_own_teams(client, make_user, make_team):
    maria, _support, _store = two_teams(make_user, make_team)
    login(client, maria)
    text = page(client.get("/teams/"))
    assert "Support" in text
    assert "Store Floor" not in text


def test_manager_home_shows_only_own_teams(client, make_user, make_team):
    maria, _support, _store = two_teams(make_user, make_team)
    login(client, maria)
    text = page(client.get("/"))
    assert "Support" in text
    assert "Sam Patel" in text
    assert "Store Floor" not in text
    assert "Jordan Reyes" not in text


def test_admin_lists_every_team(client, make_user, make_team):
    two_teams(make_user, make_team)
    sign_in_admin(client, make_user)
    text = page(client.get("/teams/"))
    assert "Support" in text
    assert "Store Floor" in text


def test_manager_opens_own_team(client, make_user, make_team):
    maria, support, _store = two_teams(make_user, make_team)
    login(client, maria)
    response = client.get(f"/teams/{support}")
    assert response.status_code == 200
    assert "Sam Patel" in page(response)


def test_manager_gets_404_for_another_team(client, make_user, make_team):
    maria, _support, store = two_teams(make_user, make_team)
    login(client, maria)
    response = client.get(f"/teams/{store}")
    assert response.status_code == 404
    assert "Jordan Reyes" not in page(response)


def test_manager_team_page_has_no_editing_controls(client, make_user, make_team):
    maria, support, _store = two_teams(make_user, make_team)
    login(client, maria)
    text = page(client.get(f"/teams/{support}"))
    assert "Add to team" not in text
    assert "/remove" not in text
    assert f"/teams/{support}/edit" not in text


def test_missing_team_is_404(client, make_user):
    sign_in_admin(client, make_user)
    assert client.get("/teams/999999").status_code == 404


TEAM_ROUTES = [
    ("GET", "/teams/"),
    ("GET", "/teams/new"),
    ("POST", "/teams/new"),
    ("GET", "/teams/{team}"),
    ("GET", "/teams/{team}/edit"),
    ("POST", "/teams/{team}/edit"),
    ("POST", "/teams/{team}/members"),
    ("POST", "/teams/{team}/members/{membership}/remove"),
    ("POST", "/teams/{team}/delete"),
]
ADMIN_ONLY = [
    route for route in TEAM_ROUTES if route not in {("GET", "/teams/"), ("GET", "/teams/{team}")}
]


def attempt(app, client, make_user, make_team, person, method, path):
    """Send `person`'s request to a team route; return the response and the team's roster.

    `person` manages (or, as an employee, belongs to) the team the request is about.
    """
    manager = person if person.role == Role.MANAGER else make_user(Role.MANAGER)
    member = person if person.role == Role.EMPLOYEE else make_user(Role.EMPLOYEE)
    team_id = make_team("Support", [manager], [member])
    outsider = make_user(Role.EMPLOYEE)
    login(client, person)
    url = path.format(team=team_id, membership=membership_id(app, team_id, member))
    data = {"name": "Taken Over", "manager": manager.id, "user": outsider.id, "position": "manager"}
    response = client.open(url, method=method, data=data if method == "POST" else None)
    return response, team_id


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.RECRUITER])
@pytest.mark.parametrize(("method", "path"), TEAM_ROUTES)
def test_employees_and_recruiters_are_refused_team_routes(
    app, client, make_user, make_team, role, method, path
):
    person = make_user(role)
    response, team_id = attempt(app, client, make_user, make_team, person, method, path)
    assert response.status_code == 403
    assert team_names(app) == ["Support"]
    assert len(roster(app, team_id)) == 2


@pytest.mark.parametrize(("method", "path"), ADMIN_ONLY)
def test_managers_are_refused_admin_team_routes(app, client, make_user, make_team, method, path):
    manager = make_user(Role.MANAGER)
    response, team_id = attempt(app, client, make_user, make_team, manager, method, path)
    assert response.status_code == 403
    assert team_names(app) == ["Support"]
    assert len(roster(app, team_id)) == 2


@pytest.mark.parametrize(("method", "path"), TEAM_ROUTES)
def test_anonymous_visitors_are_sent_to_sign_in(app, client, make_user, make_team, method, path):
    member = make_user(Role.EMPLOYEE)
    team_id = make_team("Support", [make_user(Role.MANAGER)], [member])
    url = path.format(team=team_id, membership=membership_id(app, team_id, member))
    response = client.open(url, method=method)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert len(roster(app, team_id)) == 2


# Query counts


def queries_for(app, client, path):
    """How many SQL statements one GET of `path` runs."""
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            response = client.get(path)
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize("viewer", [Role.ADMIN, Role.MANAGER])
def test_team_page_query_count_does_not_grow_with_members(
    app, client, make_user, make_team, viewer
):
    manager = make_user(Role.MANAGER)
    team_id = make_team("Support", [manager], [make_user(Role.EMPLOYEE) for _ in range(2)])
    login(client, manager if viewer == Role.MANAGER else make_user(Role.ADMIN))
    path = f"/teams/{team_id}"
    client.get(path)  # warm up: first-request work is not the page's
    small = queries_for(app, client, path)
    with app.app_context():
        for number in range(27):
            user = User(
                email=f"extra{number}@example.com", name=f"Extra {number:02d}", role=Role.EMPLOYEE
            )
            db.session.add(Membership(team_id=team_id, user=user, position=Position.MEMBER))
        db.session.commit()
    assert len(roster(app, team_id)) == 30
    assert "Extra 26" in page(client.get(path))
    assert queries_for(app, client, path) == small


# Team cards on the home pages


def test_home_team_card_names_managers_and_members_in_order(client, make_user, make_team):
    maria = make_user(Role.MANAGER, name="maria Lopez")
    zoe = make_user(Role.MANAGER, name="Zoe Adams")
    members = [make_user(Role.EMPLOYEE, name=name) for name in ("bo Chan", "Ann Ray", "Cy Du")]
    make_team("Support", [zoe, maria], members)
    login(client, maria)
    text = html.unescape(page(client.get("/")))
    assert "Managers: maria Lopez, Zoe Adams" in text
    assert "3 members: Ann Ray, bo Chan, Cy Du" in text


def test_home_team_card_of_an_empty_team(client, make_user, make_team):
    sam = make_user(Role.EMPLOYEE, name="Sam Patel")
    make_team("Night shift", [], [sam])
    make_team("Empty", [], [])
    login(client, sam)
    text = html.unescape(page(client.get("/")))
    assert "Night shift" in text and "Managers: none yet" in text
    assert "1 member: Sam Patel" in text
    assert "Empty" not in text  # not Sam's team


def test_home_team_cards_take_one_query_whatever_the_team_size(app, client, make_user, make_team):
    maria = make_user(Role.MANAGER, name="Maria Lopez")
    team = make_team("Support", [maria], [make_user(Role.EMPLOYEE) for _ in range(2)])
    login(client, maria)
    small = queries_for(app, client, "/")
    with app.app_context():
        for _ in range(15):
            extra = User(email=f"x{_}@example.com", name=f"Extra {_}", role=Role.EMPLOYEE)
            db.session.add(extra)
            db.session.flush()
            db.session.add(Membership(team_id=team, user_id=extra.id, position=Position.MEMBER))
        db.session.commit()
    assert queries_for(app, client, "/") == small
