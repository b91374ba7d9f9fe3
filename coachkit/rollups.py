"""Counting the rollups again from the rows they summarise (`flask recount`).

Three tables hold running counts that the application keeps in the same transaction as
each change: candidates per opening and status (`hiring_status_counts`), each reply's
tally per module version (`training_choice_tallies`) and each person's points and
ratings per skill (`training_skill_totals`). Each migration that added one filled it
from the rows already stored. A change written without coachkit (by hand, or by an older release
still running while a migration ran) would leave a count behind; `recount` rebuilds
all three from their source rows, in one transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, delete, func, insert, select, text

from coachkit.extensions import Base, db
from coachkit.hiring.models import Candidate, StatusCount
from coachkit.training.models import Attempt, AttemptStep, ChoiceTally, SkillScore, SkillTotal


def recount() -> dict[str, int]:
    """Rebuild every rollup from its source rows; return the rows each now holds.
    The caller commits.

    Safe while coachkit runs: on PostgreSQL the rollups are locked against writers
    first, so a change still in progress either is in the rows read here or adds its
    count after this commits; SQLite lets one writer at a time in anyway."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text(
                "LOCK TABLE hiring_status_counts, training_choice_tallies, "
                "training_skill_totals IN EXCLUSIVE MODE"
            )
        )
    rebuilt: dict[type[Base], Select[Any]] = {
        StatusCount: select(Candidate.opening_id, Candidate.status, func.count()).group_by(
            Candidate.opening_id, Candidate.status
        ),
        ChoiceTally: select(
            Attempt.module_version_id,
            AttemptStep.node_id,
            AttemptStep.choice_index,
            func.count(),
            func.coalesce(func.sum(AttemptStep.outcome), 0),
        )
        .join(Attempt, Attempt.id == AttemptStep.attempt_id)
        .where(AttemptStep.choice_index.is_not(None))
        .group_by(Attempt.module_version_id, AttemptStep.node_id, AttemptStep.choice_index),
        SkillTotal: select(
            SkillScore.user_id,
            SkillScore.skill,
            func.sum(SkillScore.points),
            func.count(),
            func.coalesce(func.sum(SkillScore.rating_tenths), 0),
            func.count(SkillScore.rating_tenths),
        ).group_by(SkillScore.user_id, SkillScore.skill),
    }
    columns: dict[type[Base], tuple[str, ...]] = {
        StatusCount: ("opening_id", "status", "candidates"),
        ChoiceTally: ("module_version_id", "node_id", "choice_index", "taken", "outcome_total"),
        SkillTotal: ("user_id", "skill", "points", "attempts", "rating_tenths", "rated"),
    }
    rows = {}
    for model, source in rebuilt.items():
        db.session.execute(delete(model))
        db.session.execute(insert(model).from_select(list(columns[model]), source))
        rows[model.__tablename__] = db.session.scalar(select(func.count()).select_from(model)) or 0
    return rows
