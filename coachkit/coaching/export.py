"""CSV rows for coaching exports, built from `SharedSession`s so that an export
without private fields cannot contain them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime

from flask import Response
from sqlalchemy.orm import selectinload

from coachkit.auth.models import User
from coachkit.coaching.models import NOTE_FIELDS, CoachingSession, coached_sessions
from coachkit.coaching.privacy import SharedSession
from coachkit.coaching.record import LABELS
from coachkit.content.library import library
from coachkit.content.skills import Skill
from coachkit.extensions import db
from coachkit.spreadsheet import csv_response
from coachkit.teams.models import member_ids


def _when(value: datetime | None) -> str:
    return value.isoformat(timespec="minutes") if value else ""


def session_header(skills: dict[str, Skill]) -> list[str]:
    return [
        "Session",
        "Date",
        "Employee",
        "Coach",
        "Kind",
        *(f"Rating: {skill.name}" for skill in skills.values()),
        *(LABELS[name] for name in NOTE_FIELDS),
        "Next session",
        "Acknowledged at",
        "Employee comment",
    ]


def session_rows(
    views: Iterable[SharedSession], skills: dict[str, Skill]
) -> Iterator[Sequence[object]]:
    for view in views:
        yield [
            view.id,
            view.held_on.isoformat(),
            view.employee_name,
            view.coach_name,
            view.kind,
            *(view.ratings.get(skill, "") for skill in skills),
            *(view.notes.get(name, "") for name in NOTE_FIELDS),
            view.next_session_on.isoformat() if view.next_session_on else "",
            _when(view.acknowledged_at),
            view.employee_comment,
        ]


def action_header(include_private: bool) -> list[str]:
    header = ["Session", "Session date", "Employee", "Action", "Owner", "Due", "Done at"]
    return [*header, "Private"] if include_private else header


def action_rows(
    views: Iterable[SharedSession], include_private: bool
) -> Iterator[Sequence[object]]:
    for view in views:
        for action in view.actions:
            row = [
                view.id,
                view.held_on.isoformat(),
                view.employee_name,
                action.text,
                action.owner.value,
                action.due_on.isoformat() if action.due_on else "",
                _when(action.done_at),
            ]
            yield [*row, "yes" if action.private else "no"] if include_private else row


def csv_file(
    what: str, filename: str, views: Sequence[SharedSession], *, include_private: bool
) -> Response:
    """The sessions (`what` is "sessions") or the action items of `views`, as a CSV
    download; private columns only with `include_private`."""
    if what == "sessions":
        skills = library().skills
        return csv_response(filename, session_header(skills), session_rows(views, skills))
    return csv_response(
        filename, action_header(include_private), action_rows(views, include_private)
    )


def team_sessions(coach: User, team_id: int) -> Sequence[CoachingSession]:
    """The sessions of a team's members that `coach` may read, oldest first, with what
    an export row shows loaded."""
    return db.session.scalars(
        coached_sessions(coach)
        .where(CoachingSession.employee_id.in_(member_ids(team_id)))
        .options(
            selectinload(CoachingSession.employee),
            selectinload(CoachingSession.coach),
            selectinload(CoachingSession.ratings),
            selectinload(CoachingSession.actions),
            selectinload(CoachingSession.evidence),
        )
        .order_by(CoachingSession.held_on, CoachingSession.id)
    ).all()
