"""What training tells people: a module assigned (or its due date moved) to the
assignee, in the transaction that assigns it; and, found by the worker's scans,
modules due within two days and overdue ones (once, then weekly in the digest)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select, update

from coachkit.auth.models import Role, User
from coachkit.content.library import library
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.notifications.models import Notification, OutboxMessage
from coachkit.training import assignments, reminders
from coachkit.training.models import Assignment
from tests.conftest import Person, page, play_through, signed_in

SLUG = "charged-twice"


@dataclass(frozen=True)
class People:
    manager: Person
    members: list[Person]
    team_id: int
    other_manager: Person
    outsider: Person


@pytest.fixture
def people(make_user, make_team) -> People:
    manager = make_user(Role.MANAGER, name="Maya Manager")
    members = [make_user(name=f"Member {n}") for n in range(2)]
    team_id = make_team("Care", [manager], members)
    other_manager = make_user(Role.MANAGER, name="Otto Othermanager")
    outsider = make_user(name="Olga Outsider")
    make_team("Sales", [other_manager], [outsider])
    return People(manager, members, team_id, other_manager, outsider)


@pytest.fixture
def title(app) -> str:
    with app.app_context():
        return library().modules[SLUG].title


def assign(app, people: People, due: date, members: list[Person] | None = None) -> None:
    """Assign the module through the domain, as the manager, and commit."""
    with app.app_context():
        users = [db.session.get_one(User, m.id) for m in members or people.members]
        manager = db.session.get_one(User, people.manager.id)
        assignments.assign(SLUG, users, due, manager)
        db.session.commit()


def at(day: date) -> datetime:
    """A moment of that day, as the worker's scans receive it."""
    return datetime.combine(day, time(0, 5), tzinfo=UTC)


def scan(app, which, day: date) -> int:
    with app.app_context():
        made = which(at(day))
        db.session.commit()
        return made


def test_assigning_a_team_tells_each_member_and_nobody_else(app, people, title, notified):
    due = utcnow().date() + timedelta(days=10)
    manager = signed_in(app, people.manager)
    data = {"module": SLUG, "target": f"team:{people.team_id}", "due_on": due.isoformat()}
    assert manager.post("/training/assign", data=data).status_code == 302
    found = notified()
    assert sorted(n.recipient_id for n in found) == sorted(m.id for m in people.members)
    assert {n.kind for n in found} == {"module_assigned"}
    first = found[0]
    assert first.subject == f"Module assigned to you, due {due:%-d %B %Y}: {title}"
    assert first.path == "/training/charged-twice"
    assert f"Maya Manager assigned it to you. It is due on {due:%A %-d %B %Y}." in first.email
    assert "https://coachkit.test/training/charged-twice" in first.email
    member = signed_in(app, people.members[0])
    assert first.subject in page(member.get("/notifications"))
    assert member.get(first.path).status_code == 200  # the page it links to opens


def test_assigning_again_tells_only_of_a_new_due_date(app, people, title, notified):
    due = utcnow().date() + timedelta(days=10)
    assign(app, people, due)
    assign(app, people, due)
    assert len(notified()) == 2
    later = due + timedelta(days=7)
    assign(app, people, later, people.members[:1])
    moved = notified()[-1]
    assert (moved.recipient_id, moved.kind) == (people.members[0].id, "module_assigned")
    assert moved.subject == f"New due date, {later:%-d %B %Y}: {title}"
    assert f"Maya Manager changed its due date to {later:%A %-d %B %Y}." in moved.email


def test_a_rolled_back_assignment_notifies_nobody(app, people, notified):
    with app.app_context():
        users = [db.session.get_one(User, m.id) for m in people.members]
        manager = db.session.get_one(User, people.manager.id)
        assignments.assign(SLUG, users, utcnow().date() + timedelta(days=3), manager)
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        db.session.remove()
    assert notified() == []


def test_due_soon_reminds_once_per_due_date_and_not_after_completing(app, people, title, notified):
    today = utcnow().date()
    due = today + timedelta(days=9)
    assign(app, people, due)
    done, waiting = people.members
    with app.app_context():
        play_through(db.session.get_one(User, done.id), SLUG, "The rent first.")
        db.session.commit()
    assert scan(app, reminders.due_soon, today + timedelta(days=6)) == 0  # due in 3 days
    assert scan(app, reminders.due_soon, today + timedelta(days=7)) == 1
    assert scan(app, reminders.due_soon, today + timedelta(days=8)) == 0  # reminded
    with app.app_context():
        # The same day's scan run again, past the once-a-day check: nothing new.
        assert reminders.due_soon.__wrapped__(at(today + timedelta(days=8))) == 0
        db.session.rollback()
    [reminder] = notified("module_due_soon")
    assert reminder.recipient_id == waiting.id
    assert reminder.subject == f"Module due on {due:%A %-d %B}: {title}"
    assert reminder.path == "/training/charged-twice"
    assign(app, people, due + timedelta(days=2), [waiting])  # a new due date...
    assert scan(app, reminders.due_soon, today + timedelta(days=9)) == 1  # ...reminds again


def test_a_module_assigned_shortly_before_its_due_date_gets_no_due_soon_reminder(
    app, people, notified
):
    today = utcnow().date()
    assign(app, people, today + timedelta(days=1))
    assert scan(app, reminders.due_soon, today) == 0
    assert {n.kind for n in notified()} == {"module_assigned"}


def test_overdue_reminds_once_then_weekly_in_the_digest(app, people, title, notified):
    today = utcnow().date()
    due = today + timedelta(days=3)
    late, done = people.members
    assign(app, people, due)
    with app.app_context():
        play_through(db.session.get_one(User, done.id), SLUG, "The rent first.")
        db.session.commit()
    monday = due + timedelta(days=7 - due.weekday())
    assert scan(app, reminders.overdue, due) == 0  # due today: not overdue yet
    assert scan(app, reminders.overdue, monday) == 1
    assert scan(app, reminders.overdue, monday + timedelta(days=3)) == 0  # the same week
    assert scan(app, reminders.overdue, monday + timedelta(days=7)) == 1
    assert scan(app, reminders.overdue, monday + timedelta(days=13)) == 0
    first, weekly = notified("module_overdue")
    assert {first.recipient_id, weekly.recipient_id} == {late.id}
    assert first.subject == weekly.subject == f"Module overdue, due {due:%-d %B %Y}: {title}"
    assert first.email is not None and not first.digest_pending  # e-mailed, as chosen
    assert weekly.email is None and weekly.digest_pending  # a line in the digest
    with app.app_context():
        play_through(db.session.get_one(User, late.id), SLUG, "The rent first.")
        db.session.commit()
    assert scan(app, reminders.overdue, monday + timedelta(days=14)) == 0


def test_deactivated_people_are_not_reminded(app, people, notified):
    today = utcnow().date()
    assign(app, people, today + timedelta(days=3))
    with app.app_context():
        db.session.execute(update(User).values(active=False))
        db.session.commit()
    assert scan(app, reminders.due_soon, today + timedelta(days=2)) == 0
    assert scan(app, reminders.overdue, today + timedelta(days=5)) == 0


def test_the_worker_reminds_once_however_often_it_runs(app, people, run_pass):
    """Due tomorrow, and assigned without a notification of its own (e.g. before
    coachkit notified): the worker's first pass reminds, the next finds nothing."""
    with app.app_context():
        db.session.add(
            Assignment(
                user_id=people.members[0].id,
                module_slug=SLUG,
                due_on=utcnow().date() + timedelta(days=1),
            )
        )
        db.session.commit()
    assert run_pass().scanned["training.due_soon"] == 1
    assert run_pass().scanned["training.due_soon"] == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 1
