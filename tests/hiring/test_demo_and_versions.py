"""The demo's hiring data, and openings pinned to the exercise version they began with."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, select

from coachkit import create_app
from coachkit.content.library import library
from coachkit.extensions import db
from coachkit.hiring import versions
from coachkit.hiring.demo import OPENING, TRY_IT
from coachkit.hiring.models import (
    Candidate,
    CandidateStatus,
    ExerciseVersion,
    Handover,
    Opening,
    RaterScore,
    SelfIdentification,
)
from tests.conftest import base_config

CONTENT = Path(__file__).resolve().parents[2] / "content"


def _statuses(app) -> dict[CandidateStatus, int]:
    with app.app_context():
        rows = db.session.execute(
            select(Candidate.status, func.count())
            .join(Opening)
            .where(Opening.title == OPENING)
            .group_by(Candidate.status)
        )
        return dict(rows.all())


def test_demo_hires_for_an_opening_with_candidates_at_every_stage(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    statuses = _statuses(app)
    for status in CandidateStatus:
        assert statuses.get(status, 0) >= 1, status
    with app.app_context():
        raters = db.session.scalar(select(func.count(func.distinct(RaterScore.rater_id))))
        assert raters == 2
        assert db.session.scalar(select(func.count(SelfIdentification.id))) >= 10
        # The demo's one hire, and last year's intake for the evidence reports (purged).
        linked = select(func.count(Handover.id)).where(Handover.candidate_id.is_not(None))
        assert db.session.scalar(linked) == 1
        scored = db.session.scalars(
            select(Candidate).where(Candidate.status == CandidateStatus.SCORED)
        ).all()
        assert all(c.overall is not None and c.seconds_taken for c in scored)


def test_demo_prints_a_working_candidate_link_and_stays_idempotent(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo"])
    before = _statuses(app)
    result = runner.invoke(args=["demo"])
    assert _statuses(app) == before
    line = next(line for line in result.output.splitlines() if "/screening/" in line)
    token = line.rsplit("/", 1)[1]
    response = app.test_client().get(f"/screening/{token}")
    assert response.status_code == 200
    with app.app_context():
        candidate = db.session.scalar(select(Candidate).where(Candidate.name == TRY_IT))
        assert token not in str(candidate.invitation.token_hash)


def test_an_opening_keeps_the_exercise_version_it_was_created_with(app, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    edited_app = create_app(base_config(app.config["DATABASE_URL"], CONTENT_DIR=str(content)))
    slug = "an-afternoon-on-the-help-line"
    with edited_app.app_context():
        exercise = library().exercises[slug]
        opening = Opening(
            title="Pinned", exercise_slug=slug, contact_name="R", contact_email="r@example.org"
        )
        versions.pin(opening, exercise)
        db.session.add(opening)
        db.session.commit()
        opening_id, original = opening.id, exercise.version
    path = content / "exercises" / f"{slug}.md"
    path.write_text(path.read_text().replace("Mr Okafor", "Mr Mensah"))
    later_app = create_app(base_config(app.config["DATABASE_URL"], CONTENT_DIR=str(content)))
    with later_app.app_context():
        assert library().exercises[slug].version != original
        opening = db.session.get(Opening, opening_id)
        pinned = versions.exercise_of(opening)
        assert pinned.version == original
        assert "Mr Okafor" in pinned.items[0].situation_html
        assert db.session.scalar(select(func.count(ExerciseVersion.id))) == 1
    for extra in (edited_app, later_app):
        with extra.app_context():
            db.session.remove()
            db.engine.dispose()
