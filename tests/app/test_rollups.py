"""Rollups (`coachkit.rollups`): kept by the models' own flush events, whoever changes
the rows, and rebuilt by `flask recount` from the rows when something went behind
coachkit's back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Table, func, select, text

from coachkit.auth.models import User
from coachkit.database import CounterRollup
from coachkit.extensions import db
from coachkit.hiring.models import (
    Answer,
    Candidate,
    CandidateStatus,
    Opening,
    SkillResult,
    StatusCount,
)
from coachkit.hiring.reports import statistics
from coachkit.training.models import ChoiceTally, PracticeRecord, SkillTotal
from tests.conftest import rollups_kept_and_counted

ROOT = Path(__file__).resolve().parents[2]


def derived(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every value `flask recount` rebuilds, but the scores revisions, table by table."""
    with app.app_context():
        tables: list[Table] = [r.table.__table__ for r in CounterRollup.declared]
        found = {
            table.name: sorted(map(tuple, db.session.execute(select(table)))) for table in tables
        }
        for name, statement in {
            "answers": select(Answer.id, Answer.written, Answer.raters),
            "candidates": select(
                Candidate.id, Candidate.overall, Candidate.fully_rated, Candidate.status
            ),
            "skill results": select(SkillResult.candidate_id, SkillResult.skill, SkillResult.score),
            "unread notifications": select(User.id, User.unread_notifications),
            "practice records": select(*PracticeRecord.__table__.c),
        }.items():
            found[name] = sorted(map(tuple, db.session.execute(statement)))
        db.session.remove()
    return found


def revisions(app: Flask) -> dict[int, int]:
    with app.app_context():
        found = dict(db.session.execute(select(Opening.id, Opening.scores_revision)).tuples().all())
        db.session.remove()
    return found


# Changes written past coachkit, one for each value it keeps: every count, flag, score
# and status wrong, a few rows missing and one made up.
BY_HAND = [
    "UPDATE hiring_status_counts SET candidates = candidates + 5",
    "DELETE FROM training_choice_tallies WHERE choice_index = 0",
    "UPDATE training_choice_tallies SET taken = taken + 2, outcome_total = 0",
    "UPDATE training_skill_totals SET points = points - 1, attempts = attempts * 3",
    "UPDATE training_skill_totals SET rating_tenths = 0, rated = rated + 1",
    "UPDATE hiring_answers SET written = NOT written, raters = raters + 3",
    "UPDATE hiring_candidates SET overall = 0.5, fully_rated = NOT fully_rated",
    "UPDATE hiring_candidates SET status = 'submitted' WHERE status = 'scored'",
    "UPDATE hiring_skill_results SET score = 9",
    "DELETE FROM hiring_skill_results WHERE skill = 'ownership'",
    "UPDATE users SET unread_notifications = unread_notifications + 3",
    "UPDATE coaching_coach_skill_totals SET ratings = ratings + 1, squares = 0",
    "UPDATE training_practice_records SET first_completed_on = '2000-01-01', result_1 = 1",
    "DELETE FROM training_practice_records WHERE result_2 IS NOT NULL",
]


def test_recount_repairs_every_value_kept_from_other_rows(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    kept = derived(app)
    assert all(kept.values()), "the demo fills every table recount rebuilds"
    assert any(unread for _user, unread in kept["unread notifications"])
    assert "scored" in {row[3] for row in kept["candidates"]}
    with app.app_context():
        for statement in BY_HAND:
            db.session.execute(text(statement))
        counted = set(db.session.execute(select(StatusCount.opening_id, StatusCount.status)))
        made_up = next(
            (opening_id, status)
            for opening_id in db.session.scalars(select(Opening.id))
            for status in CandidateStatus
            if (opening_id, status) not in counted
        )
        db.session.add(StatusCount(opening_id=made_up[0], status=made_up[1], candidates=3))
        someone = db.session.scalar(select(func.min(Answer.candidate_id)))
        db.session.add(SkillResult(candidate_id=someone, skill="no-such-skill", score=2))
        db.session.commit()
    wrong = derived(app)
    assert [name for name, rows in kept.items() if wrong[name] == rows] == []
    result = runner.invoke(args=["recount"])
    assert result.exit_code == 0, result.output
    assert "training_skill_totals:" in result.output
    assert derived(app) == kept


def test_recount_changes_nothing_where_nothing_went_wrong(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    kept, before = derived(app), revisions(app)
    result = runner.invoke(args=["recount"])
    assert "hiring_answers: 0 written flags or rater counts corrected." in result.output
    assert derived(app) == kept
    assert revisions(app) == {opening: revision + 1 for opening, revision in before.items()}


def test_recount_moves_every_scores_revision_on_so_reports_are_computed_afresh(app):
    """Scores changed by hand leave the revision behind, so a worker keeps showing the
    report it computed before; after `recount` it computes the report again, and the
    candidates' results follow the scores too."""
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    with app.app_context():
        opening = db.session.scalar(select(Opening).order_by(Opening.id))
        opening_id, stale = opening.id, statistics.agreement_report(opening)
        db.session.execute(
            text(
                "UPDATE hiring_rater_scores SET rating = 6 - rating "
                "WHERE rater_id = (SELECT min(rater_id) FROM hiring_rater_scores)"
            )
        )
        db.session.commit()
        assert statistics.agreement_report(db.session.get_one(Opening, opening_id)) is stale
        db.session.remove()
    results = derived(app)["candidates"]
    assert runner.invoke(args=["recount"]).exit_code == 0
    with app.app_context():
        fresh = statistics.agreement_report(db.session.get_one(Opening, opening_id))
        assert fresh.overall != stale.overall
        db.session.remove()
    assert derived(app)["candidates"] != results


CHANGES_WITH_ONLY_THE_MODELS = """
import json, sys
from datetime import UTC, datetime
from sqlalchemy import create_engine
from sqlalchemy import select
from sqlalchemy.orm import Session
from coachkit.auth.models import Role, User
from coachkit.hiring.models import Answer, Candidate, CandidateStatus, Opening, RaterScore
from coachkit.notifications.kinds import Kind
from coachkit.notifications.models import Notification
from coachkit.training.models import Attempt, AttemptStep, ModuleVersion, SkillScore

with Session(create_engine(sys.argv[1])) as session:
    rater = User(email="rater@example.org", name="R", role=Role.RECRUITER)
    opening = Opening(title="T", exercise_slug="x", contact_name="R", contact_email="r@e.org")
    session.add_all([rater, opening])
    session.flush()
    stays, goes = (
        Candidate(opening_id=opening.id, code=c, name=c, email=f"{c}@e.org") for c in "AB"
    )
    session.add_all([stays, goes])
    session.flush()
    session.add_all([
        Answer(candidate_id=stays.id, item_id="open", value={"text": "Hello"}),
        Answer(candidate_id=stays.id, item_id="other", value={"text": "Hi"}),
        RaterScore(candidate_id=stays.id, opening_id=opening.id, item_id="open",
                   skill="s", rater_id=rater.id, rating=4),
    ])
    attempt = Attempt(user_id=rater.id, module_slug="m", current_node="a",
                      module_version=ModuleVersion(slug="m", version="1", title="M", source=""))
    session.add(attempt)
    session.flush()
    session.add_all([
        AttemptStep(attempt_id=attempt.id, module_slug="m", position=0, node_id="a",
                    choice_index=1, outcome=2),
        AttemptStep(attempt_id=attempt.id, module_slug="m", position=1, node_id="b",
                    reflection="Listen."),
        SkillScore(attempt_id=attempt.id, user_id=rater.id, module_slug="m", skill="s", points=3),
        *(Notification(recipient_id=rater.id, kind=Kind.ANSWERS_WAITING, subject=s, path="/")
          for s in ("read", "deleted", "stays")),
    ])
    session.commit()
    # After a commit every row is expired: the changes below replace values never loaded.
    stays.status = CandidateStatus.SUBMITTED
    session.delete(goes)
    session.scalars(select(Answer).where(Answer.item_id == "other")).one().value = {}
    session.scalars(select(SkillScore)).one().points = 5
    read, deleted = (
        session.scalars(select(Notification).where(Notification.subject == s)).one()
        for s in ("read", "deleted")
    )
    read.read_at = datetime.now(UTC)
    session.delete(deleted)
    session.commit()
print(json.dumps(sorted(name for name in sys.modules if name.startswith("coachkit"))))
"""


def test_rollups_follow_changes_made_with_nothing_but_the_models_imported(app):
    """No other module needs importing: a script with the models alone keeps them."""
    script = subprocess.run(
        [sys.executable, "-c", CHANGES_WITH_ONLY_THE_MODELS, app.config["DATABASE_URL"]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    imported = set(json.loads(script.stdout))
    assert "coachkit.hiring.models" in imported and "coachkit.training.models" in imported
    packages = {
        "coachkit",
        "coachkit.auth",
        "coachkit.teams",
        "coachkit.hiring",
        "coachkit.training",
        "coachkit.notifications",
    }
    others = {name for name in imported if not name.endswith(".models") and ".models." not in name}
    # The kinds of notification are an enumeration the notification model stores.
    allowed = {
        *packages,
        "coachkit.database",
        "coachkit.extensions",
        "coachkit.notifications.kinds",
        "coachkit.training.practice",  # the practice records' flush events
    }
    assert others <= allowed, others
    with app.app_context():
        counts = db.session.execute(select(StatusCount.status, StatusCount.candidates)).all()
        assert {(s.value, n) for s, n in counts if n} == {("submitted", 1)}
        written = dict(db.session.execute(select(Answer.item_id, Answer.written)).tuples().all())
        assert written == {"open": True, "other": False}
        assert db.session.scalar(select(Answer.raters).where(Answer.item_id == "open")) == 1
        # One score written, one candidate deleted (their scores go with them).
        assert db.session.scalar(select(Opening.scores_revision)) == 2
        tally = db.session.execute(select(ChoiceTally.taken, ChoiceTally.outcome_total)).all()
        assert [tuple(row) for row in tally] == [(1, 2)]
        total = db.session.execute(select(SkillTotal.points, SkillTotal.attempts)).all()
        assert [tuple(row) for row in total] == [(5, 1)]
        # Three notifications: one read, one deleted, one left unread.
        assert db.session.scalar(select(User.unread_notifications)) == 1
        db.session.remove()
    for name, (kept, counted) in rollups_kept_and_counted(app).items():
        assert kept == counted, name
