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
from coachkit.notifications.notify import notify
from coachkit.notifications.outbox import About
from coachkit.notifications.reminders import Reminder
from coachkit.training.models import Assignment, AttemptStatus
from coachkit.training.progress import attempt_since_assigned

_START = "start, or to carry on where you stopped"  # what a reminder's link lets you do
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
    found = _reminders(rows, "Module due on {due:%A %-d %B}", f"Open it to {_START}.")
    return reminders.send(Kind.MODULE_DUE_SOON, found)


@reminders.daily
def overdue(now: datetime) -> int:
    """Remind assignees of overdue modules: once, then weekly in the digest."""
    today = now.date()
    rows = _unfinished(None, today - timedelta(days=1))
    found = _reminders(
        rows,
        "Module overdue, due {due:%-d %B %Y}",
        f"It is still waiting for you: open it to {_START}.",
    )
    return reminders.send_overdue(Kind.MODULE_OVERDUE, found, today)


def _reminders(
    rows: list[Row[tuple[int, int, str, date]]], when: str, details: str
) -> list[Reminder]:
    """A reminder of each assignment whose module is still there: "`when`: title",
    `when` formatted with its due date."""
    found = []
    for row in rows:
        module = library().modules.get(row.module_slug)
        if module is None:  # gone from the content, and its page with it
            continue
        found.append(
            Reminder(
                recipient_id=row.user_id,
                occasion=occasion(row.id, row.due_on),
                subject=f"{when.format(due=row.due_on)}: {module.title}",
                path=path_for("training.show", slug=row.module_slug),
                details=details,
                about=about(row.id),
            )
        )
    return found


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


def remind(assignment: Assignment, title: str, learner: User, today: date) -> None:
    """A manager's reminder of an unfinished assignment: due soon, or overdue once past
    its date, in the learner's notifications (and e-mail, as they chose)."""
    overdue = assignment.due_on < today
    notify(
        learner,
        Kind.MODULE_OVERDUE if overdue else Kind.MODULE_DUE_SOON,
        f"Reminder from your manager: {title}, due {assignment.due_on:%-d %B %Y}",
        path_for("training.show", slug=assignment.module_slug),
        details=f"Open it to {_START}.",
        about=about(assignment.id),
    )
