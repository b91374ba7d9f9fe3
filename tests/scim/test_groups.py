"""SCIM Groups mapped to teams: a group is a team's members, a group named
"<team> managers" its managers (an employee put there becomes a manager); teams are
created or found by name; members follow the team rules; deleting a group takes its
people off the team but keeps the team."""

from __future__ import annotations

from sqlalchemy import select

from coachkit.auth.models import Role, User
from coachkit.extensions import db
from coachkit.teams.models import Membership, Team
from tests.scim.conftest import GROUP, SCIM_JSON


def team_places(app, team_name):
    """{e-mail: position} of the team called `team_name` (None: no such team)."""
    with app.app_context():
        team = db.session.scalar(select(Team).where(Team.name == team_name))
        if team is None:
            return None
        return {
            email: position.value
            for email, position in db.session.execute(
                select(User.email, Membership.position)
                .join(Membership, Membership.user_id == User.id)
                .where(Membership.team_id == team.id)
            )
        }


def role_of(app, email):
    with app.app_context():
        return db.session.scalar(select(User.role).where(User.email == email))


def ids(scim, *emails):
    return [scim.user(email.split("@")[0], email).get_json()["id"] for email in emails]


def test_a_group_is_a_team_and_its_members(app, scim):
    sam, lee = ids(scim, "sam@example.com", "lee@example.com")
    response = scim.group("Care", [sam, lee], externalId="g-1")
    assert response.status_code == 201
    assert response.content_type == SCIM_JSON
    body = response.get_json()
    assert body["schemas"] == [GROUP] and body["displayName"] == "Care"
    assert [m["value"] for m in body["members"]] == [sam, lee]
    assert body["members"][0]["$ref"] == f"https://coachkit.test/scim/v2/Users/{sam}"
    assert team_places(app, "Care") == {"sam@example.com": "member", "lee@example.com": "member"}


def test_a_managers_group_makes_team_managers(app, scim):
    sam, mia = ids(scim, "sam@example.com", "mia@example.com")
    scim.group("Care", [sam])
    assert scim.group("Care managers", [mia]).status_code == 201
    assert team_places(app, "Care") == {"sam@example.com": "member", "mia@example.com": "manager"}
    assert role_of(app, "mia@example.com") == Role.MANAGER  # promoted from employee
    assert team_places(app, "Care managers") is None  # no team of that name


def test_the_managers_group_can_come_first(app, scim):
    (mia,) = ids(scim, "mia@example.com")
    scim.group("Billing Managers", [mia])
    assert team_places(app, "Billing") == {"mia@example.com": "manager"}


def test_the_manager_suffix_is_configurable(app_factory, token):
    from tests.scim.conftest import Scim

    app = app_factory(SCIM_MANAGER_GROUP_SUFFIX=" - leads")
    scim = Scim(app, token)
    (mia,) = ids(scim, "mia@example.com")
    scim.group("Care - leads", [mia])
    assert team_places(app, "Care") == {"mia@example.com": "manager"}


def test_an_existing_team_is_found_by_name(app, scim, make_user, make_team):
    manager = make_user(Role.MANAGER, email="boss@example.com")
    team_id = make_team("Care", managers=[manager])
    (sam,) = ids(scim, "sam@example.com")
    scim.group("care", [sam])
    with app.app_context():
        assert (
            db.session.scalar(select(Membership.team_id).where(Membership.user_id == int(sam)))
            == team_id
        )
    assert team_places(app, "Care") == {"boss@example.com": "manager", "sam@example.com": "member"}


def test_membership_changes_by_patch(app, scim):
    sam, lee = ids(scim, "sam@example.com", "lee@example.com")
    group_id = scim.group("Care", [sam]).get_json()["id"]
    scim.patch(f"/Groups/{group_id}", {"op": "add", "path": "members", "value": [{"value": lee}]})
    assert team_places(app, "Care") == {"sam@example.com": "member", "lee@example.com": "member"}
    scim.patch(f"/Groups/{group_id}", {"op": "remove", "path": f'members[value eq "{sam}"]'})
    assert team_places(app, "Care") == {"lee@example.com": "member"}


def test_a_team_manager_added_to_the_members_group_stays_manager(app, scim):
    (mia,) = ids(scim, "mia@example.com")
    scim.group("Care managers", [mia])
    scim.group("Care", [mia])
    assert team_places(app, "Care") == {"mia@example.com": "manager"}


def test_renaming_a_members_group_renames_its_team(app, scim):
    group_id = scim.group("Care").get_json()["id"]
    body = {"schemas": [GROUP], "displayName": "Customer Care"}
    assert scim("PUT", f"/Groups/{group_id}", body).status_code == 200
    assert team_places(app, "Customer Care") == {}
    assert team_places(app, "Care") is None


def test_people_who_cannot_hold_the_place_are_refused(app, scim, make_user):
    recruiter = make_user(Role.RECRUITER, email="rita@example.com")
    response = scim.group("Care", [str(recruiter.id)])
    assert response.status_code == 400
    assert (
        "rita@example.com is recruiter: a team member must be employee or manager"
        in (response.get_json()["detail"])
    )
    assert team_places(app, "Care") is None  # nothing kept
    assert scim.group("Care", ["424242"]).status_code == 400


def test_a_name_in_use_is_a_conflict(app, scim):
    scim.group("Care")
    assert scim.group("CARE").status_code == 409


def test_deleting_a_group_takes_its_people_off_the_team(app, scim):
    sam, mia = ids(scim, "sam@example.com", "mia@example.com")
    members = scim.group("Care", [sam]).get_json()["id"]
    scim.group("Care managers", [mia])
    assert scim("DELETE", f"/Groups/{members}").status_code == 204
    assert scim("GET", f"/Groups/{members}").status_code == 404
    assert team_places(app, "Care") == {"mia@example.com": "manager"}


def test_groups_are_found_by_display_name(app, scim):
    scim.group("Care")
    scim.group("Billing")
    found = scim("GET", '/Groups?filter=displayName eq "billing"').get_json()
    assert [g["displayName"] for g in found["Resources"]] == ["Billing"]
