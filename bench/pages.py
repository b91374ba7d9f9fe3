"""The pages the benchmark measures, each resolved against the generated data to a
concrete URL and the person who opens it.

"heavy" pages are the dashboards, reports, comparison, trends and the calibration
round (agreement and each rater's lean over all their ratings); the rest are
"ordinary". The people are chosen as the demanding but real cases: the employee with
the most attempts (who has one unfinished), the manager of the largest team, the
opening with the most candidates and the recruiter who rated most of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, case, func, select

from coachkit.auth.models import Role, User
from coachkit.calibration.models import CalibrationSeat
from coachkit.coaching.models import CoachingSession
from coachkit.hiring.models import Candidate, RaterScore
from coachkit.teams.models import Membership, Position
from coachkit.training.models import Attempt, AttemptStatus

ORDINARY, HEAVY = "ordinary", "heavy"


@dataclass(frozen=True)
class Page:
    name: str
    kind: str
    path: str
    user_id: int


def resolve(connection: Connection) -> list[Page]:
    """Every measured page, with ids picked from the database behind `connection`."""
    employee = _busiest_employee(connection)
    unfinished, finished = _attempts_of(connection, employee)
    team, manager = _largest_team(connection)
    opening, recruiter = _largest_opening(connection)
    admin = connection.scalar(select(func.min(User.id)).where(User.role == Role.ADMIN))
    slug = connection.scalar(
        select(Attempt.module_slug).group_by(Attempt.module_slug).order_by(func.count().desc())
    )
    session = connection.scalar(
        select(func.max(CoachingSession.id)).where(CoachingSession.employee_id.in_(_members(team)))
    )
    calibration, rater = _rated_round(connection)
    return [
        Page("employee home", ORDINARY, "/", employee),
        Page("training player step", ORDINARY, f"/training/attempts/{unfinished}", employee),
        Page("training results", ORDINARY, f"/training/attempts/{finished}/results", employee),
        Page("my coaching", ORDINARY, "/coaching/mine/", employee),
        Page("manager home", ORDINARY, "/", manager),
        Page("coaching session", ORDINARY, f"/coaching/sessions/{session}", manager),
        Page("team progress", HEAVY, f"/training/teams/{team}", manager),
        Page("module report", HEAVY, f"/training/{slug}/report", manager),
        Page("module report, all staff", HEAVY, f"/training/{slug}/report", admin),
        Page("coaching dashboard", HEAVY, "/coaching/", manager),
        Page("coaching team trends", HEAVY, f"/coaching/teams/{team}/trends", manager),
        Page("openings", ORDINARY, "/hiring/", recruiter),
        Page("rating queue", ORDINARY, f"/hiring/rating/openings/{opening}", recruiter),
        Page("candidate comparison", HEAVY, f"/hiring/openings/{opening}/compare", recruiter),
        Page(
            "rater agreement report",
            HEAVY,
            f"/hiring/reports/openings/{opening}/agreement",
            recruiter,
        ),
        Page("screening validity", HEAVY, "/evidence/validity", recruiter),
        Page("training impact", HEAVY, "/evidence/impact", manager),
        Page("training impact, all staff", HEAVY, "/evidence/impact", admin),
        Page("calibration round", HEAVY, f"/calibration/{calibration}", rater),
    ]


def _rated_round(connection: Connection) -> tuple[int, int]:
    """The calibration round with the most handed-in ratings, and its first rater."""
    handed_in = CalibrationSeat.submitted_at.is_not(None)
    round_id = connection.scalar(
        select(CalibrationSeat.round_id)
        .where(handed_in)
        .group_by(CalibrationSeat.round_id)
        .order_by(func.count().desc(), CalibrationSeat.round_id)
        .limit(1)
    )
    rater = connection.scalar(
        select(func.min(CalibrationSeat.user_id)).where(
            CalibrationSeat.round_id == round_id, handed_in
        )
    )
    return round_id, rater


def _busiest_employee(connection: Connection) -> int:
    unfinished = func.sum(case((Attempt.status == AttemptStatus.IN_PROGRESS.value, 1), else_=0))
    return connection.scalar(
        select(Attempt.user_id)
        .join(User, User.id == Attempt.user_id)
        .where(User.role == Role.EMPLOYEE.value, User.active.is_(True))
        .group_by(Attempt.user_id)
        .having(unfinished > 0)
        .order_by(func.count().desc(), Attempt.user_id)
        .limit(1)
    )


def _attempts_of(connection: Connection, user_id: int) -> tuple[int, int]:
    def latest(status: AttemptStatus) -> int:
        return connection.scalar(
            select(func.max(Attempt.id)).where(
                Attempt.user_id == user_id, Attempt.status == status.value
            )
        )

    return latest(AttemptStatus.IN_PROGRESS), latest(AttemptStatus.COMPLETED)


def _members(team_id: int):
    return select(Membership.user_id).where(
        Membership.team_id == team_id, Membership.position == Position.MEMBER.value
    )


def _largest_team(connection: Connection) -> tuple[int, int]:
    """The team with the most members, and its (first) manager."""
    team = connection.scalar(
        select(Membership.team_id)
        .where(Membership.position == Position.MEMBER.value)
        .group_by(Membership.team_id)
        .order_by(func.count().desc(), Membership.team_id)
        .limit(1)
    )
    manager = connection.scalar(
        select(func.min(Membership.user_id)).where(
            Membership.team_id == team, Membership.position == Position.MANAGER.value
        )
    )
    return team, manager


def _largest_opening(connection: Connection) -> tuple[int, int]:
    """The opening with the most candidates, and the recruiter who rated most there."""
    opening = connection.scalar(
        select(Candidate.opening_id)
        .group_by(Candidate.opening_id)
        .order_by(func.count().desc(), Candidate.opening_id)
        .limit(1)
    )
    rater = connection.scalar(
        select(RaterScore.rater_id)
        .where(RaterScore.opening_id == opening)
        .group_by(RaterScore.rater_id)
        .order_by(func.count().desc(), RaterScore.rater_id)
        .limit(1)
    )
    return opening, rater
