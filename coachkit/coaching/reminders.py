"""Coaching reminders (scans the worker runs once a day): open action items due within
two days, and overdue (once, then weekly in the digest), to whoever hears about the
action (`nudges.owner_id`); and the date set for a next session, when it comes, to the
employee and their coach, with a calendar invitation.

Each goes only where its link may be followed: the employee's own session page while
they may use My coaching, the coach's session page while they still coach the
employee.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Row, and_, or_, select
from sqlalchemy.orm import aliased, joinedload

from coachkit.auth.models import Role, User
from coachkit.coaching import nudges
from coachkit.coaching.models import COACHED, ActionItem, CoachingSession, Owner
from coachkit.database import plain_rows
from coachkit.extensions import db
from coachkit.notifications import reminders
from coachkit.notifications.kinds import Kind
from coachkit.notifications.reminders import Reminder

# A next session's date found this many days late (the worker was stopped) still
# reminds; older ones have passed.
NEXT_SESSION_GRACE_DAYS = 7


_ActionColumns = tuple[int, int, str, date | None, Owner, bool, int, int | None, date, str, Role]


@dataclass(frozen=True)
class _DueAction:
    """An open action falling due, and who hears about it (`nudges.owner_id`)."""

    id: int
    session_id: int
    text: str
    due_on: date
    owner_id: int
    employee_id: int
    employee_name: str
    held_on: date


@reminders.daily
def actions_due_soon(now: datetime) -> int:
    """Remind of open actions due within two days, once per due date."""
    today = now.date()
    due = _open_actions(ActionItem.due_on.between(today, reminders.due_soon_until(today)))
    return reminders.send(
        Kind.ACTION_DUE_SOON,
        [_action_reminder(a, f"Action due on {a.due_on:%A %-d %B}") for a in due],
    )


@reminders.daily
def actions_overdue(now: datetime) -> int:
    """Remind of overdue open actions: once, then weekly in the digest."""
    today = now.date()
    due = _open_actions(ActionItem.due_on < today)
    return reminders.send_overdue(
        Kind.ACTION_OVERDUE,
        [_action_reminder(a, f"Action overdue, due {a.due_on:%-d %B %Y}") for a in due],
        today,
    )


@reminders.daily
def next_sessions(now: datetime) -> int:
    """Remind the employee and the coach when the date a session set for the next one
    comes, unless a session was recorded after it."""
    found: list[Reminder] = []
    coaches: dict[int, User] = {}
    coached: dict[int, list[CoachingSession]] = defaultdict(list)
    for session in _next_date_reached(now.date()):
        employee = session.employee
        if employee.active and employee.role in COACHED:
            found.append(_next_session(session, employee))
        if session.coach is not None:
            coaches[session.coach.id] = session.coach
            coached[session.coach.id].append(session)
    for coach_id, coach in coaches.items():
        open_to = nudges.open_to(coach, {session.id for session in coached[coach_id]})
        found += [_next_session(s, coach) for s in coached[coach_id] if s.id in open_to]
    return reminders.send(Kind.NEXT_SESSION_DUE, found)


def _next_date_reached(today: date) -> list[CoachingSession]:
    """Sessions whose next date came in the last few days, each its employee's latest."""
    later = aliased(CoachingSession)
    recorded_after = (
        select(later.id)
        .where(
            later.employee_id == CoachingSession.employee_id,
            or_(
                later.held_on > CoachingSession.held_on,
                and_(later.held_on == CoachingSession.held_on, later.id > CoachingSession.id),
            ),
        )
        .exists()
    )
    since = today - timedelta(days=NEXT_SESSION_GRACE_DAYS)
    return list(
        db.session.scalars(
            select(CoachingSession)
            .where(CoachingSession.next_session_on.between(since, today), ~recorded_after)
            .options(joinedload(CoachingSession.employee), joinedload(CoachingSession.coach))
            .order_by(CoachingSession.id)
        )
    )


def _open_actions(due: ColumnElement[bool]) -> list[_DueAction]:
    """Open actions due as `due` says, each for the person who hears about it, if they
    may follow the reminder's link (one query per coach concerned)."""
    found = [
        _DueAction(
            row.id,
            row.session_id,
            row.text,
            row.due_on,
            owner,
            row.employee_id,
            row.name,
            row.held_on,
        )
        for row in _open_action_rows(due)
        if row.due_on is not None
        and (owner := nudges.owner_id(row.owner, row.private, row.employee_id, row.coach_id))
        and (owner != row.employee_id or row.role in COACHED)
    ]
    coaches = {a.owner_id for a in found if a.owner_id != a.employee_id}
    open_to: set[tuple[int, int]] = set()  # (coach, session)
    for coach in db.session.scalars(select(User).where(User.id.in_(coaches))):
        theirs = {a.session_id for a in found if a.owner_id == coach.id}
        open_to |= {(coach.id, s) for s in nudges.open_to(coach, theirs)}
    return [
        a for a in found if a.owner_id == a.employee_id or (a.owner_id, a.session_id) in open_to
    ]


def _open_action_rows(due: ColumnElement[bool]) -> list[Row[_ActionColumns]]:
    employee = aliased(User)
    return plain_rows(
        select(
            ActionItem.id,
            ActionItem.session_id,
            ActionItem.text,
            ActionItem.due_on,
            ActionItem.owner,
            ActionItem.private,
            CoachingSession.employee_id,
            CoachingSession.coach_id,
            CoachingSession.held_on,
            employee.name,
            employee.role,
        )
        .join(CoachingSession, CoachingSession.id == ActionItem.session_id)
        .join(employee, employee.id == CoachingSession.employee_id)
        .where(ActionItem.done_at.is_(None), due, employee.active.is_(True))
        .order_by(ActionItem.id)
    )


def _action_reminder(action: _DueAction, when: str) -> Reminder:
    employee = action.owner_id == action.employee_id
    for_whom = "" if employee else f" ({action.employee_name})"
    source = nudges.whose(action.held_on, action.employee_name, employee=employee)
    return Reminder(
        recipient_id=action.owner_id,
        occasion=nudges.occasion(action.id, action.due_on),
        subject=f"{when}{for_whom}: {nudges.short(action.text)}",
        path=nudges.page_of(action.session_id, employee=employee),
        details=f"From {source}. Once it is done, mark it done on the session page.",
        about=nudges.about(action.session_id),
    )


def _next_session(session: CoachingSession, person: User) -> Reminder:
    """The reminder of the session's next date to its employee or its coach."""
    on = session.next_session_on or session.held_on  # selected for having one
    employee = person.id == session.employee_id
    subject = (
        f"Your next coaching session with {nudges.coach_name(session)}"
        if employee
        else f"Next coaching session with {session.employee.name}"
    )
    source = nudges.whose(session.held_on, session.employee.name, employee=employee)
    return Reminder(
        recipient_id=person.id,
        occasion=f"session:{session.id}:next:{on.isoformat()}",
        subject=f"{subject}: {on:%A %-d %B %Y}",
        path=nudges.page_of(session.id, employee=employee),
        details=f"Set at {source}. A calendar invitation is attached.",
        about=nudges.about(session.id),
        ical=nudges.invite(session, person),
    )
