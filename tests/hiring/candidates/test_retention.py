"""Retention: deleting a candidate removes everything recorded about them, and the
automatic purge deletes candidates nobody has touched for HIRING_RETENTION_DAYS,
leaving hand-overs (employee records by then) in place."""

from __future__ import annotations

from sqlalchemy import func, select

from coachkit.extensions import db
from coachkit.hiring.candidates import deletion
from coachkit.hiring.models import (
    Answer,
    Candidate,
    Handover,
    Invitation,
    RaterScore,
    SelfIdentification,
    SkillResult,
)
from coachkit.notifications import outbox
from coachkit.notifications.kinds import Kind
from coachkit.notifications.models import OutboxMessage
from coachkit.notifications.outbox import About
from tests.conftest import signed_in
from tests.hiring.conftest import OPEN_ITEM, back_date

RECORDS = (Answer, RaterScore, SkillResult, Invitation, SelfIdentification)


def counts(app, candidate_id: int) -> dict[str, int]:
    """Rows about one candidate in each of their dependent tables."""
    with app.app_context():
        return {
            model.__name__: db.session.scalar(
                select(func.count()).select_from(model).where(model.candidate_id == candidate_id)
            )
            for model in RECORDS
        }


def full_record(app, people, opening_id, make_candidate, invite, submitted) -> int:
    """A candidate with an invite, answers, a rater's score, skill results and a
    self-identification."""
    candidate_id = make_candidate(opening_id)
    invite(candidate_id)
    submitted(candidate_id)
    with app.app_context():
        db.session.add_all(
            [
                RaterScore(
                    candidate_id=candidate_id,
                    opening_id=opening_id,
                    item_id=OPEN_ITEM,
                    skill="ownership",
                    rater_id=people.recruiter.id,
                    rating=4,
                ),
                SelfIdentification(
                    candidate_id=candidate_id, opening_id=opening_id, age_band="25 to 34"
                ),
            ]
        )
        db.session.commit()
    return candidate_id


def test_deleting_a_candidate_removes_every_record_about_them(
    app, people, make_opening, make_candidate, invite, submitted
):
    opening_id = make_opening()
    doomed = full_record(app, people, opening_id, make_candidate, invite, submitted)
    kept = full_record(app, people, opening_id, make_candidate, invite, submitted)
    assert all(counts(app, doomed).values())
    response = signed_in(app, people.recruiter).post(
        f"/hiring/openings/{opening_id}/candidates/{doomed}/delete", data={"confirm": "y"}
    )
    assert response.status_code == 302
    assert counts(app, doomed) == {model.__name__: 0 for model in RECORDS}
    assert all(counts(app, kept).values())
    with app.app_context():
        assert db.session.get(Candidate, doomed) is None


def test_purge_deletes_only_candidates_inactive_past_the_period(
    app, people, make_opening, make_candidate, invite, submitted
):
    opening_id = make_opening()
    old = full_record(app, people, opening_id, make_candidate, invite, submitted)
    recent = make_candidate(opening_id)
    back_date(app, old, 400)
    back_date(app, recent, 300)
    with app.app_context():
        for candidate_id in (old, recent):  # an e-mail to each waits in the outbox
            outbox.email(
                f"c{candidate_id}@example.org",
                Kind.CANDIDATE_INVITE,
                "Your exercise",
                "Hello",
                about=About("candidate", candidate_id),
            )
        db.session.commit()
        assert deletion.purge(365) == 1
        db.session.commit()
        assert db.session.get(Candidate, old) is None
        assert db.session.get(Candidate, recent) is not None
        waiting = db.session.scalars(select(OutboxMessage.object_id)).all()
        assert waiting == [recent]  # nothing goes out to the deleted candidate
    assert counts(app, old) == {model.__name__: 0 for model in RECORDS}


def test_purge_keeps_handovers(app, people, make_opening, make_candidate, invite, submitted):
    opening_id = make_opening()
    hired = full_record(app, people, opening_id, make_candidate, invite, submitted)
    with app.app_context():
        db.session.add(
            Handover(
                team_id=people.team_id,
                candidate_id=hired,
                name="Hired Person",
                email="hired@example.org",
                opening_title="Care adviser",
                exercise_slug="an-afternoon-on-the-help-line",
                skills={"empathy": 4.5},
            )
        )
        db.session.commit()
    back_date(app, hired, 500)
    with app.app_context():
        assert deletion.purge(30) == 1
        db.session.commit()
        handover = db.session.scalar(select(Handover))
        assert handover.candidate_id is None
        assert (handover.name, handover.skills) == ("Hired Person", {"empathy": 4.5})


def test_purge_command_reports_how_many(app, make_opening, make_candidate):
    opening_id = make_opening()
    for days in (10, 40, 50):
        back_date(app, make_candidate(opening_id), days)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["hiring", "purge", "--days", "30"])
    assert result.exit_code == 0, result.output
    assert "Deleted 2 candidates inactive for 30 days or more." in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Candidate.id))) == 1


def test_purge_command_refuses_a_nonsense_period(app):
    result = app.test_cli_runner().invoke(args=["hiring", "purge", "--days", "0"])
    assert result.exit_code != 0
    assert "--days" in result.output


def test_prune_also_purges_with_the_configured_period(app, make_opening, make_candidate):
    app.config["HIRING_RETENTION_DAYS"] = 90
    opening_id = make_opening()
    old, young = make_candidate(opening_id), make_candidate(opening_id)
    back_date(app, old, 91)
    back_date(app, young, 89)
    result = app.test_cli_runner().invoke(args=["prune"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 candidate past the hiring retention period." in result.output
    with app.app_context():
        assert db.session.get(Candidate, old) is None
        assert db.session.get(Candidate, young) is not None
