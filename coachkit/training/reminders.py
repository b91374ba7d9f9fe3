"""Reminders of assigned modules (scans the worker runs once a day): due within two
days, and overdue (once, then weekly in the digest) until the assignee completes it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Row, select

from coachkit.auth.models import Role, User
from coachkit.content.library import library
from coachkit.database import plain_rows, utcnow
from coachkit.notifications import reminders
from coachkit.notifications.kinds import Kind
from coachkit.notifications.links import path_for
from coachkit.notifications.outbox import About
from coachkit.notifications.reminders import Reminder
from coachkit.training.models import Assignment, AttemptStatus
from coachkit.training.progress import attempt_since_assigned

# Who may open a module's page (`training.show`), where each reminder links.
LEARNERS = (Role.EMPLOYEE, Role.MANAGER, Role.ADMIN)


def occasion(assignment_id: int, due_on: date) -> str:
    """An assignment's due date, as reminders name it: a new due date reminds again."""
    return f"assignment:{assignment_id}:{due_on.isoformat()}"


def about(assignment_id: int) -> About:
    return About("assignment", assignment_id)


def said_when_due(user_id: int, assignment_id: int, due_on: date) -> None:
    """After notifying an assignee of the due date: if it is already due soon, that
    notification said so, and no due-soon reminder follows it."""
    if due_on <= reminders.due_soon_until(utcnow().date()):
        reminders.settle(Kind.MODULE_DUE_SOON, user_id, occasion(assignment_id, due_on))


@reminders.daily
def due_soon(now: datetime) -> int:
    """Remind assignees of modules due within two days, once per due date."""
    today = now.date()
    rows = _unfinished(today, reminders.due_soon_until(today))
    return reminders.send(
        Kind.MODULE_DUE_SOON,
        [
            _reminder(
                row,
                f"Module due on {row.due_on:%A %-d %B}: {title}",
                "Open it to start, or to carry on where you stopped.",
            )
            for row in rows
            if (title := _title(row.module_slug))
        ],
    )


@reminders.daily
def overdue(now: datetime) -> int:
    """Remind assignees of overdue modules: once, then weekly in the digest."""
    today = now.date()
    rows = _unfinished(None, today - timedelta(days=1))
    return reminders.send_overdue(
        Kind.MODULE_OVERDUE,
        [
            _reminder(
                row,
                f"Module overdue, due {row.due_on:%-d %B %Y}: {title}",
                "It is still waiting for you: open it to start, or to carry on where you stopped.",
            )
            for row in rows
            if (title := _title(row.module_slug))
        ],
        today,
    )


def _unfinished(first: date | None, last: date) -> list[Row[tuple[int, int, str, date]]]:
    """Assignments due from `first` (or ever) to `last` that their active assignee has
    not completed since they were assigned."""
    statement = (
        select(Assignment.id, Assignment.user_id, Assignment.module_slug, Assignment.due_on)
        .join(User, User.id == Assignment.user_id)
        .where(
            Assignment.due_on <= last,
            ~attempt_since_assigned(AttemptStatus.COMPLETED),
            User.active.is_(True),
            User.role.in_(LEARNERS),
        )
        .order_by(Assignment.user_id, Assignment.id)
    )
    if first is not None:
        statement = statement.where(Assignment.due_on >= first)
    return plain_rows(statement)


def _title(slug: str) -> str | None:
    """The module's title; None when it is gone from the content (its page too)."""
    module = library().modules.get(slug)
    return module.title if module else None


def _reminder(row: Row[tuple[int, int, str, date]], subject: str, details: str) -> Reminder:
    return Reminder(
        recipient_id=row.user_id,
        occasion=occasion(row.id, row.due_on),
        subject=subject,
        path=path_for("training.show", slug=row.module_slug),
        details=details,
        about=about(row.id),
    )
