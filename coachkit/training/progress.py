"""Who has done what: assignments with their status, skill profiles, and the module
report. Every function takes the people it may read, already scoped by the caller."""

from __future__ import annotations

import enum
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, bindparam, exists, func, select
from sqlalchemy.sql.expression import ColumnElement, Exists

from coachkit.database import plain_rows
from coachkit.extensions import db
from coachkit.training.models import (
    Assignment,
    Attempt,
    AttemptStatus,
    AttemptStep,
    ChoiceTally,
    ModuleVersion,
    SkillTotal,
)
from coachkit.training.scale import mean_rating


class AssignmentState(enum.StrEnum):
    DONE = "done"
    IN_PROGRESS = "in progress"
    NOT_STARTED = "not started"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class Assigned:
    """What the pages show of an assignment, read as plain values."""

    id: int
    user_id: int
    module_slug: str
    due_on: date


@dataclass(frozen=True)
class AssignmentStatus:
    assignment: Assigned
    state: AssignmentState
    attempt_id: int | None = None  # the latest attempt that completed it, for its results


def attempt_since_assigned(status: AttemptStatus) -> Exists:
    """Whether the assignee has an attempt in `status` at the assigned module, started
    since it was assigned (correlated with a query of assignments)."""
    return exists().where(*_since_assigned(status))


def _since_assigned(status: AttemptStatus) -> tuple[ColumnElement[bool], ...]:
    return (
        Attempt.user_id == Assignment.user_id,
        Attempt.module_slug == Assignment.module_slug,
        Attempt.status == status,
        Attempt.started_at >= Assignment.created_at,
    )


_ASSIGNMENT_STATUSES = (
    select(
        Assignment.id,
        Assignment.user_id,
        Assignment.module_slug,
        Assignment.due_on,
        # The latest completed attempt, read backwards along the attempts index (person,
        # module, status, start): max(id) would make SQLite walk the whole table by id.
        select(Attempt.id)
        .where(*_since_assigned(AttemptStatus.COMPLETED))
        .order_by(Attempt.started_at.desc(), Attempt.id.desc())
        .limit(1)
        .scalar_subquery()
        .label("completed_by"),
        attempt_since_assigned(AttemptStatus.IN_PROGRESS).label("started"),
    )
    .where(Assignment.user_id.in_(bindparam("user_ids", expanding=True)))
    .order_by(Assignment.due_on, Assignment.id)
)


def assignment_statuses(user_ids: list[int], today: date) -> list[AssignmentStatus]:
    """Assignments of these people with their state, in one query (by due date)."""
    statuses = []
    rows = plain_rows(_ASSIGNMENT_STATUSES, {"user_ids": user_ids})
    for *columns, completed_by, started in rows:
        assignment = Assigned(*columns)
        if completed_by is not None:
            state = AssignmentState.DONE
        elif assignment.due_on < today:
            state = AssignmentState.OVERDUE
        else:
            state = AssignmentState.IN_PROGRESS if started else AssignmentState.NOT_STARTED
        statuses.append(AssignmentStatus(assignment, state, completed_by))
    return statuses


@dataclass(frozen=True)
class Completion:
    """How many of a module's assignees have completed it."""

    module_slug: str
    done: int
    assigned: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.assigned)


def completion(statuses: list[AssignmentStatus]) -> list[Completion]:
    """Per module assigned among `statuses`, in the order first met, the share done."""
    counts: dict[str, list[int]] = {}
    for status in statuses:
        tally = counts.setdefault(status.assignment.module_slug, [0, 0])
        tally[0] += status.state == AssignmentState.DONE
        tally[1] += 1
    return [Completion(slug, done, assigned) for slug, (done, assigned) in counts.items()]


_PROFILE_COLUMNS = select(
    SkillTotal.user_id, SkillTotal.skill, SkillTotal.rating_tenths, SkillTotal.rated
)
_SKILL_PROFILES = _PROFILE_COLUMNS.where(
    SkillTotal.user_id.in_(bindparam("user_ids", expanding=True))
)


def skill_profiles(user_ids: list[int] | Select[tuple[int]]) -> dict[int, dict[str, float]]:
    """Each person's mean rating per skill (1-5, one decimal) over their completed
    attempts, in one query of the rollup (a row per person and skill); `user_ids` as
    ids, or as a statement selecting them. A skill no attempt could rate (every way
    through its modules scores it the same) is left out."""
    if isinstance(user_ids, list):
        rows = plain_rows(_SKILL_PROFILES, {"user_ids": user_ids})
    else:
        rows = plain_rows(_PROFILE_COLUMNS.where(SkillTotal.user_id.in_(user_ids)))
    profiles: dict[int, dict[str, float]] = defaultdict(dict)
    for user_id, skill, tenths, rated in rows:
        if rated:
            profiles[user_id][skill] = mean_rating(tenths, rated)
    return dict(profiles)


@dataclass(frozen=True)
class ChoiceCount:
    taken: int
    average_outcome: float


def choice_counts(
    slug: str, version: str, user_ids: Select | None
) -> dict[tuple[str, int], ChoiceCount]:
    """How often each (node, choice) of this module version was taken, and its average
    outcome, in one query: for everyone from the running tallies, for the people in
    `user_ids` from their own attempts (found through their index)."""
    if user_ids is None:
        rows = db.session.execute(
            select(
                ChoiceTally.node_id,
                ChoiceTally.choice_index,
                ChoiceTally.taken,
                ChoiceTally.outcome_total * 1.0 / ChoiceTally.taken,
            )
            .join(ModuleVersion, ModuleVersion.id == ChoiceTally.module_version_id)
            .where(ModuleVersion.slug == slug, ModuleVersion.version == version)
            .where(ChoiceTally.taken > 0)
        )
    else:
        attempts = (
            select(Attempt.id)
            .join(ModuleVersion, ModuleVersion.id == Attempt.module_version_id)
            .where(
                Attempt.user_id.in_(user_ids),
                Attempt.module_slug == slug,
                ModuleVersion.version == version,
            )
        )
        rows = db.session.execute(
            select(
                AttemptStep.node_id,
                AttemptStep.choice_index,
                func.count(AttemptStep.id),
                func.avg(AttemptStep.outcome),
            )
            .where(AttemptStep.attempt_id.in_(attempts), AttemptStep.choice_index.is_not(None))
            .group_by(AttemptStep.node_id, AttemptStep.choice_index)
        )
    return {
        (node, index): ChoiceCount(count, round(float(avg), 1)) for node, index, count, avg in rows
    }
