"""What an employee may see of a session: the shared parts only.

Employee pages and exports receive a `SharedSession`, never the model, so a private
field cannot reach them through a template that forgot to check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import joinedload, load_only

from coachkit.auth.models import User
from coachkit.coaching.models import NOTE_FIELDS, ActionItem, CoachingSession, Owner


@dataclass(frozen=True, slots=True)
class ShownAction:
    """An action item as pages and exports show it (what `_actions.html` reads): an
    employee's never private, a coach's marked when private."""

    id: int
    text: str
    owner: Owner
    due_on: date | None
    done_at: datetime | None
    private: bool = False

    overdue = ActionItem.overdue  # the model's own rule


@dataclass(frozen=True, slots=True)
class Reviewed:
    """The call or ticket a session reviewed: reference, http(s) link, excerpt."""

    reference: str
    link: str
    excerpt: str


@dataclass(frozen=True)
class SharedSession:
    id: int
    employee_id: int
    employee_name: str
    coach_name: str
    held_on: date
    kind: str
    notes: dict[str, str]  # only the shared note fields, by name
    ratings: dict[str, int]  # empty when the ratings are private
    actions: tuple[ShownAction, ...]
    attempt_ids: tuple[int, ...]
    reviewed: Reviewed | None  # None when nothing was recorded or it is private
    next_session_on: date | None
    acknowledged_at: datetime | None
    employee_comment: str


@dataclass(frozen=True)
class SessionListing:
    """A session in the employee's list: when, what kind, with whom, acknowledged."""

    id: int
    held_on: date
    kind: str
    coach_name: str
    acknowledged_at: datetime | None


FORMER_COACH = "A former manager"
WEB = (
    "http://",
    "https://",
)  # the only links a page shows (the form accepts no others)  # the coach's account was deleted


# What a list of sessions loads to show each as a `SessionListing`.
LISTED = (
    load_only(CoachingSession.held_on, CoachingSession.kind, CoachingSession.acknowledged_at),
    joinedload(CoachingSession.coach).load_only(User.name),
)


def session_listing(session: CoachingSession) -> SessionListing:
    """`session` (loaded with `LISTED`) as its list shows it."""
    return SessionListing(
        session.id,
        session.held_on,
        session.kind,
        session.coach.name if session.coach else FORMER_COACH,
        session.acknowledged_at,
    )


def shown_action(action: ActionItem) -> ShownAction:
    return ShownAction(
        action.id, action.text, action.owner, action.due_on, action.done_at, action.private
    )


def shared_view(session: CoachingSession, *, include_private: bool = False) -> SharedSession:
    """The session as the employee sees it; with `include_private`, as its coaches do."""
    private = set() if include_private else set(session.private_fields or [])
    return SharedSession(
        id=session.id,
        employee_id=session.employee_id,
        employee_name=session.employee.name,
        coach_name=session.coach.name if session.coach else FORMER_COACH,
        held_on=session.held_on,
        kind=session.kind,
        notes={
            name: getattr(session, name)
            for name in NOTE_FIELDS
            if name not in private and getattr(session, name)
        },
        ratings={} if "ratings" in private else {r.skill: r.rating for r in session.ratings},
        actions=tuple(shown_action(a) for a in session.actions if include_private or not a.private),
        attempt_ids=tuple(e.attempt_id for e in session.evidence),
        reviewed=None if "reviewed" in private else reviewed(session),
        next_session_on=session.next_session_on,
        acknowledged_at=session.acknowledged_at,
        employee_comment=session.employee_comment,
    )


def reviewed(session: CoachingSession) -> Reviewed | None:
    """What the session reviewed, or None when no reference was recorded."""
    if not session.review_reference:
        return None
    link = session.review_link if session.review_link.lower().startswith(WEB) else ""
    return Reviewed(session.review_reference, link, session.review_excerpt)
