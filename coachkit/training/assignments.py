"""Managers assign modules to their people, or a whole team, with a due date; each
person is told in the same transaction."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coachkit.auth.models import User
from coachkit.content.library import library
from coachkit.extensions import db
from coachkit.notifications.kinds import Kind
from coachkit.notifications.links import path_for
from coachkit.notifications.notify import notify
from coachkit.training import reminders
from coachkit.training.models import Assignment


def assign(module_slug: str, people: list[User], due_on: date, by: User) -> int:
    """Assign to each person (updating the due date of an existing assignment), and
    notify those for whom it is new or due on another day."""
    existing = {
        a.user_id: a
        for a in db.session.scalars(
            select(Assignment).where(
                Assignment.module_slug == module_slug,
                Assignment.user_id.in_([p.id for p in people]),
            )
        )
    }
    told: list[tuple[User, Assignment, bool]] = []
    for person in people:
        assignment = existing.get(person.id)
        if assignment is None:
            assignment = Assignment(user_id=person.id, module_slug=module_slug, due_on=due_on)
            db.session.add(assignment)
            told.append((person, assignment, True))
        elif assignment.due_on != due_on:
            assignment.due_on = due_on
            told.append((person, assignment, False))
        assignment.assigned_by_id = by.id
    db.session.flush()
    for person, assignment, new in sorted(told, key=lambda each: each[0].id):
        if person.id != by.id:  # nobody is told what they did themselves
            _tell(person, assignment, by, new=new)
    return len(people)


def _tell(person: User, assignment: Assignment, by: User, *, new: bool) -> None:
    title = library().modules[assignment.module_slug].title
    due = assignment.due_on
    if new:
        subject = f"Module assigned to you, due {due:%-d %B %Y}: {title}"
        details = f"{by.name} assigned it to you. It is due on {due:%A %-d %B %Y}."
    else:
        subject = f"New due date, {due:%-d %B %Y}: {title}"
        details = f"{by.name} changed its due date to {due:%A %-d %B %Y}."
    notify(
        person,
        Kind.MODULE_ASSIGNED,
        subject,
        path_for("training.show", slug=assignment.module_slug),
        details=details,
        about=reminders.about(assignment.id),
    )
    reminders.said_when_due(person.id, assignment.id, due)
