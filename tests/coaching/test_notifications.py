"""What coaching tells people (`coaching.nudges`, `coaching.reminders`): a session
shared, changed after its acknowledgement, acknowledged; actions given out, due soon
and overdue; the next session's date, with a calendar invitation. Each reaches only
people who may see it, links to a page they may open, and carries no note."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import icalendar
from sqlalchemy import delete, func, select

from coachkit.auth.models import User
from coachkit.coaching import record, reminders
from coachkit.coaching.models import Owner
from coachkit.coaching.record import SessionData
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.notifications.models import OutboxMessage
from coachkit.teams.models import Membership
from tests.coaching.conftest import action, action_id, form_fields
from tests.conftest import page, signed_in

TODAY = utcnow().date()
SHARED_NOTE = "Let the customer finish the story"
PRIVATE_NOTE = "Seems distracted since the reorganisation"
PRIVATE_ACTION = "Check in about the workload"


def who(found) -> list[tuple[int, str]]:
    return sorted((n.recipient_id, n.kind) for n in found)


def by_person(found) -> dict[int, tuple[str, str]]:
    """Each recipient's one notification: its subject and the path it links to."""
    assert len({n.recipient_id for n in found}) == len(found)
    return {n.recipient_id: (n.subject, n.path) for n in found}


def scan(app, which, day: date) -> int:
    """Run a reminder scan as the worker would on `day`, and commit."""
    with app.app_context():
        made = which(datetime.combine(day, time(0, 5), tzinfo=UTC))
        db.session.commit()
        return made


def no_notes(found) -> bool:
    """Whether no notification's subject or e-mail holds a note or a private action."""
    text = " ".join(f"{n.subject} {n.email or ''}" for n in found)
    return not any(secret in text for secret in (SHARED_NOTE, PRIVATE_NOTE, PRIVATE_ACTION))


def test_recording_a_session_tells_the_employee_what_they_may_see(
    app, crew, session_form, notified
):
    held = TODAY - timedelta(days=1)
    manager = signed_in(app, crew.manager)
    response = manager.post(
        f"/coaching/people/{crew.employee.id}/sessions/new",
        data=session_form(
            held_on=held.isoformat(),
            went_well=SHARED_NOTE,
            to_improve=PRIVATE_NOTE,
            to_improve_private="y",
            next_session_on=(TODAY + timedelta(days=27)).isoformat(),
            **{
                "actions-0-text": "Review two calls a week",
                "actions-0-due_on": (TODAY + timedelta(days=14)).isoformat(),
                "actions-1-text": PRIVATE_ACTION,
                "actions-1-private": "y",
                "actions-2-text": "Pair them with a strong listener",
                "actions-2-owner": "manager",
                "actions-2-private": "y",
            },
        ),
    )
    session_id = int(response.headers["Location"].rsplit("/", 1)[1])
    found = notified()
    assert who(found) == [
        (crew.employee.id, "action_assigned"),
        (crew.employee.id, "session_shared"),
    ]
    shared, given = sorted(found, key=lambda n: n.kind, reverse=True)
    assert shared.subject == f"Maya Manager shared your coaching session of {held:%-d %B %Y}"
    assert given.subject == "Action for you: Review two calls a week"
    assert shared.path == given.path == f"/coaching/mine/{session_id}"
    assert "acknowledge it when you have" in shared.email
    assert f"next session is set for {TODAY + timedelta(days=27):%A %-d %B %Y}" in shared.email
    assert "It is due on" in given.email and "with Maya Manager" in given.email
    assert no_notes(found)
    employee = signed_in(app, crew.employee)
    listed = page(employee.get("/notifications"))
    assert shared.subject in listed and given.subject in listed
    assert employee.get(shared.path).status_code == 200


def test_an_action_another_manager_gives_the_coach_reaches_the_coach_alone(
    app, crew, make_session, notified
):
    session_id = make_session(crew.employee, crew.manager)
    before = len(notified())
    editor = signed_in(app, crew.co_manager)
    path = f"/coaching/sessions/{session_id}/edit"
    fields = form_fields(editor.get(path))
    fields.update(
        {
            "actions-0-text": "Book a call review with the team lead",
            "actions-0-owner": "manager",
            "actions-0-private": "y",
            "actions-0-due_on": (TODAY + timedelta(days=10)).isoformat(),
        }
    )
    assert editor.post(path, data=fields).status_code == 302
    [given] = notified()[before:]
    assert (given.recipient_id, given.kind) == (crew.manager.id, "action_assigned")
    assert given.subject == "Action for you (Erin Employee): Book a call review with the team lead"
    assert given.path == f"/coaching/sessions/{session_id}"
    assert signed_in(app, crew.manager).get(given.path).status_code == 200


def test_the_employee_hears_of_a_change_they_can_see_after_acknowledging(
    app, crew, make_session, notified
):
    fresh = make_session(crew.employee, crew.manager, notes={"went_well": "Calm"})
    read = make_session(
        crew.employee,
        crew.manager,
        notes={"went_well": "Calm", "to_improve": "Private view"},
        private={"to_improve"},
        acknowledged_at=utcnow(),
    )
    before = len(notified())
    manager = signed_in(app, crew.manager)

    def edit(session_id: int, **changes: str) -> None:
        path = f"/coaching/sessions/{session_id}/edit"
        fields = form_fields(manager.get(path))
        fields.update(changes)
        assert manager.post(path, data=fields).status_code == 302

    edit(fresh, went_well=SHARED_NOTE)  # not acknowledged yet: nothing to say
    edit(read, to_improve=PRIVATE_NOTE)  # the employee cannot see that part
    assert notified()[before:] == []
    edit(read, went_well=SHARED_NOTE)
    [changed] = notified()[before:]
    assert (changed.recipient_id, changed.kind) == (crew.employee.id, "session_edited")
    held = TODAY - timedelta(days=7)
    assert changed.subject == (
        f"Your coaching session of {held:%-d %B %Y} was changed after you acknowledged it"
    )
    assert changed.path == f"/coaching/mine/{read}"
    assert no_notes([changed])


def test_an_acknowledgement_tells_the_coach_once_without_the_comment(
    app, crew, make_session, notified
):
    session_id = make_session(crew.employee, crew.manager)
    before = len(notified())
    employee = signed_in(app, crew.employee)
    comment = {"comment": "I see the refund call differently"}
    for _ in range(2):
        path = f"/coaching/mine/{session_id}/acknowledge"
        assert employee.post(path, data=comment).status_code == 302
    [told] = notified()[before:]
    assert (told.recipient_id, told.kind) == (crew.manager.id, "session_acknowledged")
    held = TODAY - timedelta(days=7)
    assert told.subject == f"Erin Employee acknowledged the coaching session of {held:%-d %B %Y}"
    assert told.path == f"/coaching/sessions/{session_id}"
    assert "They left you a comment" in told.email and "refund call" not in told.email
    assert signed_in(app, crew.manager).get(told.path).status_code == 200


def test_a_coach_who_left_the_team_is_not_told(app, crew, make_session, notified):
    session_id = make_session(crew.employee, crew.manager)
    before = len(notified())
    with app.app_context():
        db.session.execute(delete(Membership).where(Membership.user_id == crew.manager.id))
        db.session.commit()
    employee = signed_in(app, crew.employee)
    assert employee.post(f"/coaching/mine/{session_id}/acknowledge").status_code == 302
    assert notified()[before:] == []


def test_a_rolled_back_session_notifies_nobody(app, crew, notified):
    with app.app_context():
        record.create(
            db.session.get_one(User, crew.employee.id),
            db.session.get_one(User, crew.manager.id),
            SessionData(
                held_on=TODAY,
                kind="One-to-one",
                notes={},
                private=set(),
                ratings={},
                next_session_on=TODAY,
                actions=[action("Review two calls", due=TODAY)],
            ),
        )
        db.session.rollback()
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        db.session.remove()
    assert notified() == []


def test_action_reminders_reach_each_actions_owner_and_nobody_else(
    app, crew, make_session, notified
):
    due = TODAY + timedelta(days=9)
    session_id = make_session(
        crew.employee,
        crew.manager,
        actions=[
            action("Review two calls a week", due=due),
            action(PRIVATE_ACTION, due=due, private=True),
            action("Pair them with a strong listener", due=due, private=True, owner=Owner.MANAGER),
        ],
    )
    elsewhere = make_session(
        crew.outsider, crew.other_manager, actions=[action("Elsewhere", due=due)]
    )
    before = len(notified())
    assert scan(app, reminders.actions_due_soon, due - timedelta(days=3)) == 0
    assert scan(app, reminders.actions_due_soon, due - timedelta(days=2)) == 3
    assert scan(app, reminders.actions_due_soon, due - timedelta(days=1)) == 0  # reminded
    soon = notified()[before:]
    assert {n.kind for n in soon} == {"action_due_soon"}
    when = f"Action due on {due:%A %-d %B}"
    assert by_person(soon) == {
        crew.employee.id: (f"{when}: Review two calls a week", f"/coaching/mine/{session_id}"),
        crew.manager.id: (
            f"{when} (Erin Employee): Pair them with a strong listener",
            f"/coaching/sessions/{session_id}",
        ),
        crew.outsider.id: (f"{when}: Elsewhere", f"/coaching/mine/{elsewhere}"),
    }
    assert no_notes(soon)

    employee = signed_in(app, crew.employee)
    done = action_id(app, "Review two calls a week")
    assert employee.post(f"/coaching/actions/{done}/done", data={"done": "1"}).status_code == 302
    before = len(notified())
    monday = due + timedelta(days=7 - due.weekday())
    assert scan(app, reminders.actions_overdue, monday) == 2  # the coach's and the outsider's
    assert scan(app, reminders.actions_overdue, monday + timedelta(days=7)) == 2  # digest
    overdue = notified()[before:]
    assert crew.employee.id not in {n.recipient_id for n in overdue}
    assert [n.digest_pending for n in overdue] == [False, False, True, True]
    assert overdue[0].subject.startswith(f"Action overdue, due {due:%-d %B %Y}")


def test_next_session_reminder_brings_a_calendar_invitation(
    app, crew, make_session, notified, run_pass, mailbox
):
    held = TODAY - timedelta(days=28)
    session_id = make_session(
        crew.employee,
        crew.manager,
        held_on=held,
        notes={"went_well": SHARED_NOTE, "to_improve": PRIVATE_NOTE},
        private={"to_improve"},
        next_session_on=TODAY,
    )
    make_session(crew.colleague, crew.manager, held_on=held, next_session_on=TODAY)
    make_session(crew.colleague, crew.manager, held_on=TODAY)  # the next one took place
    run_pass()
    assert run_pass().scanned["coaching.next_sessions"] == 0
    found = notified("next_session_due")
    on = f"{TODAY:%A %-d %B %Y}"
    mine = f"/coaching/mine/{session_id}"
    theirs = f"/coaching/sessions/{session_id}"
    assert by_person(found) == {
        crew.employee.id: (f"Your next coaching session with Maya Manager: {on}", mine),
        crew.manager.id: (f"Next coaching session with Erin Employee: {on}", theirs),
    }
    emails = {
        e["To"]: e for e in mailbox.received if "next coaching session" in e["Subject"].lower()
    }
    assert set(emails) == {crew.employee.email, crew.manager.email}
    for address, with_whom, link in (
        (crew.employee.email, "Maya Manager", mine),
        (crew.manager.email, "Erin Employee", theirs),
    ):
        email = emails[address]
        body = email.get_body(("plain",)).get_content()
        assert f"https://coachkit.test{link}" in body
        assert "calendar invitation is attached" in body
        assert SHARED_NOTE not in body and PRIVATE_NOTE not in body
        [attachment] = list(email.iter_attachments())
        assert attachment.get_content_type() == "text/calendar"
        [event] = icalendar.Calendar.from_ical(attachment.get_content()).walk("VEVENT")
        assert event.decoded("DTSTART") == TODAY
        assert event.decoded("DTEND") == TODAY + timedelta(days=1)
        assert str(event["SUMMARY"]) == f"Coaching session with {with_whom}"
        assert str(event["UID"]) == f"coaching-session-{session_id}-next@coachkit"
        assert str(event["URL"]) == f"https://coachkit.test{link}"
    assert all(PRIVATE_NOTE not in e.get_body(("plain",)).get_content() for e in mailbox.received)
