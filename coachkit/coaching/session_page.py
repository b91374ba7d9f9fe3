"""The coach's page of one session: what it lists, the training it suggests and the
assign form, computed for the template."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import bindparam, cast, literal, null, select, union_all
from sqlalchemy.orm import InstrumentedAttribute, joinedload
from sqlalchemy.sql.elements import Cast
from wtforms import SelectChoice

from coachkit.coaching.forms import SuggestedAssignForm
from coachkit.coaching.models import (
    ActionItem,
    CoachingSession,
    Evidence,
    Owner,
    Rating,
)
from coachkit.coaching.privacy import ShownAction, reviewed
from coachkit.coaching.suggestions import Suggestion, suggest_modules, weakest_skills
from coachkit.content.library import library
from coachkit.database import plain_rows, utcnow
from coachkit.training import progress
from coachkit.training.models import Attempt, SkillScore

DEFAULT_DUE_DAYS = 14
# What `values` reads of the session itself, loaded with it.
LOADED = (
    joinedload(CoachingSession.employee, innerjoin=True),
    joinedload(CoachingSession.coach),
)
Value = TypeVar("Value")


@dataclass(frozen=True, slots=True)
class ShownAttempt:
    """A practice attempt linked to the session, with what the page shows of it."""

    id: int
    user_id: int
    module_slug: str
    completed_at: datetime | None
    outcome: str | None
    ratings: dict[str, float]  # skill -> its 1-5 rating in this attempt, when it has one


@dataclass(frozen=True, slots=True)
class SessionLists:
    ratings: dict[str, int]  # skill -> rating, in the order they were recorded
    actions: list[ShownAction]
    attempts: list[ShownAttempt]  # the employee's own attempts, oldest first


def _null(column: InstrumentedAttribute[Value]) -> Cast[Value]:
    return cast(null(), column.type)


# A session's ratings, action items and linked attempts in one statement of plain
# values: each part fills the columns it has and leaves the rest NULL, with the types
# of the first part's columns (so dates and JSON come back parsed on both engines).
_SESSION_LISTS = union_all(
    select(
        literal("rating").label("part"),
        Rating.id.label("id"),
        Rating.skill.label("text"),
        Rating.rating.label("number"),
        _null(ActionItem.text).label("label"),
        _null(ActionItem.due_on).label("day"),
        _null(ActionItem.done_at).label("moment"),
        _null(ActionItem.private).label("flag"),
        _null(SkillScore.skill).label("skill"),
        _null(SkillScore.rating_tenths).label("tenths"),
    ).where(Rating.session_id == bindparam("session_id")),
    select(
        literal("action"),
        ActionItem.id,
        ActionItem.text,
        _null(Rating.rating),
        cast(ActionItem.owner, ActionItem.text.type),
        ActionItem.due_on,
        ActionItem.done_at,
        ActionItem.private,
        _null(SkillScore.skill),
        _null(SkillScore.rating_tenths),
    ).where(ActionItem.session_id == bindparam("session_id")),
    select(
        literal("attempt"),
        Attempt.id,
        Attempt.module_slug,
        Attempt.user_id,
        Attempt.outcome,
        _null(ActionItem.due_on),
        Attempt.completed_at,
        _null(ActionItem.private),
        SkillScore.skill,  # a row per skill of a completed attempt
        SkillScore.rating_tenths,
    )
    .join(Evidence, Evidence.attempt_id == Attempt.id)
    .outerjoin(SkillScore, SkillScore.attempt_id == Attempt.id)
    .where(Evidence.session_id == bindparam("session_id")),
).order_by("part", "id")


def session_lists(session_id: int, employee_id: int) -> SessionLists:
    """What the session page lists, read as plain values in one query."""
    ratings: dict[str, int] = {}
    actions = []
    attempts: dict[int, ShownAttempt] = {}
    for row in plain_rows(_SESSION_LISTS, {"session_id": session_id}):
        if row.part == "rating":
            ratings[row.text] = row.number
        elif row.part == "action":
            owner = Owner(row.label)
            actions.append(ShownAction(row.id, row.text, owner, row.day, row.moment, row.flag))
        elif row.number == employee_id:  # never someone else's attempt
            attempt = attempts.setdefault(
                row.id, ShownAttempt(row.id, row.number, row.text, row.moment, row.label, {})
            )
            if row.tenths is not None:
                attempt.ratings[row.skill] = row.tenths / 10
    shown = sorted(attempts.values(), key=lambda a: (a.completed_at or utcnow(), a.id))
    return SessionLists(ratings, actions, shown)


def attempt_ratings(attempts: list[ShownAttempt]) -> dict[int, dict[str, float]]:
    """Each attempt's 1-5 rating per skill, in its module's order of skills, as stored
    when it completed."""
    modules = library().modules
    ratings = {}
    for attempt in attempts:
        module = modules.get(attempt.module_slug)
        trained = module.skills if module is not None else sorted(attempt.ratings)
        ratings[attempt.id] = {s: attempt.ratings[s] for s in trained if s in attempt.ratings}
    return ratings


def _unfinished_assignments(employee_id: int) -> set[str]:
    statuses = progress.assignment_statuses([employee_id], utcnow().date())
    return {s.assignment.module_slug for s in statuses if s.state != progress.AssignmentState.DONE}


def _offer(form: SuggestedAssignForm, suggestions: list[Suggestion]) -> None:
    """Make the suggested modules the assign form's choices."""
    form.module.choices = [SelectChoice(s.module.slug, s.module.title) for s in suggestions]


def assign_form_for(suggestions: list[Suggestion], due_on: date) -> SuggestedAssignForm:
    """The assign form as first shown: the first suggestion chosen, due in two weeks."""
    form = SuggestedAssignForm(data={"due_on": due_on})
    _offer(form, suggestions)
    if suggestions:
        form.module.data = suggestions[0].module.slug
    return form


def values(
    session: CoachingSession, assign_form: SuggestedAssignForm | None = None
) -> dict[str, Any]:
    """Everything the coach's view of one session (loaded with `LOADED`) needs.
    `assign_form` is a posted assign form: it gets the suggestions as its choices and
    the page shows it; without one the page shows the form as first shown."""
    lib = library()
    lists = session_lists(session.id, session.employee_id)
    training = progress.skill_profiles([session.employee_id]).get(session.employee_id, {})
    weak = weakest_skills(lists.ratings, training, lib.skills)
    assigned = _unfinished_assignments(session.employee_id)
    suggestions = suggest_modules(weak, lib.modules.values(), assigned)
    today = utcnow().date()
    if assign_form is None:
        assign_form = assign_form_for(suggestions, today + timedelta(days=DEFAULT_DUE_DAYS))
    else:
        _offer(assign_form, suggestions)
    return {
        "session": session,
        "employee_name": session.employee.name,
        "private": frozenset(session.private_fields or ()),
        "ratings": lists.ratings,
        "reviewed": reviewed(session),
        "actions": lists.actions,
        "training": training,
        "attempts": lists.attempts,
        "attempt_ratings": attempt_ratings(lists.attempts),
        "weak": weak,
        "suggestions": suggestions,
        "assign_form": assign_form,
        "skills": lib.skills,
        "modules": lib.modules,
        "today": today,
    }
