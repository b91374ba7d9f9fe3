"""Team progress leads somewhere: names to the person's coaching, completed assignments
to their results (for that person's managers only), completion per module, a reminder
through the notifications, and the catalogue marking what is assigned to the viewer."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from coachkit.auth.models import Role
from coachkit.extensions import db
from coachkit.notifications.models import Notification
from coachkit.training.models import Assignment
from tests.conftest import csrf_token, page, signed_in
from tests.training.test_progress import SLUG, assign, play

TODAY = date.today()


@pytest.fixture
def team(make_user, make_team):
    manager = make_user(Role.MANAGER, name="Maya Manager")
    members = [make_user(Role.EMPLOYEE, name=f"Member {n}") for n in range(3)]
    team_id = make_team("Care", [manager], members)
    other_manager = make_user(Role.MANAGER, name="Otto Other")
    outsider = make_user(Role.EMPLOYEE, name="Olga Outsider")
    other_team = make_team("Sales", [other_manager], [outsider])
    return manager, members, team_id, other_manager, outsider, other_team


def assignment_id(app, person):
    with app.app_context():
        return db.session.scalar(select(Assignment.id).where(Assignment.user_id == person.id))


def add_assignment(app, person, due_on):
    with app.app_context():
        db.session.add(Assignment(user_id=person.id, module_slug=SLUG, due_on=due_on))
        db.session.commit()


def reminders(app):
    with app.app_context():
        return db.session.scalars(select(Notification).order_by(Notification.id)).all()


def test_names_link_to_the_person_and_done_work_to_its_results(app, team):
    manager, members, team_id, *_ = team
    client = signed_in(app, manager)
    assign(client, f"team:{team_id}")
    attempt_id = play(app, members[0])
    body = page(client.get(f"/training/teams/{team_id}"))
    for member in members:
        assert f'<a href="/coaching/people/{member.id}">{member.name}</a>' in body
    assert f'href="/training/attempts/{attempt_id}/results"' in body
    assert body.count("/results") == 1  # only the completed one links to results
    results = client.get(f"/training/attempts/{attempt_id}/results")
    assert results.status_code == 200
    assert "How it went for Member 0" in page(results)
    assert "Member 0's skills in this conversation" in page(results)
    assert "The path Member 0 took" in page(results)
    assert "Try again" not in page(results)  # retrying is the learner's own


def test_completion_per_module_reads_in_words_and_colour(app, team):
    manager, members, team_id, *_ = team
    client = signed_in(app, manager)
    assign(client, f"team:{team_id}")
    play(app, members[0])
    body = page(client.get(f"/training/teams/{team_id}"))
    assert "33% done (1 of 3)" in body
    assert 'class="completion completion-low"' in body


def test_results_are_not_for_managers_of_other_teams_nor_colleagues(app, team):
    manager, members, team_id, other_manager, outsider, _ = team
    attempt_id = play(app, members[0])
    unfinished = play(app, members[1], finish=False)
    outsider_attempt = play(app, outsider)
    path = f"/training/attempts/{attempt_id}/results"
    assert signed_in(app, other_manager).get(path).status_code == 404
    assert signed_in(app, members[1]).get(path).status_code == 404
    managing = signed_in(app, manager)
    assert managing.get(f"/training/attempts/{outsider_attempt}/results").status_code == 404
    # an unfinished attempt has no results, and its player is the learner's alone
    assert managing.get(f"/training/attempts/{unfinished}/results").status_code == 404
    assert managing.get(f"/training/attempts/{unfinished}").status_code == 404


def test_remind_notifies_the_person_and_confirms_module_person_and_date(app, team):
    manager, members, team_id, *_ = team
    client = signed_in(app, manager)
    due = TODAY + timedelta(days=5)
    assign(client, f"user:{members[1].id}", due=due.isoformat())
    path = f"/training/teams/{team_id}/assignments/{assignment_id(app, members[1])}/remind"
    response = client.post(
        path, data={"csrf_token": csrf_token(client, f"/training/teams/{team_id}")}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == f"/training/teams/{team_id}"
    sent = [n for n in reminders(app) if n.subject.startswith("Reminder from your manager")]
    assert [(n.recipient_id, n.kind.value) for n in sent] == [(members[1].id, "module_due_soon")]
    assert sent[0].path == f"/training/{SLUG}"
    shown = page(client.get(response.headers["Location"]))
    assert (
        f"Reminded Member 1 of Charged twice, rent due tomorrow, due {due:%-d %B %Y}, "
        f"on {TODAY:%-d %B %Y}." in shown
    )


def test_an_overdue_reminder_says_overdue(app, team):
    manager, members, team_id, *_ = team
    add_assignment(app, members[0], TODAY - timedelta(days=2))
    client = signed_in(app, manager)
    client.post(f"/training/teams/{team_id}/assignments/{assignment_id(app, members[0])}/remind")
    assert [n.kind.value for n in reminders(app)] == ["module_overdue"]


def test_a_done_assignment_is_not_reminded(app, team):
    manager, members, team_id, *_ = team
    client = signed_in(app, manager)
    assign(client, f"user:{members[0].id}")
    play(app, members[0])
    before = len(reminders(app))
    client.post(f"/training/teams/{team_id}/assignments/{assignment_id(app, members[0])}/remind")
    assert len(reminders(app)) == before
    assert "Member 0 has already completed Charged twice, rent due tomorrow." in page(
        client.get(f"/training/teams/{team_id}")
    )


def test_remind_is_refused_across_teams_and_to_employees(app, team):
    manager, members, team_id, other_manager, outsider, other_team = team
    assign(signed_in(app, other_manager), f"user:{outsider.id}")
    theirs = assignment_id(app, outsider)
    client = signed_in(app, manager)
    assert client.post(f"/training/teams/{team_id}/assignments/{theirs}/remind").status_code == 404
    assert (
        client.post(f"/training/teams/{other_team}/assignments/{theirs}/remind").status_code == 404
    )
    employee = signed_in(app, members[0])
    path = f"/training/teams/{other_team}/assignments/{theirs}/remind"
    assert employee.post(path).status_code == 403
    assert reminders(app) == [] or all(
        not n.subject.startswith("Reminder from") for n in reminders(app)
    )


def test_remind_needs_a_post_with_a_csrf_token(app_factory, team):
    app = app_factory(WTF_CSRF_ENABLED=True)
    manager, members, team_id, *_ = team
    add_assignment(app, members[0], TODAY)
    client = signed_in(app, manager)
    path = f"/training/teams/{team_id}/assignments/{assignment_id(app, members[0])}/remind"
    assert client.get(path).status_code == 405
    assert client.post(path).status_code == 400
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count(Notification.id)).where(
                    Notification.subject.like("Reminder from%")
                )
            )
            == 0
        )


def test_the_catalogue_marks_what_is_assigned_to_the_viewer_and_overdue(app, team):
    manager, members, team_id, *_ = team
    add_assignment(app, members[0], TODAY - timedelta(days=1))
    body = page(signed_in(app, members[0]).get("/training/"))
    assert "Overdue</span> Assigned to you, was due" in body
    assert "Assigned to you" not in page(signed_in(app, members[1]).get("/training/"))
