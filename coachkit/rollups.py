"""Rollups: values kept from other rows in the transaction of each change, so pages read
a few stored values instead of aggregating many rows; and `flask recount`, which counts
them all again from those rows.

What is kept, from what:

- `hiring_status_counts`: candidates per opening and status (`hiring.models.STATUS_COUNTS`);
- `training_choice_tallies`: how often each reply of a module version was chosen, and
  the sum of its outcomes, from the attempts' steps (`training.models.CHOICE_TALLIES`);
- `training_skill_totals`: each person's points, ratings (1-5, in tenths) and completed
  attempts per skill, from the skill scores (`training.models.SKILL_TOTALS`);
- `hiring_answers.written`: whether the answer's value holds a written reply;
- `hiring_answers.raters`: how many raters scored the answer, from the rater scores;
- `hiring_openings.scores_revision`: moved on by every change of the opening's rater
  scores (a deleted candidate's included); reports computed from the scores are
  cached by it;
- `training_practice_records`: each person's first completion of each module and the
  results of their first three attempts at it, from the attempts
  (`training.practice`; a person's row is computed again from their attempts);
- `users.unread_notifications`: each person's unread notifications, shown in the
  header, from the notifications (`notifications.models`).

How: one mechanism. Each rollup is kept by flush events declared in the models module
of the table it summarises (counter tables through `database.CounterRollup`), so code
that changes rows through the models keeps it, whatever else was imported. The events
run on the flush's connection, in the transaction of the change; counters change by
atomic increments (INSERT ... ON CONFLICT DO UPDATE; UPDATE ... SET n = n + 1 for the
unread count, kept on the person's own row), in a fixed order so writers never
deadlock on them. A statement that bypasses the ORM (DELETE ... RETURNING, a bulk
UPDATE, an upsert) calls the function the events call: `CounterRollup.apply`,
`hiring.models.candidates_deleted`, `answers_rated`, `scores_changed` or
`notifications.models.unread_changed`.

Results are computed, not kept this way: a candidate's skill results
(`hiring_skill_results`), `overall`, `fully_rated`, and the move of a handed-in,
undecided candidate between submitted and scored follow the exercise's scoring rules,
so `hiring.results` computes them where their inputs change (hand-in, rating, a change
of the raters required). `recount` computes them again too.

Copies, not rebuilt here: columns that repeat their parent row's value, written with it
by the one function that writes both and changed by nothing else -
`hiring_rater_scores.opening_id` (the candidate's), `coaching_ratings.employee_id`,
`held_on` and `private` and `coaching_action_items.employee_id` (the session's, on
every save), `training_attempt_steps.module_slug` and `training_skill_scores.user_id`,
`module_slug` and `completed_at` (the attempt's). Nor is an attempt's own record: its
running scores, flags and step count, each step's outcome, and the skill scores it ends
with, written once as the player goes; nor a candidate's `seconds_taken` (measured at
hand-in) or a hand-over (a copy made to outlive the candidate).

What no event sees, `recount` repairs: rows changed without coachkit (by hand, or by an
older release still running while a migration added a rollup) and ON DELETE CASCADE
inside the database when a user or an attempt is deleted, which coachkit never does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, insert, select, text, update

from coachkit.database import CounterRollup
from coachkit.extensions import db
from coachkit.hiring import results, versions
from coachkit.hiring.models import Answer, Opening, holds_writing, rater_count, scores_changed
from coachkit.notifications import centre
from coachkit.training import practice

# Written by `recount` beside the counter tables.
_RESULT_TABLES = ("hiring_candidates", "hiring_answers", "hiring_skill_results")
# Counted from, for a count kept on a table too busy to lock (users): a writer that
# changes these rows changes the count in the same transaction.
_COUNTED_TABLES = ("notifications",)


@dataclass(frozen=True)
class Recounted:
    rows: dict[str, int]  # counter table: the rows it holds now
    answers_corrected: int  # written flags and rater counts that were wrong
    candidates_rescored: int  # handed-in candidates whose results were computed again
    openings_revised: int  # openings whose scores revision moved on
    exercises_missing: int  # openings left as they were: their exercise is gone


def recount() -> Recounted:
    """Rebuild every rollup and result from the rows it is made of. The caller commits.

    Safe while coachkit runs: on PostgreSQL the tables written here are locked against
    writers first (candidates first, as every hiring writer takes a candidate first),
    so a change still in progress either is in the rows read here or makes its own
    change after this commits; SQLite lets one writer at a time in anyway. Only an
    opening saved with a new number of raters at that moment takes its locks the other
    way round (the opening, then its candidates): PostgreSQL then fails one of the two
    as a deadlock, with nothing half-done, and it can be run again."""
    if db.session.get_bind().dialect.name == "postgresql":
        counters = [rollup.table.__tablename__ for rollup in CounterRollup.declared]
        tables = ", ".join([*_RESULT_TABLES, *counters, *_COUNTED_TABLES])
        db.session.execute(text(f"LOCK TABLE {tables} IN EXCLUSIVE MODE"))
    rescored, missing = _rescore()
    corrected = _recount_answers()
    rows = {rollup.table.__tablename__: _rebuild(rollup) for rollup in CounterRollup.declared}
    openings = db.session.scalars(select(Opening.id)).all()
    scores_changed(openings)  # every cached report is computed again
    rows["users.unread_notifications"] = centre.recount()
    rows["training_practice_records"] = practice.rebuild()
    return Recounted(rows, corrected, rescored, len(openings), missing)


def _rescore() -> tuple[int, int]:
    """Compute every opening's candidates' results again; (candidates, openings skipped)."""
    rescored = missing = 0
    for opening in db.session.scalars(select(Opening).order_by(Opening.id)).all():
        exercise = versions.exercise_or_none(opening)
        if exercise is None:
            missing += 1
        else:
            rescored += results.rescore(opening, exercise)
    return rescored, missing


def _recount_answers() -> int:
    """Set each answer's written flag and rater count again; how many were wrong."""
    stored = select(Answer.id, Answer.value, Answer.written).execution_options(yield_per=1000)
    flipped = [
        {"id": answer_id, "written": not written}
        for answer_id, value, written in db.session.execute(stored)
        if holds_writing(value) != written
    ]
    if flipped:
        db.session.execute(update(Answer), flipped)
    recounted = db.session.execute(
        update(Answer)
        .where(Answer.raters != rater_count())
        .values(raters=rater_count())
        .execution_options(synchronize_session=False)
    )
    return len(flipped) + cast(CursorResult[Any], recounted).rowcount


def _rebuild(rollup: CounterRollup) -> int:
    """Fill the counter table afresh from its source rows; the rows it holds now."""
    db.session.execute(delete(rollup.table))
    columns = list(rollup.rebuild.selected_columns.keys())
    db.session.execute(insert(rollup.table).from_select(columns, rollup.rebuild))
    return db.session.scalar(select(func.count()).select_from(rollup.table)) or 0
