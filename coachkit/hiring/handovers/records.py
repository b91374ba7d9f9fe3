"""Handing a hired candidate's screening profile to the team they join, as the starting
point for their training: who may read hand-overs, making one, and the new starter's
account.

A hand-over is a copy (name, e-mail, opening, skill scores), so it outlives the
candidate record when the retention purge removes that. The team's managers see it,
with training suggestions (`suggestions`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import joinedload

from coachkit.auth.models import Role, User
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring.models import Candidate, CandidateStatus, Handover
from coachkit.teams.models import Team, managed_members, managed_team_ids
from coachkit.training import progress

RECENT_DAYS = 90  # new starters on a manager's home page


class AlreadyHandedOver(Exception):
    def __init__(self, handover: Handover) -> None:
        super().__init__(f"candidate {handover.candidate_id} was already handed over")
        self.handover = handover


def visible_handovers(user: User) -> Select[tuple[Handover]]:
    """Hand-overs `user` may read: all for admins, their teams' for managers, none else."""
    statement = select(Handover).order_by(Handover.created_at.desc(), Handover.id.desc())
    if user.role == Role.ADMIN:
        return statement
    if user.role == Role.MANAGER:
        return statement.where(Handover.team_id.in_(managed_team_ids(user)))
    return statement.where(false())


def recent(user: User, limit: int = 20) -> list[Handover]:
    """The last RECENT_DAYS days of hand-overs to `user`'s teams (1 query)."""
    since = utcnow() - timedelta(days=RECENT_DAYS)
    return list(
        db.session.scalars(
            visible_handovers(user)
            .where(Handover.created_at >= since)
            .options(joinedload(Handover.team))
            .limit(limit)
        )
    )


def of_candidate(candidate_id: int) -> Handover | None:
    return db.session.scalar(
        select(Handover)
        .where(Handover.candidate_id == candidate_id)
        .options(joinedload(Handover.team))
    )


def account_for(email: str) -> User | None:
    """The active user account with this e-mail address, any case."""
    return db.session.scalar(
        select(User).where(func.lower(User.email) == email.strip().lower(), User.active.is_(True))
    )


def accounts(handovers: Sequence[Handover]) -> dict[int, User]:
    """Each hand-over's account (by hand-over id): the one linked when it was made, or
    an active account created since with the same e-mail (one query for the lot)."""
    found = {h.id: h.user for h in handovers if h.user is not None}
    missing = {h.email.strip().lower(): h.id for h in handovers if h.user is None}
    if missing:
        for user in db.session.scalars(
            select(User).where(func.lower(User.email).in_(missing), User.active.is_(True))
        ):
            found[missing[user.email.lower()]] = user
    return found


def create(candidate: Candidate, team: Team, note: str, by: User) -> Handover:
    """Hand a hired candidate's profile to `team`. Raises ValueError when the candidate
    is not hired and AlreadyHandedOver when a hand-over exists (the unique candidate_id
    also stops a simultaneous second one at commit)."""
    if candidate.status != CandidateStatus.HIRED:
        raise ValueError("only a hired candidate can be handed over")
    if earlier := of_candidate(candidate.id):
        raise AlreadyHandedOver(earlier)
    account = account_for(candidate.email)
    handover = Handover(
        team=team,
        candidate_id=candidate.id,
        user_id=account.id if account else None,
        name=candidate.name,
        email=candidate.email,
        opening_title=candidate.opening.title,
        exercise_slug=candidate.opening.exercise_slug,
        skills={result.skill: result.score for result in candidate.skill_results},
        note=note.strip(),
        handed_over_by_id=by.id,
    )
    db.session.add(handover)
    candidate.last_activity_at = utcnow()
    db.session.flush()
    return handover


def practice(account: User | None, viewer: User) -> dict[str, float]:
    """The new starter's mean practice rating per skill (1-5, as on their skill profile),
    in one query, when `viewer` may see their practice: an admin, or a manager of a team
    they are a member of (the team handed to need not be theirs yet). Otherwise none."""
    if account is None:
        return {}
    allowed = managed_members(viewer).where(User.id == account.id).with_only_columns(User.id)
    return progress.skill_profiles(allowed.order_by(None)).get(account.id, {})
