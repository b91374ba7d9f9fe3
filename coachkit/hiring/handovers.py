"""Handing a hired candidate's screening profile to the team they join, as the starting
point for their training.

A hand-over is a copy (name, e-mail, opening, skill scores), so it outlives the
candidate record when the retention purge removes that. The team's managers see it;
training suggestions come from the modules that train the new starter's weakest skills.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import joinedload

from coachkit.auth.models import Role, User
from coachkit.content.modules import Module
from coachkit.content.skills import Skill
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring.models import Candidate, CandidateStatus, Handover
from coachkit.teams.models import Team, managed_members, managed_team_ids
from coachkit.training import progress

RECENT_DAYS = 90  # new starters on a manager's home page
STRONG_SCORE = 4.0  # a skill scored at or above this is not a training need
WEAKEST_COUNT = 3
SUGGESTION_COUNT = 3


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


@dataclass(frozen=True)
class SkillLine:
    skill: str
    name: str
    score: float
    anchor: str  # what the rounded score looks like, from the catalogue


def rounded(score: float) -> int:
    """A 1-5 score rounded half up to a whole rating."""
    return min(5, max(1, int(score + 0.5)))


def profile(skills: Mapping[str, float], catalogue: Mapping[str, Skill]) -> list[SkillLine]:
    """The hand-over's skills in catalogue order, each with its anchor text."""
    order = [skill for skill in catalogue if skill in skills]
    order += [skill for skill in skills if skill not in catalogue]
    return [
        SkillLine(
            skill,
            catalogue[skill].name if skill in catalogue else skill,
            float(skills[skill]),
            catalogue[skill].anchor_for(rounded(skills[skill])) if skill in catalogue else "",
        )
        for skill in order
    ]


def weakest(lines: Iterable[SkillLine], count: int = WEAKEST_COUNT) -> list[SkillLine]:
    """Up to `count` lowest-scored skills below STRONG_SCORE, lowest first (ties keep
    catalogue order)."""
    weak = [line for line in lines if line.score < STRONG_SCORE]
    return sorted(weak, key=lambda line: line.score)[:count]


@dataclass(frozen=True)
class Suggestion:
    module: Module
    trains: list[SkillLine]


def suggestions(
    weak: list[SkillLine], modules: Iterable[Module], count: int = SUGGESTION_COUNT
) -> list[Suggestion]:
    """Modules that train the weakest skills, best first: the weakest skill counts most,
    and a module training several of them beats one training a single skill."""
    weight = {line.skill: len(weak) - index for index, line in enumerate(weak)}
    ranked = []
    for position, module in enumerate(modules):
        trains = [line for line in weak if line.skill in module.skills]
        if trains:
            ranked.append((-sum(weight[line.skill] for line in trains), position, module, trains))
    ranked.sort(key=lambda entry: entry[:2])
    return [Suggestion(module, trains) for _w, _p, module, trains in ranked[:count]]
