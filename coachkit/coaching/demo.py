"""Demo coaching history for `flask demo`: six months of sessions per team member, with
ratings that move, open and overdue actions, and some sessions not yet acknowledged."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from coachkit.auth.models import User
from coachkit.coaching import nudges, record
from coachkit.coaching.models import CoachingSession, Owner
from coachkit.coaching.record import ActionRow, SessionData
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.notifications.notify import forget

# What each demo conversation was about: (kind, skills rated, went well, to improve,
# goal, way forward, employee action).
TOPICS = (
    (
        "Call review",
        ("empathy",),
        "Let the customer finish the whole story about the double charge before replying, "
        "and played back the worry about rent, not just the amount.",
        "Jumped to the refund steps before the customer felt heard. Try one sentence that "
        "names the feeling first.",
        "Customers feel understood before we explain any process.",
        "Listen back to two calls a week and mark where the fix started.",
        "Review two of my calls each week and note the moment I acknowledge the feeling",
    ),
    (
        "One-to-one",
        ("ownership",),
        "Took the boiler case home: called the engineer yourself and rang the customer "
        "back before the promised time.",
        "On the late-delivery chat you quoted policy twice. Say what you *can* do first.",
        "Own a case from first contact to a confirmed fix.",
        "Pick one case a week to follow end to end, and tell the customer when you will call back.",
        "Follow one case a week from first contact to confirmed fix",
    ),
    (
        "Ticket review",
        ("candid-communication", "consistency-across-channels"),
        "Clear, honest e-mail about the delay, with a date and what happens if it slips.",
        "The chat promised a callback the phone team never saw. Log promises in the case "
        "notes so every channel can keep them.",
        "Every promise is written where the next colleague will see it.",
        "Add a *promise* line to case notes for a month, then review with the team.",
        "Add a promise line to the notes of every case that has one",
    ),
    (
        "Observation",
        ("personalised-service", "trust-building"),
        "Remembered the customer's earlier visit and asked how the wedding went.",
        "Offered the standard bundle before asking what the customer needs it for.",
        "Tailor the offer to the person in front of you.",
        "Ask one question about what the product is for before suggesting anything.",
        "Ask what it is for before recommending anything, on every sale this month",
    ),
)
KINDS_ROTATION = len(TOPICS)
CORE = ("active-listening", "fix-the-customer-first")  # rated in every demo session
MONTHS_OF_HISTORY = 6
NOT_RECENTLY_COACHED = ("Lena Kowalski",)  # last session ages ago: shows on the dashboard
NEVER_COACHED = ("Marcus Lee",)


def _session_dates(today: date, stale: bool, shift: int) -> list[date]:
    """About every four weeks for six months; the stale person stops three months ago."""
    dates = [today - timedelta(days=days + shift) for days in range(180, 0, -28)]
    return [d for d in dates if d < today - timedelta(days=90)] if stale else dates


def _rating(index: int, sessions: int, offset: int) -> int:
    """Ratings that climb from about 2 to 4 over the history, varying per person."""
    return max(1, min(5, 2 + (index * 3) // max(1, sessions - 1) + (offset % 2) - (index == 0)))


def _data(topic_index: int, held_on: date, index: int, count: int, offset: int) -> SessionData:
    kind, skills, well, improve, goal, forward, action = TOPICS[topic_index]
    latest = index == count - 1
    return SessionData(
        held_on=held_on,
        kind=kind,
        notes={
            "went_well": well,
            "to_improve": improve,
            "goal": goal,
            "reality": "Good instincts; under pressure the process comes out first.",
            "options": "Shadow a colleague; replay own calls; practise the matching module.",
            "way_forward": forward,
        },
        # The manager keeps their own read of the situation private.
        private={"reality"},
        ratings={skill: _rating(index, count, offset + n) for n, skill in enumerate(CORE + skills)},
        next_session_on=held_on + timedelta(days=28) if latest else None,
        actions=[
            ActionRow(action, Owner.EMPLOYEE, held_on + timedelta(days=14), False),
            *(
                [
                    ActionRow(
                        "Pair them with a strong listener for a shift", Owner.MANAGER, None, True
                    )
                ]
                if index % 3 == 0
                else []
            ),
        ],
    )


def create(teams: list[tuple[User, list[User]]]) -> None:
    """Sessions for every member without any yet (so running it again adds nothing)."""
    today = utcnow().date()
    for offset, (manager, members) in enumerate(teams):
        for position, member in enumerate(members):
            if member.name in NEVER_COACHED or _has_sessions(member):
                continue
            dates = _session_dates(today, member.name in NOT_RECENTLY_COACHED, 2 * position)
            for index, held_on in enumerate(dates):
                topic = (index + position) % KINDS_ROTATION
                data = _data(topic, held_on, index, len(dates), offset + position)
                session = record.create(member, manager, data)
                _settle(session, held_on, today, latest=index == len(dates) - 1)


def _has_sessions(member: User) -> bool:
    return (
        db.session.scalar(
            select(CoachingSession.id).where(CoachingSession.employee_id == member.id).limit(1)
        )
        is not None
    )


def _settle(session: CoachingSession, held_on: date, today: date, *, latest: bool) -> None:
    """Backdate the record; earlier sessions are acknowledged and their actions done,
    the latest is waiting for acknowledgement and its action may be overdue."""
    moment = datetime.combine(held_on, time(15, 0), tzinfo=UTC)
    session.created_at = session.updated_at = moment
    for revision in db.session.scalars(
        select(record.Revision).where(record.Revision.session_id == session.id)
    ):
        revision.saved_at = moment
    if latest:
        return
    # Shared months ago: what it notified was read and cleared long since.
    forget(nudges.about(session.id))
    session.acknowledged_at = moment + timedelta(days=1)
    for action in session.actions:
        if action.due_on is None or action.due_on < today - timedelta(days=20):
            action.done_at = moment + timedelta(days=10)
    db.session.flush()
