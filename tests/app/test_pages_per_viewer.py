"""A page is rendered for the person asking: when two people request the same page in
turn, each response holds their own content (their name, their forms' CSRF tokens,
what their role may see and do) and nothing rendered for the other."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from coachkit.auth.models import Role, User
from coachkit.coaching import record
from coachkit.coaching.models import Owner
from coachkit.coaching.record import ActionRow, SessionData
from coachkit.content.library import library
from coachkit.extensions import db
from coachkit.hiring.models import Opening
from coachkit.training import player
from tests.conftest import page, play_through, signed_in

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
PRIVATE_NOTE = "Struggles with the new tariff sheet"
PRIVATE_ACTION = "Ask HR about the course budget"
MANAGERS_ACTION = "Book a refresher with the billing team"
SHARED_ACTION = "Call the customer back within the day"


@pytest.fixture
def app(app_factory):
    """CSRF on, as in production: every form carries its session's token."""
    return app_factory(WTF_CSRF_ENABLED=True)


def tokens(body: str) -> set[str]:
    return set(TOKEN.findall(body))


def in_turn(first, second, path: str, other_path: str | None = None) -> tuple[str, str]:
    """`path` as `first` sees it, then (`other_path` or) `path` as `second` sees it;
    neither response holds a CSRF token of the other's page."""
    seen_first = first.get(path)
    seen_second = second.get(other_path or path)
    assert seen_first.status_code == seen_second.status_code == 200
    bodies = seen_first.get_data(as_text=True), seen_second.get_data(as_text=True)
    assert tokens(bodies[0]) and tokens(bodies[1])
    assert not tokens(bodies[0]) & tokens(bodies[1])
    return page(seen_first), page(seen_second)


@pytest.fixture
def coached(app, make_user, make_team):
    """A team with two managers and an employee, and a session with a private note, a
    private action, a manager's action and an action for the employee."""
    manager = make_user(Role.MANAGER, name="Maya Manager")
    co_manager = make_user(Role.MANAGER, name="Colin Comanager")
    employee = make_user(Role.EMPLOYEE, name="Erin Employee")
    make_team("Care", [manager, co_manager], [employee])
    with app.app_context():
        session = record.create(
            db.session.get_one(User, employee.id),
            db.session.get_one(User, manager.id),
            SessionData(
                held_on=date.today() - timedelta(days=3),
                kind="One-to-one",
                notes={"went_well": "Listened to the whole story.", "reality": PRIVATE_NOTE},
                private={"reality"},
                ratings={},
                next_session_on=None,
                actions=[
                    ActionRow(PRIVATE_ACTION, Owner.MANAGER, None, True),
                    ActionRow(MANAGERS_ACTION, Owner.MANAGER, None, False),
                    ActionRow(SHARED_ACTION, Owner.EMPLOYEE, None, False),
                ],
            ),
        )
        db.session.commit()
        session_id = session.id
    return manager, co_manager, employee, session_id


def test_a_coaching_session_as_its_manager_and_then_as_its_employee(app, coached):
    manager, _, employee, session_id = coached
    coach, coachee = signed_in(app, manager), signed_in(app, employee)
    coach_view, employee_view = in_turn(
        coach, coachee, f"/coaching/sessions/{session_id}", f"/coaching/mine/{session_id}"
    )
    assert PRIVATE_NOTE in coach_view and PRIVATE_ACTION in coach_view
    assert coach_view.count("Mark done") == 3  # a coach ticks off every action
    assert "Maya Manager" in coach_view and "Suggested practice" in coach_view
    assert PRIVATE_NOTE not in employee_view and PRIVATE_ACTION not in employee_view
    assert MANAGERS_ACTION in employee_view and SHARED_ACTION in employee_view
    assert employee_view.count("Mark done") == 1  # only the employee's own action
    assert "Suggested practice" not in employee_view
    # And back: the coach's page again has nothing of the employee's.
    again = page(coach.get(f"/coaching/sessions/{session_id}"))
    assert PRIVATE_NOTE in again and again.count("Mark done") == 3
    assert not tokens(again) & tokens(employee_view)


def test_the_same_coaching_session_as_each_of_its_two_managers(app, coached):
    manager, co_manager, _, session_id = coached
    path = f"/coaching/sessions/{session_id}"
    first, second = in_turn(signed_in(app, manager), signed_in(app, co_manager), path)
    assert "Maya Manager" in first.split("<main")[0]
    assert "Colin Comanager" in second.split("<main")[0]
    assert "Colin Comanager" not in first.split("<main")[0]


def test_a_form_on_the_page_works_with_its_own_token_only(app, coached):
    """The action buttons post with the token of the page they are on; the other
    person's token from their copy of a page is refused."""
    manager, co_manager, _, session_id = coached
    coach, co_coach = signed_in(app, manager), signed_in(app, co_manager)
    mine, theirs = (
        client.get(f"/coaching/sessions/{session_id}").get_data(as_text=True)
        for client in (coach, co_coach)
    )
    action = re.search(r'action="(/coaching/actions/\d+/done)"', mine)[1]
    form = {"done": "1", "next": f"/coaching/sessions/{session_id}"}
    refused = coach.post(action, data={**form, "csrf_token": TOKEN.search(theirs)[1]})
    assert refused.status_code == 400
    accepted = coach.post(action, data={**form, "csrf_token": TOKEN.search(mine)[1]})
    assert accepted.status_code == 302


def test_each_employee_sees_their_own_practice_and_results(app, make_user):
    erin = make_user(Role.EMPLOYEE, name="Erin Employee")
    sam = make_user(Role.EMPLOYEE, name="Sam Second")
    slug, other_slug = "charged-twice", "the-wedding-suit"
    with app.app_context():
        finished = {
            person.id: play_through(db.session.get_one(User, person.id), slug, reflection)
            for person, reflection in ((erin, "Erin's own lesson"), (sam, "Sam's own lesson"))
        }
        module = library().modules[other_slug]
        player.start(db.session.get_one(User, sam.id), module)  # Sam's unfinished attempt
        db.session.commit()
    first, second = signed_in(app, erin), signed_in(app, sam)
    erin_home, sam_home = in_turn(first, second, "/")
    assert "Erin Employee" in erin_home and "Sam Second" not in erin_home
    assert module.title not in erin_home and "No conversation in progress" in erin_home
    assert module.title in sam_home and "Erin Employee" not in sam_home
    erin_results, sam_results = in_turn(
        first,
        second,
        f"/training/attempts/{finished[erin.id]}/results",
        f"/training/attempts/{finished[sam.id]}/results",
    )
    assert "Erin's own lesson" in erin_results and "Sam's own lesson" not in erin_results
    assert "Sam's own lesson" in sam_results and "Erin's own lesson" not in sam_results


def test_the_openings_list_as_two_recruiters_in_turn(app, make_user, make_team):
    riley = make_user(Role.RECRUITER, name="Riley Recruiter")
    ada = make_user(Role.ADMIN, name="Ada Admin")
    team_id = make_team("Care", [make_user(Role.MANAGER)])
    with app.app_context():
        for title in ("Care adviser", "Billing adviser"):
            db.session.add(
                Opening(
                    title=title,
                    exercise_slug="an-afternoon-on-the-help-line",
                    team_id=team_id,
                    contact_name=riley.name,
                    contact_email=riley.email,
                    created_by_id=riley.id,
                    invite_days=14,
                    raters_required=2,
                )
            )
        db.session.commit()
    first, second = signed_in(app, riley), signed_in(app, ada)
    for path in ("/hiring/", "/"):
        riley_view, ada_view = in_turn(first, second, path)
        assert "Riley Recruiter" in riley_view and "Ada Admin" not in riley_view
        assert "Ada Admin" in ada_view and "Riley Recruiter" not in ada_view.split("<main")[0]
        if path == "/hiring/":
            assert "Care adviser" in riley_view and "Billing adviser" in ada_view
