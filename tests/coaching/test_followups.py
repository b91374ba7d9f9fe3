"""Following up: acknowledgement, the dashboard's overdue, unacknowledged and
not-coached lists with a frozen clock, and query counts that do not grow with data."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from coachkit.auth.models import Role
from coachkit.coaching.models import CoachingSession, Owner
from coachkit.coaching.record import ActionRow
from coachkit.extensions import db
from coachkit.teams.models import Membership, Position
from tests.coaching.conftest import action, action_id, counted, form_fields, load
from tests.conftest import login, page, signed_in

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


def section(body: str, anchor: str) -> str:
    """One card of the dashboard, by its id."""
    start = body.index(f'id="{anchor}"')
    return body[start : body.index("</section>", start)]


def stats(body: str) -> list[int]:
    return [int(n) for n in re.findall(r'<span class="stat-number">(\d+)</span>', body)]


# Acknowledgement


def test_employee_acknowledges_a_session_once(app, crew, make_session, freeze):
    session_id = make_session(crew.employee, crew.manager, held_on=TODAY - timedelta(days=1))
    client = signed_in(app, crew.employee)
    path = f"/coaching/mine/{session_id}"
    assert "Acknowledging tells your manager you have read this." in page(client.get(path))

    freeze(NOW)
    response = client.post(f"{path}/acknowledge", data={"comment": "  Thanks, agreed.  "})
    assert response.status_code == 302 and response.headers["Location"] == path
    body = page(client.get(path))
    assert "Thank you. Your manager can see that you have read this session." in body
    assert "on 15 Mar 2026 at 12:00 UTC" in body and "Your comment: Thanks, agreed." in body
    assert f'action="{path}/acknowledge"' not in body

    freeze(NOW + timedelta(days=2))
    again = client.post(f"{path}/acknowledge", data={"comment": "Changed my mind"})
    assert again.status_code == 302
    assert "You had already acknowledged this session." in page(client.get(path))
    stored = load(app, session_id)
    assert stored["acknowledged_at"] == NOW
    assert stored["employee_comment"] == "Thanks, agreed."

    manager_view = page(signed_in(app, crew.manager).get(f"/coaching/sessions/{session_id}"))
    assert "Erin Employee's comment" in manager_view and "Thanks, agreed." in manager_view


def test_the_managers_page_shows_an_acknowledgement_made_after_it_was_seen(app, crew, make_session):
    """An acknowledgement made after the manager opened the session page shows on their
    next view."""
    session_id = make_session(crew.employee, crew.manager)
    manager = signed_in(app, crew.manager)
    before = page(manager.get(f"/coaching/sessions/{session_id}"))
    assert "Not yet" in before and "Kept my word" not in before
    employee = signed_in(app, crew.employee)
    path = f"/coaching/mine/{session_id}/acknowledge"
    assert employee.post(path, data={"comment": "Kept my word"}).status_code == 302
    after = page(manager.get(f"/coaching/sessions/{session_id}"))
    assert "Not yet" not in after and "Kept my word" in after


def test_an_edit_after_acknowledgement_is_flagged_for_the_manager(app, crew, make_session):
    session_id = make_session(crew.employee, crew.manager)
    signed_in(app, crew.employee).post(f"/coaching/mine/{session_id}/acknowledge", data={})
    manager = signed_in(app, crew.manager)
    assert "Edited since" not in page(manager.get(f"/coaching/sessions/{session_id}"))
    path = f"/coaching/sessions/{session_id}/edit"
    fields = form_fields(manager.get(path))
    fields["goal"] = "A new goal"
    assert manager.post(path, data=fields).status_code == 302
    assert "Edited since" in page(manager.get(f"/coaching/sessions/{session_id}"))


def test_acknowledgement_comment_too_long(app, crew, make_session):
    session_id = make_session(crew.employee, crew.manager)
    client = signed_in(app, crew.employee)
    typed = "I see it differently. " * 100  # 2,200 characters
    response = client.post(f"/coaching/mine/{session_id}/acknowledge", data={"comment": typed})
    body = page(response)
    assert response.status_code == 200
    assert "Field cannot be longer than 2000 characters." in body
    assert typed.strip() in body
    assert load(app, session_id)["acknowledged_at"] is None


def test_acknowledging_needs_a_post(app, crew, make_session):
    session_id = make_session(crew.employee, crew.manager)
    client = signed_in(app, crew.employee)
    assert client.get(f"/coaching/mine/{session_id}/acknowledge").status_code == 405
    assert load(app, session_id)["acknowledged_at"] is None


# The dashboard, with the clock stopped


@pytest.fixture
def dashboard(app, crew, make_user, make_session, freeze):
    """Erin: a recent unacknowledged session with actions due before, on and after
    today. Carl: last coached on 1 Feb, acknowledged. Nina: never coached. Olga (the
    other team): an overdue action."""
    freeze(NOW)
    nina = make_user(Role.EMPLOYEE, name="Nina Never")
    with app.app_context():
        db.session.add(Membership(team_id=crew.team_id, user_id=nina.id, position=Position.MEMBER))
        db.session.commit()
    make_session(
        crew.employee,
        crew.manager,
        held_on=date(2026, 3, 1),
        actions=[
            action("Call back the bank", due=date(2026, 3, 14)),
            action("Due today", due=TODAY),
            ActionRow("Done already", Owner.EMPLOYEE, date(2026, 3, 10), False, done=True),
            action("No due date"),
            action("Book the course", due=date(2026, 3, 1), private=True, owner=Owner.MANAGER),
        ],
    )
    make_session(crew.colleague, crew.manager, held_on=date(2026, 2, 1), acknowledged_at=NOW)
    make_session(
        crew.outsider,
        crew.other_manager,
        held_on=date(2026, 3, 1),
        actions=[action("Outsider's overdue action", due=date(2026, 3, 1))],
    )
    return nina


def test_dashboard_lists_what_needs_attention(app, crew, dashboard):
    body = page(signed_in(app, crew.manager).get("/coaching/"))
    assert stats(body) == [2, 1, 2]
    overdue = section(body, "overdue")
    assert re.search(
        r"Book the course</a>\s*<span class=\"meta\">Erin Employee · your action"
        r" · due 01 Mar 2026 \(14 days ago\)",
        overdue,
    )
    assert "Call back the bank" in overdue and "(1 days ago)" in overdue
    assert overdue.index("Book the course") < overdue.index("Call back the bank")  # oldest first
    for text in ("Due today", "Done already", "No due date", "Outsider"):
        assert text not in overdue, text
    waiting = section(body, "unacknowledged")
    assert "Erin Employee: One-to-one, 01 Mar 2026" in waiting
    assert "Carl" not in waiting and "Olga" not in waiting
    not_coached = section(body, "not-coached")
    assert "Not coached in the last 30 days" in not_coached
    assert re.search(r"Nina Never</a>\s*<span class=\"meta\">never coached", not_coached)
    assert re.search(
        r"Carl Colleague</a>\s*<span class=\"meta\">last session 01 Feb 2026", not_coached
    )
    assert not_coached.index("Nina Never") < not_coached.index("Carl Colleague")
    assert "Erin" not in not_coached and "Olga" not in not_coached
    people = body[body.index("People you coach") :]
    erin_row = people[
        people.index("Erin Employee") : people.index("</tr>", people.index("Erin Employee"))
    ]
    assert "01 Mar 2026" in erin_row and "<td>4</td>" in erin_row  # open actions


def test_an_action_due_today_is_overdue_tomorrow(app, crew, dashboard, freeze):
    freeze(NOW + timedelta(days=1))
    body = page(signed_in(app, crew.manager).get("/coaching/"))
    overdue = section(body, "overdue")
    assert "Due today" in overdue and "Call back the bank" in overdue and "(2 days ago)" in overdue
    assert stats(body)[0] == 3


def test_marking_done_clears_the_overdue_entry(app, crew, dashboard):
    manager = signed_in(app, crew.manager)
    manager.post(
        f"/coaching/actions/{action_id(app, 'Call back the bank')}/done", data={"done": "1"}
    )
    overdue = section(page(manager.get("/coaching/")), "overdue")
    assert "Call back the bank" not in overdue and "Book the course" in overdue


def test_employee_sees_their_own_overdue_actions(app, crew, dashboard):
    body = page(signed_in(app, crew.employee).get("/coaching/mine/"))
    items = dict(
        re.findall(r'<span class="action-text-line">([^<]+)</span>(.*?)</div>', body, re.S)
    )
    assert "Overdue" in items["Call back the bank"]
    assert "Overdue" not in items["Due today"] and "Overdue" not in items["No due date"]
    assert "Done already" not in items and "Book the course" not in items


def test_acknowledged_session_leaves_the_waiting_list(app, crew, dashboard):
    with app.app_context():
        session_id = db.session.scalar(
            select(CoachingSession.id).where(CoachingSession.employee_id == crew.employee.id)
        )
    signed_in(app, crew.employee).post(f"/coaching/mine/{session_id}/acknowledge", data={})
    body = page(signed_in(app, crew.manager).get("/coaching/"))
    assert "Erin Employee" not in section(body, "unacknowledged")
    assert stats(body)[1] == 0


@pytest.mark.parametrize(
    ("last", "listed"), [(date(2026, 2, 12), True), (date(2026, 2, 13), False)]
)
def test_not_coached_is_measured_from_the_interval(app, crew, make_session, freeze, last, listed):
    freeze(NOW)
    make_session(crew.employee, crew.manager, held_on=last)
    make_session(crew.colleague, crew.manager, held_on=TODAY)
    not_coached = section(page(signed_in(app, crew.manager).get("/coaching/")), "not-coached")
    assert ("Erin Employee" in not_coached) is listed
    assert "Carl" not in not_coached


def test_coaching_interval_comes_from_the_config(app_factory, crew, dashboard):
    longer = app_factory(COACHING_INTERVAL_DAYS=60)
    client = longer.test_client()
    login(client, crew.manager)
    body = page(client.get("/coaching/"))
    not_coached = section(body, "not-coached")
    assert "Not coached in the last 60 days" in not_coached
    assert "Nina Never" in not_coached and "Carl Colleague" not in not_coached
    assert "not coached in 60 days" in body and stats(body)[2] == 1


# Query counts


def test_query_counts_do_not_grow_with_sessions(app, crew, make_session, make_attempt):
    attempt = make_attempt(crew.employee)
    today = date.today()

    def grow(rounds, start):
        ids = []
        for n in range(start, start + rounds):
            for person in (crew.employee, crew.colleague):
                ids.append(
                    make_session(
                        person,
                        crew.manager,
                        held_on=today - timedelta(days=25 * n + 1),
                        notes={"went_well": "Good", "reality": "Private view"},
                        private={"reality"},
                        ratings={"empathy": 1 + n % 5, "ownership": 3},
                        actions=[
                            action(f"Overdue {n}", due=today - timedelta(days=n + 1)),
                            action(f"Open {n}"),
                            action(f"Private {n}", private=True),
                        ],
                        evidence={attempt} if person == crew.employee else set(),
                    )
                )
        return ids

    manager, employee = signed_in(app, crew.manager), signed_in(app, crew.employee)
    first = grow(1, 0)[0]
    pages = [
        (manager, "/coaching/"),
        (manager, f"/coaching/people/{crew.employee.id}"),
        (manager, f"/coaching/people/{crew.employee.id}?skill=ownership"),
        (manager, f"/coaching/people/{crew.employee.id}/sessions/new"),
        (manager, f"/coaching/sessions/{first}"),
        (manager, f"/coaching/teams/{crew.team_id}/trends"),
        (manager, f"/coaching/teams/{crew.team_id}/sessions.csv?private=1"),
        (manager, f"/coaching/teams/{crew.team_id}/actions.csv"),
        (employee, "/coaching/mine/"),
        (employee, f"/coaching/mine/{first}"),
        (employee, "/coaching/mine/sessions.csv"),
    ]

    def measure():
        counts = {}
        for client, path in pages:
            with counted(app) as statements:
                assert client.get(path).status_code == 200, path
            counts[path] = len(statements)
        return counts

    small = measure()
    grow(9, 1)  # ten times the sessions, ratings and actions
    assert measure() == small
    assert max(small.values()) <= 10, small
