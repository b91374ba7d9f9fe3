"""An employee's figures for their home page in one statement: the average points per
skill over their completed practice (as `training.progress.skill_profiles` computes
it), and how many coaching sessions and shared actions wait for them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import CompoundSelect, Integer, bindparam, func, literal, select, union_all

from coachkit.coaching.models import ActionItem, CoachingSession
from coachkit.extensions import db
from coachkit.training.models import SkillScore

_SESSIONS, _ACTIONS = "sessions-waiting", "open-actions"


@dataclass(frozen=True)
class Summary:
    profile: dict[str, float]
    sessions_waiting: int
    open_actions: int


def _summary_statement() -> CompoundSelect:
    """Rows of (what, value): one per trained skill, then the two coaching counts."""
    user_id = bindparam("user_id", type_=Integer)
    skills = (
        select(SkillScore.skill.label("what"), func.avg(SkillScore.points).label("value"))
        .where(SkillScore.user_id == user_id)
        .group_by(SkillScore.skill)
    )
    sessions = select(literal(_SESSIONS), func.count(CoachingSession.id)).where(
        CoachingSession.employee_id == user_id, CoachingSession.acknowledged_at.is_(None)
    )
    actions = select(literal(_ACTIONS), func.count(ActionItem.id)).where(
        ActionItem.employee_id == user_id,
        ActionItem.private.is_(False),
        ActionItem.done_at.is_(None),
    )
    return union_all(skills, sessions, actions)


_SUMMARY = _summary_statement()


def employee_summary(user_id: int) -> Summary:
    rows = dict(db.session.execute(_SUMMARY, {"user_id": user_id}).tuples().all())
    waiting, open_actions = rows.pop(_SESSIONS), rows.pop(_ACTIONS)
    return Summary(
        profile={skill: round(float(value), 1) for skill, value in rows.items()},
        sessions_waiting=int(waiting),
        open_actions=int(open_actions),
    )
