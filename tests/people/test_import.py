"""The people import: a preview of each row's outcome with bad rows listed by line and
reason, good rows applied in one transaction, and the same file again changes nothing."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select, text

from coachkit.auth.models import PasswordLink, Role, User
from coachkit.extensions import db
from coachkit.notifications.models import OutboxMessage
from coachkit.teams.models import Membership, Team
from tests.app.test_access_objects import snapshot
from tests.conftest import page
from tests.people.conftest import sign_in_admin

FILE = """name,email,role,team,manager-of
Sam Patel,Sam.Patel@example.com,employee,Care,
Mia Chen,mia.chen@example.com,manager,,Care;Billing
Lee Park,lee.park@example.com,,Care,
"""
DATA = re.compile(r'name="contents" type="hidden" value="([^"]+)"')


def preview(client, text, filename="people.csv"):
    body = text.encode() if isinstance(text, str) else text
    return client.post(
        "/people/import",
        data={"file": (io.BytesIO(body), filename)},
        content_type="multipart/form-data",
    )


def apply(client, preview_response):
    match = DATA.search(preview_response.get_data(as_text=True))
    assert match, "the preview offers nothing to apply"
    return client.post("/people/import/apply", data={"contents": match.group(1)})


def people(app):
    """{e-mail: (name, role, {team name: position})} of every account."""
    with app.app_context():
        found = {
            user.email: (user.name, user.role.value, {})
            for user in db.session.scalars(select(User))
        }
        for email, team, position in db.session.execute(
            select(User.email, Team.name, Membership.position)
            .join(Membership, Membership.user_id == User.id)
            .join(Team, Team.id == Membership.team_id)
        ):
            found[email][2][team] = position.value
        return found


def rows_of(response):
    """(line, outcome, details) of each row in the preview table."""
    text = page(response)
    body = text[text.index("<tbody>") : text.index("</tbody>")]
    return [
        (int(line), outcome, details)
        for line, outcome, details in re.findall(
            r"<tr>\s*<td>(\d+)</td>.*?<span class=\"tag [\w-]+\">(\w+)</span></td>\s*"
            r"<td>(.*?)</td>",
            body,
            re.S,
        )
    ]


def test_the_preview_shows_each_row_and_changes_nothing(app, client, make_user):
    sign_in_admin(client, make_user)
    before = snapshot(app)
    response = preview(client, FILE)
    assert response.status_code == 200
    assert rows_of(response) == [
        (2, "Add", "New employee; joins Care (a new team) as a member"),
        (3, "Add", "New manager; manages Care (a new team); manages Billing (a new team)"),
        (4, "Add", "New employee; joins Care (a new team) as a member"),
    ]
    assert "3 to add, 0 to update, 0 unchanged, 0 refused. New teams: Billing, Care." in page(
        response
    )
    assert snapshot(app) == before


def test_applying_adds_people_teams_and_links_in_one_go(app, client, make_user):
    sign_in_admin(client, make_user)
    response = apply(client, preview(client, FILE))
    assert response.status_code == 302
    assert response.headers["Location"] == "/people/"
    assert "Imported: 3 added, 0 updated, 0 unchanged, 0 refused." in page(client.get("/people/"))
    found = people(app)
    assert found["sam.patel@example.com"] == ("Sam Patel", "employee", {"Care": "member"})
    assert found["mia.chen@example.com"] == (
        "Mia Chen",
        "manager",
        {"Care": "manager", "Billing": "manager"},
    )
    assert found["lee.park@example.com"] == ("Lee Park", "employee", {"Care": "member"})
    with app.app_context():
        assert len(db.session.scalars(select(PasswordLink)).all()) == 3
        assert len(db.session.scalars(select(OutboxMessage)).all()) == 3


def test_importing_the_same_file_again_changes_nothing(app, client, make_user):
    sign_in_admin(client, make_user)
    apply(client, preview(client, FILE))
    before = snapshot(app)
    again = preview(client, FILE)
    assert [outcome for _line, outcome, _ in rows_of(again)] == ["Unchanged"] * 3
    assert "Nothing in this file would change anything." in page(again)
    assert 'name="contents"' not in again.get_data(as_text=True)
    assert snapshot(app) == before


def test_known_people_are_updated(app, client, make_user, make_team):
    admin = sign_in_admin(client, make_user)
    make_user(Role.EMPLOYEE, name="Sam P", email="sam.patel@example.com")
    team_id = make_team("Care", managers=[admin])
    mia = make_user(Role.MANAGER, name="Mia Chen", email="mia.chen@example.com")
    with app.app_context():
        db.session.add(Membership(team_id=team_id, user_id=mia.id, position="member"))
        db.session.commit()
    response = preview(client, FILE)
    assert rows_of(response)[:2] == [
        (2, "Update", "name: Sam P → Sam Patel; joins Care as a member"),
        (3, "Update", "manages Care (was a member); manages Billing (a new team)"),
    ]
    apply(client, response)
    found = people(app)
    assert found["sam.patel@example.com"] == ("Sam Patel", "employee", {"Care": "member"})
    assert found["mia.chen@example.com"][2] == {"Care": "manager", "Billing": "manager"}


BAD_FILE = """email;name;role;team;manager of
;No Address;employee;;
not-an-address;Bad Address;employee;;
ok@example.com;Okay Person;employee;;
ok@example.com;Twice Listed;employee;;
nameless@example.com;;employee;;
odd@example.com;Odd Role;wizard;;
rec@example.com;Rita Recruiter;recruiter;Care;
emp@example.com;Evan Employee;employee;;Care
both@example.com;Bo Both;manager;Care;Care
"""


def test_bad_rows_are_listed_by_line_with_the_reason(app, client, make_user):
    sign_in_admin(client, make_user)
    response = preview(client, BAD_FILE)
    text = page(response)
    for line, reason in [
        (2, "No e-mail address."),
        (3, "“not-an-address” is not a valid e-mail address."),
        (5, "The file lists ok@example.com already, on line 4."),
        (6, "No name."),
        (7, "Unknown role “wizard”: use one of admin, manager, employee, recruiter."),
        (8, "A team member must be an employee or a manager, not recruiter."),
        (9, "A team manager must be a manager or an admin, not employee."),
        (10, "They cannot be both a member and a manager of Care."),
    ]:
        assert f"Line {line}" in text and reason in text, (line, reason)
    assert "1 to add, 0 to update, 0 unchanged, 8 refused." in text
    apply(client, response)
    assert set(people(app)) == {"ok@example.com", *[p for p in people(app) if "admin" in p]}
    assert people(app)["ok@example.com"] == ("Okay Person", "employee", {})


def test_a_deactivated_person_is_refused(app, client, make_user):
    sign_in_admin(client, make_user)
    make_user(Role.EMPLOYEE, email="sam.patel@example.com", active=False)
    text = page(preview(client, FILE))
    assert "Line 2 (sam.patel@example.com):" in text
    assert "account is deactivated: reactivate it on their page first." in text


def test_a_role_change_that_breaks_a_team_place_is_refused(app, client, make_user, make_team):
    admin = sign_in_admin(client, make_user)
    sam = make_user(Role.EMPLOYEE, name="Sam Patel", email="sam.patel@example.com")
    make_team("Care", managers=[admin], members=[sam])
    text = page(preview(client, "name,email,role\nSam Patel,sam.patel@example.com,recruiter\n"))
    assert "As recruiter they could not keep their place in a team" in text


def test_excel_style_files_are_read(app, client, make_user):
    sign_in_admin(client, make_user)
    tabbed = "Name\tE-mail\tRole\r\nSam Patel\tsam@example.com\temployee\r\n"
    response = preview(client, tabbed.encode("utf-16"))
    assert rows_of(response) == [(2, "Add", "New employee")]
    bom = "\ufeffname,email\n\nSam Patel,sam@example.com\n".encode()
    assert rows_of(preview(client, bom)) == [(3, "Add", "New employee")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"name,email\n", "The file has a header row but nobody under it."),
        (b"full name,role\nSam,employee\n", "missing: email."),
        (b"name,email\n\xff\xfe\xfa,x@example.com\n", "The file is not UTF-8 text"),
        (b'name,email\n"Sam,x@example.com\n', "is not valid CSV"),
        (b"name,email\nSam\0,x@example.com\n", "The file holds a NUL character"),
    ],
)
def test_an_unreadable_file_shows_the_error_and_changes_nothing(
    app, client, make_user, content, message
):
    sign_in_admin(client, make_user)
    before = snapshot(app)
    response = preview(client, content)
    assert response.status_code == 200
    text = page(response)
    assert 'id="file-error"' in text and message in text
    assert snapshot(app) == before


def test_no_file_is_an_error(app, client, make_user):
    sign_in_admin(client, make_user)
    response = client.post("/people/import", data={}, content_type="multipart/form-data")
    assert "Choose a CSV file to preview." in page(response)


@pytest.mark.parametrize("data", ["", "not base64!", "bmFtZQ==", "ʼ OR ʼ1ʼ=ʼ1"])
def test_a_tampered_apply_changes_nothing(app, client, make_user, data):
    sign_in_admin(client, make_user)
    before = snapshot(app)
    response = client.post("/people/import/apply", data={"contents": data})
    assert response.status_code == 302
    assert response.headers["Location"] == "/people/import"
    assert snapshot(app) == before


def test_the_plan_is_made_again_when_applied(app, client, make_user):
    """Someone added between the preview and the apply is updated, not added twice."""
    sign_in_admin(client, make_user)
    shown = preview(client, FILE)
    make_user(Role.EMPLOYEE, email="lee.park@example.com", name="Lee P")
    apply(client, shown)
    assert "Imported: 2 added, 1 updated, 0 unchanged, 0 refused." in page(client.get("/people/"))
    assert people(app)["lee.park@example.com"] == ("Lee Park", "employee", {"Care": "member"})


def test_the_good_rows_are_applied_in_one_transaction(app, client, make_user):
    """When the last row fails as it is written, the rows before it are not kept."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("the failing write is made with a SQLite trigger")
    sign_in_admin(client, make_user)
    before = snapshot(app)
    shown = preview(client, FILE)
    with app.app_context():
        db.session.execute(
            text(
                "CREATE TRIGGER refuse_lee BEFORE INSERT ON users "
                "WHEN NEW.email = 'lee.park@example.com' "
                "BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
        )
        db.session.commit()
    try:
        response = apply(client, shown)
    finally:
        with app.app_context():
            db.session.execute(text("DROP TRIGGER refuse_lee"))
            db.session.commit()
    assert response.headers["Location"] == "/people/import"
    assert "Someone changed these people meanwhile" in page(client.get("/people/import"))
    assert snapshot(app) == before
