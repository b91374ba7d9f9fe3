"""Managers assign modules to their people, or a whole team, with a due date."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from coachkit.auth.models import User
from coachkit.extensions import db
from coachkit.training.models import Assignment


def assign(module_slug: str, people: list[User], due_on: date, by: User) -> int:
    """Assign to each person (updating the due date of an existing assignment)."""
    existing = {
        a.user_id: a
        for a in db.session.scalars(
            select(Assignment).where(
                Assignment.module_slug == module_slug,
                Assignment.user_id.in_([p.id for p in people]),
            )
        )
    }
    for person in people:
        assignment = existing.get(person.id)
        if assignment is None:
            db.session.add(
                Assignment(
                    user_id=person.id, module_slug=module_slug, due_on=due_on, assigned_by_id=by.id
                )
            )
        else:
            assignment.due_on, assignment.assigned_by_id = due_on, by.id
    return len(people)
