"""Following up: acknowledgements, action items, and the manager's dashboard lists.

Every function takes ids already scoped by the caller (`models.coachees`), and each
list is one query whatever the number of sessions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, func, or_, select, update
from sqlalchemy.orm import joinedload

from coachkit.auth.models import User
from coachkit.coaching import nudges
from coachkit.coaching.models import ActionItem, CoachingSession, Revision, coachees
from coachkit.database import plain_rows, utcnow
from coachkit.extensions import db

DASHBOARD_LIMIT = 100


def acknowledge(session_id: int, employee_id: int, comment: str) -> bool:
    """Acknowledge once (only the first of two racing requests changes the row), and
    tell the coach."""
    result = db.session.execute(
        update(CoachingSession)
        .where(
            CoachingSession.id == session_id,
            CoachingSession.employee_id == employee_id,
            CoachingSession.acknowledged_at.is_(None),
        )
        .values(acknowledged_at=utcnow(), employee_comment=comment.strip())
        .execution_options(synchronize_session=False)
    )
    if not getattr(result, "rowcount", 0):
        return False
    nudges.acknowledged(session_id, commented=bool(comment.strip()))
    return True


def set_done(
    action_ids: list[int], done: bool, editor_id: int, scope: Select[tuple[int]] | None = None
) -> int:
    """Mark actions done (or open again) and return how many changed; `scope`, when
    given, holds the action ids the user may change.

    Their sessions' versions move on too, so a manager still editing one of them with
    the old state is told, instead of silently undoing this; and each session's history
    records who ticked what.
    """
    changing = select(ActionItem.id).where(
        ActionItem.id.in_(action_ids),
        ActionItem.done_at.is_(None) if done else ActionItem.done_at.is_not(None),
    )
    if scope is not None:
        changing = changing.where(ActionItem.id.in_(scope))
    # Sessions first, then their actions: the order an edit takes its locks in, so the
    # two never wait for each other (no deadlock on PostgreSQL).
    db.session.execute(
        update(CoachingSession)
        .where(CoachingSession.id.in_(changing.with_only_columns(ActionItem.session_id)))
        .values(version=CoachingSession.version + 1)
        .execution_options(synchronize_session=False)
    )
    rows = db.session.execute(
        select(ActionItem.session_id, ActionItem.text, CoachingSession.version)
        .join(CoachingSession, CoachingSession.id == ActionItem.session_id)
        .where(ActionItem.id.in_(changing))
    ).all()
    result = db.session.execute(
        update(ActionItem)
        .where(ActionItem.id.in_(changing))
        .values(done_at=utcnow() if done else None)
        .execution_options(synchronize_session=False)
    )
    before, after = ("open", "done") if done else ("done", "open")
    for session_id, text, version in rows:
        change = {"field": f"Action: {text}", "before": before, "after": after}
        db.session.add(
            Revision(session_id=session_id, editor_id=editor_id, version=version, changes=[change])
        )
    return int(getattr(result, "rowcount", 0) or 0)


_OPEN_ACTIONS = (
    select(ActionItem)
    .where(
        ActionItem.employee_id == bindparam("employee_id"),
        ActionItem.done_at.is_(None),
        # No session has id 0: "before no session" keeps them all.
        ActionItem.session_id != bindparam("before_session"),
    )
    .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id)
)
_OPEN_ACTIONS_WITH_SESSIONS = _OPEN_ACTIONS.options(joinedload(ActionItem.session))


def open_actions(
    employee_id: int, before_session: int | None = None, *, with_sessions: bool = True
) -> list[ActionItem]:
    """Open action items from the employee's earlier sessions, oldest due first (with
    the sessions they came from, unless `with_sessions` is false)."""
    statement = _OPEN_ACTIONS_WITH_SESSIONS if with_sessions else _OPEN_ACTIONS
    params = {"employee_id": employee_id, "before_session": before_session or 0}
    return list(db.session.scalars(statement, params))


@dataclass(frozen=True)
class OverdueAction:
    action: ActionItem
    employee: User


# The dashboard's lists cover the people the coach may coach (`coachees`).


def overdue_actions(coach: User, today: date) -> list[OverdueAction]:
    rows = db.session.execute(
        select(ActionItem, User)
        .join(User, User.id == ActionItem.employee_id)
        .where(
            ActionItem.employee_id.in_(coachees(coach)),
            ActionItem.done_at.is_(None),
            ActionItem.due_on < today,
            User.active.is_(True),
        )
        .order_by(ActionItem.due_on, ActionItem.id)
        .limit(DASHBOARD_LIMIT)
    )
    return [OverdueAction(action, user) for action, user in rows]


def unacknowledged(coach: User) -> list[tuple[CoachingSession, User]]:
    rows = db.session.execute(
        select(CoachingSession, User)
        .join(User, User.id == CoachingSession.employee_id)
        .where(
            CoachingSession.employee_id.in_(coachees(coach)),
            CoachingSession.acknowledged_at.is_(None),
            User.active.is_(True),
        )
        .order_by(CoachingSession.held_on, CoachingSession.id)
        .limit(DASHBOARD_LIMIT)
    )
    return [(session, user) for session, user in rows]


@dataclass(frozen=True)
class LastCoached:
    person: User
    last_held_on: date | None


def not_coached_since(coach: User, cutoff: date) -> list[LastCoached]:
    """Active people `coach` coaches whose latest session is before `cutoff` (or who
    have none)."""
    # Correlated per person, so it reads only their rows (employee_id, held_on index).
    last = (
        select(func.max(CoachingSession.held_on))
        .where(CoachingSession.employee_id == User.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(User, last)
        .where(User.id.in_(coachees(coach)), User.active.is_(True))
        .where(or_(last.is_(None), last < cutoff))
        .order_by(last.is_not(None), last, User.name)
        .limit(DASHBOARD_LIMIT)
    )
    return [LastCoached(person, held_on) for person, held_on in rows]


def cutoff_for(today: date, interval_days: int) -> date:
    return today - timedelta(days=interval_days)


@dataclass(frozen=True)
class PersonSummary:
    last_held_on: date | None
    open_actions: int


def _summaries() -> Select[tuple[int, date | None, int]]:
    last = (
        select(func.max(CoachingSession.held_on))
        .where(CoachingSession.employee_id == User.id)
        .scalar_subquery()
    )
    open_count = (
        select(func.count(ActionItem.id))
        .where(ActionItem.employee_id == User.id, ActionItem.done_at.is_(None))
        .scalar_subquery()
    )
    return select(User.id, last, open_count).where(User.id.in_(bindparam("people", expanding=True)))


_SUMMARIES = _summaries()


def summaries(people: list[int]) -> dict[int, PersonSummary]:
    """Each person's latest session date and number of open actions, in one query."""
    rows = plain_rows(_SUMMARIES, {"people": people})
    return {user_id: PersonSummary(held_on, count) for user_id, held_on, count in rows}


def dashboard(coach: User, today: date, interval_days: int) -> dict[str, Any]:
    """What needs `coach`'s attention, as the dashboard lists it: overdue actions,
    unacknowledged sessions, people not coached within `interval_days`."""
    return {
        "overdue": overdue_actions(coach, today),
        "unacknowledged": unacknowledged(coach),
        "not_coached": not_coached_since(coach, cutoff_for(today, interval_days)),
        "limit": DASHBOARD_LIMIT,
    }
