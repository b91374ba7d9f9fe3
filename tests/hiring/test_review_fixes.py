"""Fixes from the hiring review: rating follows the opening's pinned exercise, raters
saving at once, raters-required changes, undoing a hire, provisional scores."""

from __future__ import annotations

from sqlalchemy import func, select

from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring import scoring, versions
from coachkit.hiring.models import (
    Answer,
    Candidate,
    CandidateStatus,
    ExerciseVersion,
    Handover,
    Opening,
    SkillResult,
)
from tests.conftest import page, signed_in
from tests.hiring.conftest import OPEN_ITEM, opening_form

SKILLS = ("active-listening", "ownership", "candid-communication")
OLD_ITEM = "evenings-keep-dropping-before"


def rate(client, opening_id: int, candidate_id: int, rating: int, item: str = OPEN_ITEM):
    return client.post(
        f"/hiring/rating/openings/{opening_id}/candidates/{candidate_id}/items/{item}",
        data={f"rate-{skill}": str(rating) for skill in SKILLS},
    )


def status_of(app, candidate_id: int) -> CandidateStatus:
    with app.app_context():
        return db.session.get(Candidate, candidate_id).status


def test_answers_to_an_edited_exercise_are_rated_against_the_pinned_version(
    app, people, make_opening, make_candidate
):
    """The opening was created before the file changed (its open item had another id):
    the answer is still in the queue, rateable against the old item, and scored."""
    opening_id = make_opening()
    with app.app_context():
        current = versions.exercise_of(db.session.get(Opening, opening_id))
        source = current.path.read_text().replace(f"## open {OPEN_ITEM}", f"## open {OLD_ITEM}")
        db.session.add(
            ExerciseVersion(slug=current.slug, version="old0000001", title="Old", source=source)
        )
        db.session.get(Opening, opening_id).exercise_version = "old0000001"
        db.session.commit()
    candidate_id = make_candidate(opening_id)
    with app.app_context():
        candidate = db.session.get(Candidate, candidate_id)
        db.session.add(Answer(candidate_id=candidate_id, item_id=OLD_ITEM, value={"text": "Hi"}))
        candidate.status, candidate.submitted_at = CandidateStatus.SUBMITTED, utcnow()
        db.session.commit()
    client = signed_in(app, people.recruiter)
    assert f"items/{OLD_ITEM}" in page(client.get(f"/hiring/rating/openings/{opening_id}"))
    assert rate(client, opening_id, candidate_id, 4, OLD_ITEM).status_code == 302
    second = signed_in(app, people.second_recruiter)
    assert rate(second, opening_id, candidate_id, 2, OLD_ITEM).status_code == 302
    assert status_of(app, candidate_id) == CandidateStatus.SCORED
    with app.app_context():
        results = dict(
            db.session.execute(
                select(SkillResult.skill, SkillResult.score).where(
                    SkillResult.candidate_id == candidate_id
                )
            ).all()
        )
        assert "ownership" in results


def _edit_raters(client, opening_id: int, raters: int):
    form = opening_form(raters_required=str(raters))
    return client.post(f"/hiring/openings/{opening_id}/edit", data=form)


def test_changing_raters_required_moves_candidates_between_submitted_and_scored(
    app, people, make_opening, make_candidate, submitted
):
    opening_id = make_opening(raters_required=2)
    candidate_id = make_candidate(opening_id)
    submitted(candidate_id)
    client = signed_in(app, people.recruiter)
    rate(client, opening_id, candidate_id, 4)
    assert status_of(app, candidate_id) == CandidateStatus.SUBMITTED
    response = _edit_raters(client, opening_id, 1)
    assert response.status_code == 302, page(response)
    assert status_of(app, candidate_id) == CandidateStatus.SCORED
    _edit_raters(client, opening_id, 3)
    assert status_of(app, candidate_id) == CandidateStatus.SUBMITTED
    with app.app_context():
        assert db.session.get(Candidate, candidate_id).fully_rated is False


def test_undoing_a_hire_withdraws_the_hand_over(
    app, people, make_opening, make_candidate, submitted
):
    opening_id = make_opening(raters_required=1)
    candidate_id = make_candidate(opening_id)
    submitted(candidate_id)
    client = signed_in(app, people.recruiter)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    assert client.post(f"{url}/decision", data={"decision": "hired"}).status_code == 302
    response = client.post(
        f"/handovers/candidates/{candidate_id}/new", data={"team": str(people.team_id), "note": ""}
    )
    assert response.status_code in (200, 302)
    with app.app_context():
        assert db.session.scalar(select(func.count(Handover.id))) == 1
    client.post(f"{url}/decision", data={"decision": "rejected"})
    assert status_of(app, candidate_id) == CandidateStatus.REJECTED
    with app.app_context():
        assert db.session.scalar(select(func.count(Handover.id))) == 0
    assert "hand-over to their team was withdrawn" in page(client.get(url))


def test_scores_waiting_for_raters_are_marked_provisional(
    app, people, make_opening, make_candidate, submitted
):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    submitted(candidate_id)
    client = signed_in(app, people.recruiter)
    client.post(
        f"/hiring/openings/{opening_id}/candidates/{candidate_id}/decision",
        data={"decision": "shortlisted"},
    )
    compare = page(client.get(f"/hiring/openings/{opening_id}/compare"))
    assert 'class="provisional"' in compare
    candidate = page(client.get(f"/hiring/openings/{opening_id}/candidates/{candidate_id}"))
    assert "Provisional: written answers are still waiting" in candidate
    for reviewer in (people.recruiter, people.second_recruiter):
        rate(signed_in(app, reviewer), opening_id, candidate_id, 3)
    assert status_of(app, candidate_id) == CandidateStatus.SHORTLISTED  # decision kept
    assert 'class="provisional"' not in page(client.get(f"/hiring/openings/{opening_id}/compare"))


def test_names_that_are_everyday_words_are_blanked_only_when_capitalised():
    text = "I will hope this helps, and you may call me. Thanks, Will Hope"
    assert scoring.redact(text, "Will Hope", "will@example.org") == (
        "I will hope this helps, and you may call me. Thanks, [name] [name]"
    )
    assert scoring.redact("quixwell here", "Zelda Quixwell", "z@example.org") == "[name] here"


def test_kappa_is_flagged_only_where_its_words_stop_being_reassuring():
    from coachkit.hiring.agreement import interpret_kappa
    from coachkit.hiring.statistics import ALPHA, KAPPA, Figure

    def flagged(method: str, value: float) -> bool:
        return Figure(method, value, "", None, 10, 30, 2, 0).needs_calibration

    assert interpret_kappa(0.624) == "substantial agreement"
    assert not flagged(KAPPA, 0.624)
    assert flagged(KAPPA, 0.60)  # moderate
    assert flagged(ALPHA, 0.624)  # Krippendorff: below 0.667


def test_fairness_report_leaves_out_groups_too_small_to_stay_anonymous(
    app, make_opening, make_candidate
):
    from coachkit.hiring.fairness import fairness_report
    from coachkit.hiring.models import SelfIdentification

    opening_id = make_opening()
    groups = ["White"] * 6 + ["Black, African or Caribbean"]
    ids = [make_candidate(opening_id) for _group in groups]
    with app.app_context():
        for number, (candidate_id, group) in enumerate(zip(ids, groups, strict=True)):
            candidate = db.session.get(Candidate, candidate_id)
            candidate.status, candidate.submitted_at = CandidateStatus.SUBMITTED, utcnow()
            db.session.add(
                SelfIdentification(
                    candidate_id=candidate.id, opening_id=opening_id, ethnicity=group
                )
            )
            if number == 0:
                candidate.status = CandidateStatus.SHORTLISTED
        db.session.commit()
        report = fairness_report(db.session.get(Opening, opening_id))
    ethnicity = next(c for c in report.categories if c.category.field == "ethnicity")
    assert [group.group for group in ethnicity.impact.groups] == ["White"]
    assert ethnicity.hidden == 1


def test_a_hand_over_finds_the_new_starters_account_created_afterwards(
    app, people, make_opening, make_candidate, submitted, make_user
):
    from coachkit.auth.models import Role

    opening_id = make_opening(raters_required=1)
    candidate_id = make_candidate(opening_id, name="Nia Starter", email="nia@example.org")
    submitted(candidate_id)
    recruiter = signed_in(app, people.recruiter)
    recruiter.post(
        f"/hiring/openings/{opening_id}/candidates/{candidate_id}/decision",
        data={"decision": "hired"},
    )
    recruiter.post(
        f"/handovers/candidates/{candidate_id}/new",
        data={"team": str(people.team_id), "note": ""},
    )
    manager = signed_in(app, people.manager)
    assert "Not yet" in page(manager.get("/handovers/"))
    with app.app_context():
        handover_id = db.session.scalar(select(Handover.id))
    assert "No coachkit account with this e-mail yet" in page(
        manager.get(f"/handovers/{handover_id}")
    )
    make_user(Role.EMPLOYEE, name="Nia Starter", email="NIA@example.org")
    assert "Not yet" not in page(manager.get("/handovers/"))
    assert "No coachkit account with this e-mail yet" not in page(
        manager.get(f"/handovers/{handover_id}")
    )


def test_a_save_over_someone_elses_newer_edit_is_refused_and_keeps_the_typing(
    app, people, make_opening
):
    import re

    opening_id = make_opening()
    first, second = signed_in(app, people.recruiter), signed_in(app, people.second_recruiter)
    form = page(first.get(f"/hiring/openings/{opening_id}/edit"))
    version = re.search(r'name="version" type="hidden" value="(\d+)"', form).group(1)
    assert _edit(second, opening_id, title="Senior care adviser").status_code == 302
    response = _edit(first, opening_id, title="Care adviser (nights)", version=version)
    text = page(response)
    assert response.status_code == 200
    assert "Someone else saved changes to this opening" in text
    assert 'value="Care adviser (nights)"' in text
    with app.app_context():
        assert db.session.get(Opening, opening_id).title == "Senior care adviser"
    newer = re.search(r'name="version" type="hidden" value="(\d+)"', text).group(1)
    assert _edit(first, opening_id, title="Care adviser (nights)", version=newer).status_code == 302
    with app.app_context():
        assert db.session.get(Opening, opening_id).title == "Care adviser (nights)"


def _edit(client, opening_id: int, *, title: str, version: str | None = None):
    data = opening_form(title=title)
    if version is not None:
        data["version"] = version
    return client.post(f"/hiring/openings/{opening_id}/edit", data=data)


def test_attempts_that_ran_out_while_the_candidate_was_away_are_handed_in_daily(
    app, make_opening, make_candidate, invite
):
    from datetime import timedelta

    from coachkit.hiring.models import Invitation

    opening_id = make_opening(time_limit_minutes=20)
    away, revoked, busy = (make_candidate(opening_id) for _ in range(3))
    for candidate_id in (away, revoked, busy):
        invite(candidate_id)
    long_ago = utcnow() - timedelta(hours=2)
    with app.app_context():
        for candidate_id in (away, revoked, busy):
            candidate = db.session.get(Candidate, candidate_id)
            started = long_ago if candidate_id != busy else utcnow()
            candidate.started_at = candidate.consented_at = started
            candidate.deadline_at = started + timedelta(minutes=20)
            candidate.status = CandidateStatus.STARTED
        db.session.add(Answer(candidate_id=away, item_id=OPEN_ITEM, value={"text": "Saved"}))
        db.session.scalar(
            select(Invitation).where(Invitation.candidate_id == revoked)
        ).revoked_at = utcnow()
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["prune"])
    assert "Handed in 1 candidate attempt that ran out." in result.output
    with app.app_context():
        handed_in = db.session.get(Candidate, away)
        assert handed_in.status == CandidateStatus.SUBMITTED and handed_in.timed_out
        assert handed_in.seconds_taken == 20 * 60  # counted to the deadline, not to now
        assert db.session.get(Candidate, revoked).submitted_at is None
        assert db.session.get(Candidate, busy).submitted_at is None
    again = app.test_cli_runner().invoke(args=["hiring", "hand-in"])
    assert "Handed in 0 attempts" in again.output
