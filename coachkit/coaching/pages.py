"""What the coach's session page and the trend pages show, computed for the templates."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from markupsafe import Markup
from sqlalchemy import Select
from sqlalchemy.orm import joinedload
from wtforms import SelectChoice

from coachkit.auth.models import User
from coachkit.coaching import trends
from coachkit.coaching.forms import SuggestedAssignForm
from coachkit.coaching.models import NOTE_FIELDS, CoachingSession, Evidence
from coachkit.coaching.suggestions import suggest_modules, weakest_skills
from coachkit.content.library import library
from coachkit.database import utcnow
from coachkit.fragments import digest, fragment
from coachkit.training import progress
from coachkit.training.models import Attempt

DEFAULT_DUE_DAYS = 14


# Loader options for the session page: the session with its people and every list it
# shows, in one query (each list holds a handful of rows), the people and the attempts
# with only what the page shows.
SESSION_DETAILS = (
    joinedload(CoachingSession.employee).load_only(User.name),
    joinedload(CoachingSession.coach).load_only(User.name),
    joinedload(CoachingSession.ratings),
    joinedload(CoachingSession.actions),
    joinedload(CoachingSession.evidence)
    .joinedload(Evidence.attempt)
    .load_only(
        Attempt.user_id,
        Attempt.module_slug,
        Attempt.completed_at,
        Attempt.outcome,
        Attempt.scores,
    ),
)


def evidence_attempts(session: CoachingSession) -> list[Attempt]:
    """The employee's attempts linked to the session, oldest first."""
    attempts = [e.attempt for e in session.evidence if e.attempt.user_id == session.employee_id]
    return sorted(attempts, key=lambda attempt: (attempt.completed_at or utcnow(), attempt.id))


def attempt_scores(attempts: list[Attempt]) -> dict[int, dict[str, int]]:
    """Each attempt's points per skill its module trains (zeros included), read from
    the totals stored on the attempt."""
    modules = library().modules
    scores = {}
    for attempt in attempts:
        module = modules.get(attempt.module_slug)
        trained = module.skills if module is not None else list(attempt.scores)
        scores[attempt.id] = {skill: attempt.scores.get(skill, 0) for skill in trained}
    return scores


def _unfinished_assignments(employee_id: int) -> set[str]:
    statuses = progress.assignment_statuses([employee_id], utcnow().date())
    return {s.assignment.module_slug for s in statuses if s.state != progress.AssignmentState.DONE}


def _details(session: CoachingSession) -> Markup:
    """The page's heading and details, kept per worker by everything they show."""
    coach_name = session.coach.name if session.coach else None
    key = (
        session.id,
        session.employee_id,
        session.employee.name,
        coach_name,
        session.kind,
        session.held_on,
        session.acknowledged_at,
        session.updated_at,
        session.employee_comment,
        session.next_session_on,
    )
    return fragment(
        "coaching/_session_details.html",
        key,
        session=session,
        employee_name=session.employee.name,
        coach_name=coach_name,
    )


def session_page(session: CoachingSession, user: User) -> dict[str, Any]:
    """Everything the coach's view of one session needs."""
    lib = library()
    training = progress.skill_profiles([session.employee_id]).get(session.employee_id, {})
    ratings = {r.skill: r.rating for r in session.ratings}
    weak = weakest_skills(ratings, training, lib.skills)
    assigned = _unfinished_assignments(session.employee_id)
    suggestions = suggest_modules(weak, lib.modules.values(), assigned)
    form = SuggestedAssignForm(data={"due_on": utcnow().date() + timedelta(days=DEFAULT_DUE_DAYS)})
    form.module.choices = [SelectChoice(s.module.slug, s.module.title) for s in suggestions]
    if suggestions and not form.module.data:
        form.module.data = suggestions[0].module.slug
    attempts = evidence_attempts(session)
    return {
        "details": _details(session),
        "notes": fragment(
            "coaching/_session_notes.html",
            (
                digest(*(getattr(session, name) for name in NOTE_FIELDS)),
                tuple(session.private_fields or []),
            ),
            session=session,
        ),
        "session": session,
        "employee": session.employee,
        "ratings": ratings,
        "training": training,
        "attempts": attempts,
        "attempt_scores": attempt_scores(attempts),
        "weak": weak,
        "suggestions": suggestions,
        "assigned": assigned,
        "assign_form": form,
        "skills": lib.skills,
        "modules": lib.modules,
        "today": utcnow().date(),
        "viewer": user,
    }


def trend_page(people: Select[tuple[int]] | list[int], requested: str | None) -> dict[str, Any]:
    """The chosen skill's monthly trend (the first skill when none or an unknown one is
    asked for), as chart geometry and as table rows."""
    skills = library().skills
    skill = requested if requested in skills else next(iter(skills))
    values = trends.monthly(people, skill, utcnow().date(), include_private=True)
    return {
        "skills": skills,
        "skill": skills[skill],
        "values": values,
        "chart": trends.chart(values),
    }
