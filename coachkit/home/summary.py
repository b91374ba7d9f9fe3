"""What the home pages summarise, each in one statement: an employee's mean practice
rating per skill, 1-5 (as `training.progress.skill_profiles` computes it), with how many
coaching sessions and shared actions wait for them; a manager's coaching counts and
overdue practice; and the teams on a home page with their people's names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import cast

from sqlalchemy import (
    CompoundSelect,
    Integer,
    Select,
    bindparam,
    func,
    literal,
    or_,
    select,
    union_all,
)

from coachkit.auth.models import User
from coachkit.coaching.models import ActionItem, CoachingSession, coachees
from coachkit.database import plain_rows
from coachkit.extensions import db
from coachkit.teams.models import Membership, Position, Team, home_teams
from coachkit.training.models import Assignment, AttemptStatus, SkillTotal
from coachkit.training.progress import attempt_since_assigned
from coachkit.training.scale import mean_rating

_SESSIONS, _ACTIONS = "sessions-waiting", "open-actions"


@dataclass(frozen=True)
class Summary:
    profile: dict[str, float]
    sessions_waiting: int
    open_actions: int


def _summary_statement() -> CompoundSelect:
    """Rows of (what, value, count): one per rated skill (the sum of its ratings in
    tenths and how many attempts rated it, from the rollup), then the two coaching
    counts."""
    user_id = bindparam("user_id", type_=Integer)
    skills = select(
        SkillTotal.skill.label("what"),
        SkillTotal.rating_tenths.label("value"),
        SkillTotal.rated.label("count"),
    ).where(SkillTotal.user_id == user_id, SkillTotal.rated > 0)
    sessions = select(literal(_SESSIONS), func.count(CoachingSession.id), literal(1)).where(
        CoachingSession.employee_id == user_id, CoachingSession.acknowledged_at.is_(None)
    )
    actions = select(literal(_ACTIONS), func.count(ActionItem.id), literal(1)).where(
        ActionItem.employee_id == user_id,
        ActionItem.private.is_(False),
        ActionItem.done_at.is_(None),
    )
    return union_all(skills, sessions, actions)


_SUMMARY = _summary_statement()


def employee_summary(user_id: int) -> Summary:
    rows = {
        what: (value, count) for what, value, count in plain_rows(_SUMMARY, {"user_id": user_id})
    }
    (waiting, _), (open_actions, _) = rows.pop(_SESSIONS), rows.pop(_ACTIONS)
    return Summary(
        profile={skill: mean_rating(tenths, count) for skill, (tenths, count) in rows.items()},
        sessions_waiting=int(waiting),
        open_actions=int(open_actions),
    )


@dataclass(frozen=True)
class TeamCard:
    """A team as a home page shows it: who manages it and who is in it, by name."""

    id: int
    name: str
    description: str
    managers: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)


TeamPerson = tuple[int, str, str, Position | None, str | None]  # a team's id, name,
# description, and one of its people's position and name (None for a team without any)


def _team_people(user: User) -> Select[TeamPerson]:
    """Each of `user`'s home teams with each of its people."""
    statement = (
        home_teams(user)
        .with_only_columns(Team.id, Team.name, Team.description, Membership.position, User.name)
        .outerjoin(Membership, Membership.team_id == Team.id)
        .outerjoin(User, User.id == Membership.user_id)
    )
    return cast(Select[TeamPerson], statement)  # SQLAlchemy types no outer join's None


def team_cards(user: User) -> list[TeamCard]:
    """The teams on `user`'s home page (in name order) with their people, names sorted
    as a reader looks them up (ignoring case), read as plain values in one query."""
    cards: dict[int, TeamCard] = {}
    for team_id, name, description, position, person in plain_rows(_team_people(user)):
        card = cards.setdefault(team_id, TeamCard(team_id, name, description))
        if person is not None:
            (card.managers if position == Position.MANAGER else card.members).append(person)
    for card in cards.values():
        card.managers.sort(key=str.lower)
        card.members.sort(key=str.lower)
    return list(cards.values())


@dataclass(frozen=True)
class ManagerCounts:
    """The coaching dashboard's three counts, and the practice overdue in the teams."""

    overdue_actions: int
    unacknowledged: int
    not_coached: int
    overdue_practice: int


def manager_counts(coach: User, today: date, not_coached_before: date) -> ManagerCounts:
    """Counted over the active people `coach` coaches, as the dashboard lists them, in
    one statement."""
    people = select(User.id).where(User.id.in_(coachees(coach)), User.active.is_(True))
    last = (
        select(func.max(CoachingSession.held_on))
        .where(CoachingSession.employee_id == User.id)
        .scalar_subquery()
    )
    counts = select(
        select(func.count(ActionItem.id))
        .where(
            ActionItem.employee_id.in_(people),
            ActionItem.done_at.is_(None),
            ActionItem.due_on < today,
        )
        .scalar_subquery(),
        select(func.count(CoachingSession.id))
        .where(CoachingSession.employee_id.in_(people), CoachingSession.acknowledged_at.is_(None))
        .scalar_subquery(),
        select(func.count(User.id))
        .where(
            User.id.in_(coachees(coach)),
            User.active.is_(True),
            or_(last.is_(None), last < not_coached_before),
        )
        .scalar_subquery(),
        select(func.count(Assignment.id))
        .where(
            Assignment.user_id.in_(people),
            Assignment.due_on < today,
            ~attempt_since_assigned(AttemptStatus.COMPLETED),
        )
        .scalar_subquery(),
    )
    return ManagerCounts(*db.session.execute(counts).one())
