"""Recording a coaching session: create, edit with a version check, keep the history,
and tell the people concerned (`nudges`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from coachkit.auth.models import User
from coachkit.coaching import agenda, events, followups, nudges
from coachkit.coaching.models import (
    NOTE_FIELDS,
    ActionItem,
    CoachingSession,
    Evidence,
    Owner,
    Rating,
    Revision,
)
from coachkit.content.skills import Skill
from coachkit.database import utcnow
from coachkit.extensions import db

LABELS = {
    "held_on": "Date",
    "kind": "Kind",
    "went_well": "What went well",
    "to_improve": "What to improve",
    "goal": "Goal",
    "reality": "Reality",
    "options": "Options",
    "way_forward": "Way forward",
    "next_session_on": "Next session",
    "private": "Kept private",
    "actions": "Action items",
    "evidence": "Training attempts",
    "reviewed": "What was reviewed",
    "review_reference": "Reviewed",
    "review_link": "Link to what was reviewed",
    "review_excerpt": "Excerpt",
}
REVIEW_FIELDS = ("review_reference", "review_link", "review_excerpt")


@dataclass(frozen=True)
class ActionRow:
    text: str
    owner: Owner
    due_on: date | None
    private: bool
    done: bool = False
    id: int | None = None  # the saved action this row edits


@dataclass
class SessionData:
    """What the manager entered, independent of the form that carried it."""

    held_on: date
    kind: str
    notes: dict[str, str]
    private: set[str]
    ratings: dict[str, int]
    next_session_on: date | None
    actions: list[ActionRow]
    evidence: set[int] = field(default_factory=set)
    carried_done: set[int] = field(default_factory=set)
    review: dict[str, str] = field(default_factory=dict)  # REVIEW_FIELDS by name
    agenda_done: set[int] = field(default_factory=set)  # agenda points discussed


class EditConflict(Exception):
    """The session changed after the editor opened it: `saves` are the edits since
    (newest first); none means only an action item was ticked off or reopened."""

    def __init__(self, saves: list[Revision]) -> None:
        super().__init__("the session changed since it was opened")
        self.saves = saves


def create(
    employee: User, coach: User, data: SessionData, submission_key: str | None = None
) -> CoachingSession:
    """Add a session with its ratings, actions and evidence; close carried-over actions."""
    session = CoachingSession(
        employee_id=employee.id, coach_id=coach.id, submission_key=submission_key or None
    )
    db.session.add(session)
    _apply(session, data)
    db.session.flush()
    if data.carried_done:
        carried = select(ActionItem.id).where(
            ActionItem.employee_id == employee.id, ActionItem.session_id != session.id
        )
        followups.set_done(sorted(data.carried_done), True, coach.id, carried)
    agenda.mark_discussed(employee.id, sorted(data.agenda_done), session.id)
    db.session.add(Revision(session_id=session.id, editor_id=coach.id, changes=[]))
    nudges.recorded(session, coach)
    events.session_recorded.send(session)
    return session


def update(session: CoachingSession, data: SessionData, editor: User, version: int | None) -> bool:
    """Save the edit if `version` is still the latest; record what changed.

    Returns whether anything changed. Raises EditConflict when another save came first;
    the ORM's version column also refuses a save that loses a race after this check.
    """
    if version != session.version:
        raise EditConflict(_saves_since(session.id, version or 0))
    skills = sorted({r.skill for r in session.ratings} | set(data.ratings))
    seen = nudges.seen(session)
    before = snapshot(session, skills)
    _apply(session, data)
    after = snapshot(session, skills)
    changes = [
        {"field": key, "before": before[key], "after": after[key]}
        for key in after
        if before[key] != after[key]
    ]
    if not changes:
        return False
    session.updated_at = utcnow()
    # The version column moves on by one when this is flushed.
    db.session.add(
        Revision(
            session_id=session.id,
            editor_id=editor.id,
            changes=changes,
            version=session.version + 1,
        )
    )
    db.session.flush()
    nudges.changed(session, seen, editor)
    return True


def _apply(session: CoachingSession, data: SessionData) -> None:
    session.held_on, session.kind = data.held_on, data.kind
    for name in NOTE_FIELDS:
        setattr(session, name, data.notes.get(name, "").strip())
    for name in REVIEW_FIELDS:
        setattr(session, name, data.review.get(name, "").strip())
    session.private_fields = sorted(data.private)
    session.next_session_on = data.next_session_on
    _apply_ratings(session, data)
    _apply_actions(session, data.actions)
    current = {e.attempt_id: e for e in session.evidence}
    session.evidence = [current.get(i) or Evidence(attempt_id=i) for i in sorted(data.evidence)]


def _apply_ratings(session: CoachingSession, data: SessionData) -> None:
    existing = {r.skill: r for r in session.ratings}
    kept = []
    for skill, value in data.ratings.items():
        rating = existing.get(skill) or Rating(skill=skill)
        rating.rating, rating.held_on = value, data.held_on
        rating.employee_id, rating.private = session.employee_id, "ratings" in data.private
        rating.coach_id = session.coach_id
        kept.append(rating)
    session.ratings = kept


def _apply_actions(session: CoachingSession, rows: list[ActionRow]) -> None:
    """Rows edit the session's actions by id (an id from elsewhere starts a new one); a
    row whose text was cleared removes its action, and actions without a row stay."""
    existing = {action.id: action for action in session.actions}
    kept = []
    for row in rows:
        action = existing.pop(row.id, None) if row.id is not None else None
        if not row.text.strip():
            continue
        if action is None:
            action = ActionItem(employee_id=session.employee_id)
        if row.done and action.done_at is None:
            action.done_at = utcnow()
        elif not row.done:
            action.done_at = None
        action.text, action.owner = row.text.strip(), row.owner
        action.due_on, action.private = row.due_on, row.private
        kept.append(action)
    untouched = [a for a in session.actions if a.id in existing]
    session.actions = untouched + kept


def submitted(employee_id: int, submission_key: str | None) -> CoachingSession | None:
    """The session an earlier post of the same new-session form already recorded."""
    if not submission_key:
        return None
    return db.session.scalar(
        select(CoachingSession).where(
            CoachingSession.submission_key == submission_key,
            CoachingSession.employee_id == employee_id,
        )
    )


def _saves_since(session_id: int, version: int) -> list[Revision]:
    return list(
        db.session.scalars(
            select(Revision)
            .where(Revision.session_id == session_id, Revision.version > version)
            .order_by(Revision.id.desc())
        )
    )


def snapshot(session: CoachingSession, skills: list[str]) -> dict[str, str]:
    """The session as labelled text, for comparing two saves."""
    values = {
        LABELS["held_on"]: session.held_on.isoformat(),
        LABELS["kind"]: session.kind,
        **{LABELS[name]: getattr(session, name) or "" for name in NOTE_FIELDS},
        **{LABELS[name]: getattr(session, name) or "" for name in REVIEW_FIELDS},
        LABELS["private"]: ", ".join(
            "Ratings" if name == "ratings" else LABELS[name] for name in session.private_fields
        ),
        LABELS["next_session_on"]: (
            session.next_session_on.isoformat() if session.next_session_on else ""
        ),
        LABELS["actions"]: "\n".join(_describe(action) for action in session.actions),
        LABELS["evidence"]: ", ".join(str(e.attempt_id) for e in session.evidence),
    }
    ratings = {r.skill: str(r.rating) for r in session.ratings}
    values.update({f"Rating: {skill}": ratings.get(skill, "") for skill in skills})
    return values


def _describe(action: ActionItem) -> str:
    due = f", due {action.due_on.isoformat()}" if action.due_on else ""
    state = ", done" if action.done_at else ""
    private = ", private" if action.private else ""
    return f"{action.text} ({action.owner.value}{due}{private}{state})"


def rating_label(key: str, skills: dict[str, Skill]) -> str:
    """History labels name skills by id; show their catalogue names."""
    prefix = "Rating: "
    if key.startswith(prefix) and key[len(prefix) :] in skills:
        return prefix + skills[key[len(prefix) :]].name
    return key
