"""What coaching tells people, in the transaction of the change: a session shared with
the employee, a change to a session they acknowledged, the acknowledgement (to the
coach), and an action item given to someone.

A message says only what its recipient may see on the page it links to: the employee
gets a link to their own session page (`my_coaching.show`) and never hears of private
notes or private actions; a coach gets a link to the session page (`coaching.show`),
and only while they may open it. Nobody is told what they did themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from coachkit.auth.models import User
from coachkit.coaching.models import (
    COACHED,
    ActionItem,
    CoachingSession,
    Owner,
    coached_sessions,
)
from coachkit.coaching.privacy import FORMER_COACH, SharedSession, shared_view
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.notifications import ical, links, reminders
from coachkit.notifications.kinds import Kind
from coachkit.notifications.notify import Draft, notify
from coachkit.notifications.outbox import About

SUBJECT_TEXT = 60  # characters of an action's text in a subject


@dataclass(frozen=True, kw_only=True)
class Message(Draft):
    """One notification of a change, kept until all of the change's are known."""

    kind: Kind
    action: ActionItem | None = None  # the action it gives out


@dataclass(frozen=True)
class Seen:
    """A session before an edit: as its employee saw it, and who had which action."""

    shared: SharedSession
    given: frozenset[tuple[int, int]]  # (action id, owner's user id)


def about(session_id: int) -> About:
    return About("coaching_session", session_id)


def employee_path(session_id: int) -> str:
    return links.path_for("my_coaching.show", session_id=session_id)


def coach_path(session_id: int) -> str:
    return links.path_for("coaching.show", session_id=session_id)


def page_of(session_id: int, *, employee: bool) -> str:
    """The session's page for its employee, or for a coach."""
    return employee_path(session_id) if employee else coach_path(session_id)


def whose(held_on: date, employee_name: str, *, employee: bool) -> str:
    """The session, named for its employee ("your ...") or for a coach."""
    owner = "your" if employee else f"{employee_name}'s"
    return f"{owner} coaching session of {day(held_on)}"


def owner_id(owner: Owner, private: bool, employee_id: int, coach_id: int | None) -> int | None:
    """Who hears about an action: the employee of their own, if it is shared with them;
    the coach of theirs, private or not. Nobody of an employee's private action: they
    cannot see it, and the coach who wrote it needs no telling."""
    if owner is Owner.EMPLOYEE:
        return None if private else employee_id
    return coach_id


def short(text: str) -> str:
    """An action's text, shortened for a subject line."""
    text = " ".join(text.split())
    if len(text) <= SUBJECT_TEXT:
        return text
    cut = text[: SUBJECT_TEXT - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:.") + "…"


def may_open(coach: User, session_id: int) -> bool:
    """Whether `coach` may open the session's page now (they still coach its employee)."""
    return session_id in open_to(coach, {session_id})


def open_to(coach: User, session_ids: set[int]) -> set[int]:
    """Those of the sessions whose page `coach` may open now."""
    if not coach.active or not session_ids:
        return set()
    return set(
        db.session.scalars(
            coached_sessions(coach)
            .where(CoachingSession.id.in_(session_ids))
            .with_only_columns(CoachingSession.id)
        )
    )


def recorded(session: CoachingSession, by: User) -> None:
    """A new session, flushed: shared with its employee, and its actions given out."""
    shared = Message(
        recipient_id=session.employee_id,
        kind=Kind.SESSION_SHARED,
        subject=f"{coach_name(session)} shared your coaching session of {day(session.held_on)}",
        path=employee_path(session.id),
        details="Read what was shared with you, and acknowledge it when you have."
        + _next_line(session.next_session_on),
        ical=invite(session, session.employee),
    )
    _send(session, [shared, *_actions_given(session, frozenset())], by)


def seen(session: CoachingSession) -> Seen:
    """The session as it is before an edit, to compare with afterwards (`changed`)."""
    given = frozenset((action.id, person.id) for action, person in _given(session))
    return Seen(shared_view(session), given)


def changed(session: CoachingSession, before: Seen, by: User) -> None:
    """An edit, flushed: the employee hears of it if they had acknowledged the session
    and what they see of it changed; new or newly shared actions are given out."""
    messages = _actions_given(session, before.given)
    if session.acknowledged_at is not None and shared_view(session) != before.shared:
        moved = before.shared.next_session_on != session.next_session_on
        messages.append(
            Message(
                recipient_id=session.employee_id,
                kind=Kind.SESSION_EDITED,
                subject=f"Your coaching session of {day(session.held_on)} was changed after "
                "you acknowledged it",
                path=employee_path(session.id),
                details="Open it to read it as it is now."
                + (_next_line(session.next_session_on) if moved else ""),
                ical=invite(session, session.employee) if moved else None,
            )
        )
    _send(session, messages, by)


def acknowledged(session_id: int, *, commented: bool) -> None:
    """The employee acknowledged the session (with a comment for the coach, or not):
    its coach hears of it."""
    session = db.session.get_one(CoachingSession, session_id)
    coach = session.coach
    if coach is None or not may_open(coach, session.id):
        return
    notify(
        coach,
        Kind.SESSION_ACKNOWLEDGED,
        f"{session.employee.name} acknowledged the coaching session of {day(session.held_on)}",
        coach_path(session.id),
        details="They left you a comment: read it on the session page." if commented else "",
        about=about(session.id),
    )


def invite(session: CoachingSession, person: User) -> bytes | None:
    """The next session's date as a calendar invitation for `person` (the employee or
    the coach), if the session sets one. The same for every e-mail about it, so a
    calendar updates the event rather than adding another."""
    if session.next_session_on is None:
        return None
    employee = person.id == session.employee_id
    path = page_of(session.id, employee=employee)
    return ical.all_day_event(
        f"coaching-session-{session.id}-next@coachkit",
        session.next_session_on,
        f"Coaching session with {coach_name(session) if employee else session.employee.name}",
        url=links.external(path),
    )


def coach_name(session: CoachingSession) -> str:
    return session.coach.name if session.coach else FORMER_COACH


def day(value: date) -> str:
    return f"{value:%-d %B %Y}"


def _people(session: CoachingSession) -> dict[int, User]:
    """Who may hear about the session, by id: its employee and its coach."""
    people = {session.employee_id: session.employee}
    if session.coach is not None:
        people[session.coach.id] = session.coach
    return people


def _given(session: CoachingSession) -> list[tuple[ActionItem, User]]:
    """Each action with the person who hears about it."""
    people = _people(session)
    found = []
    for action in session.actions:
        owner = owner_id(action.owner, action.private, session.employee_id, session.coach_id)
        if owner is not None and owner in people:
            found.append((action, people[owner]))
    return found


def _actions_given(session: CoachingSession, before: frozenset[tuple[int, int]]) -> list[Message]:
    """A message for each open action given to someone since `before`."""
    return [
        _action_message(session, action, person)
        for action, person in _given(session)
        if (action.id, person.id) not in before and action.done_at is None
    ]


def _action_message(session: CoachingSession, action: ActionItem, person: User) -> Message:
    employee = person.id == session.employee_id
    due = f" It is due on {action.due_on:%A %-d %B %Y}." if action.due_on else ""
    for_whom = "" if employee else f" ({session.employee.name})"
    source = whose(session.held_on, session.employee.name, employee=employee)
    if employee:
        source += f" with {coach_name(session)}"
    return Message(
        recipient_id=person.id,
        kind=Kind.ACTION_ASSIGNED,
        subject=f"Action for you{for_whom}: {short(action.text)}",
        path=page_of(session.id, employee=employee),
        details=f"From {source}, with {coach_name(session)}.{due}"
        if employee
        else f"From {source}.{due}",
        action=action,
    )


def _send(session: CoachingSession, messages: list[Message], by: User) -> None:
    """Send each message its recipient may follow, but to the one who made the change."""
    people = _people(session)
    for message in sorted(messages, key=lambda m: m.recipient_id):
        person = people[message.recipient_id]
        if person.id == by.id or not _may_follow(session, person):
            continue
        notify(
            person,
            message.kind,
            message.subject,
            message.path,
            details=message.details,
            about=about(session.id),
            ical=message.ical,
        )
        if message.action is not None and message.action.due_on is not None:
            said_when_due(person.id, message.action.id, message.action.due_on)


def said_when_due(user_id: int, action_id: int, due_on: date) -> None:
    """After telling someone an action's due date: if it is already due soon, that said
    so, and no due-soon reminder follows it."""
    if due_on <= reminders.due_soon_until(utcnow().date()):
        reminders.settle(Kind.ACTION_DUE_SOON, user_id, occasion(action_id, due_on))


def occasion(action_id: int, due_on: date) -> str:
    """An action's due date, as reminders name it: a new due date reminds again."""
    return f"action:{action_id}:{due_on.isoformat()}"


def _may_follow(session: CoachingSession, person: User) -> bool:
    if person.id == session.employee_id:
        return person.role in COACHED
    return may_open(person, session.id)


def _next_line(next_on: date | None) -> str:
    if next_on is None:
        return ""
    return (
        f"\n\nYour next session is set for {next_on:%A %-d %B %Y}: a calendar invitation "
        "is attached."
    )
