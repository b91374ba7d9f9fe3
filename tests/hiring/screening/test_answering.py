"""The answering domain directly: the clock, saving, handing in, self-identification."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from coachkit.content.library import library
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring import self_identification
from coachkit.hiring.models import Answer, Candidate, CandidateStatus, Invitation
from coachkit.hiring.screening import answering
from coachkit.hiring.self_identification import PREFER_NOT
from tests.hiring.conftest import EXERCISE, OPEN_ITEM


@pytest.fixture
def candidate_id(make_opening, make_candidate) -> int:
    return make_candidate(make_opening(time_limit_minutes=10))


def test_the_clock_starts_once_and_allows_a_grace(app, candidate_id):
    with app.app_context():
        candidate = db.session.get(Candidate, candidate_id)
        start = utcnow() - timedelta(minutes=30)
        answering.begin(candidate, 10, now=start)
        answering.begin(candidate, 10, now=start + timedelta(minutes=5))
        assert candidate.started_at == start
        assert candidate.deadline_at == start + timedelta(minutes=10)
        assert candidate.status == CandidateStatus.STARTED
        deadline = candidate.deadline_at
        assert not answering.time_up(candidate, deadline + answering.GRACE)
        assert answering.time_up(candidate, deadline + answering.GRACE + timedelta(seconds=1))
        assert answering.seconds_left(candidate, deadline - timedelta(seconds=90)) == 90
        assert answering.seconds_left(candidate, deadline + timedelta(hours=1)) == 0


def test_no_limit_never_times_out(app, make_opening, make_candidate):
    with app.app_context():
        candidate = db.session.get(Candidate, make_candidate(make_opening()))
        answering.begin(candidate, None)
        assert candidate.deadline_at is None
        assert not answering.time_up(candidate, utcnow() + timedelta(days=30))
        assert answering.seconds_left(candidate) is None


def test_starting_keeps_the_link_working_for_the_attempt(app, candidate_id, invite):
    invite(candidate_id)
    with app.app_context():
        candidate = db.session.get(Candidate, candidate_id)
        invitation = candidate.invitation
        invitation.expires_at = utcnow() + timedelta(minutes=2)
        answering.begin(candidate, 10)
        assert invitation.expires_at == candidate.deadline_at + answering.GRACE
        later = utcnow() + timedelta(days=9)
        invitation.expires_at = later
        answering.begin(candidate, 10)  # consenting again never brings it forward
        assert invitation.expires_at == later


def test_starting_without_a_limit_keeps_the_link_a_while(app, make_opening, make_candidate, invite):
    candidate_id = make_candidate(make_opening())
    invite(candidate_id)
    with app.app_context():
        candidate = db.session.get(Candidate, candidate_id)
        candidate.invitation.expires_at = utcnow() + timedelta(minutes=2)
        now = utcnow()
        answering.begin(candidate, None, now=now)
        assert candidate.invitation.expires_at == now + answering.UNTIMED_LINK_MINIMUM


def test_an_attempt_lapses_when_its_time_or_link_runs_out_unless_revoked(app, candidate_id, invite):
    invite(candidate_id)
    with app.app_context():
        candidate = db.session.get(Candidate, candidate_id)
        invitation = candidate.invitation
        now = utcnow()
        assert not answering.lapsed(candidate, invitation, now + timedelta(days=30))  # not started
        answering.begin(candidate, 10, now=now)
        assert not answering.lapsed(candidate, invitation, now + timedelta(minutes=10))
        assert answering.lapsed(candidate, invitation, now + timedelta(minutes=11))  # time up
        candidate.deadline_at = None
        assert answering.lapsed(candidate, invitation, invitation.expires_at)  # link expired
        invitation.revoked_at = now
        assert not answering.lapsed(candidate, invitation, invitation.expires_at)


def test_saving_twice_updates_one_answer(app, candidate_id):
    with app.app_context():
        exercise = library().exercises[EXERCISE]
        candidate = db.session.get(Candidate, candidate_id)
        answering.begin(candidate, 10)
        item = exercise.items[0]
        first = answering.save(
            candidate, item, {"best": item.best_index, "worst": item.worst_index}
        )
        second = answering.save(
            candidate, item, {"best": item.worst_index, "worst": item.best_index}
        )
        assert first is second
        assert second.credit == 0.0
        assert answering.answers_of(candidate) == {item.id: second}


def test_a_judgement_that_does_not_fit_is_refused(app):
    with app.app_context():
        exercise = library().exercises[EXERCISE]
        best_worst, rate = exercise.items[0], exercise.items[1]
        with pytest.raises(ValueError):
            answering.credit_for(best_worst, {"best": 1, "worst": 1})
        with pytest.raises(ValueError):
            answering.credit_for(rate, {"ratings": [1, 2]})
        assert answering.credit_for(exercise.items[-1], {"text": "Hi"}) is None


def test_handing_in_is_once_and_keeps_a_decision(app, candidate_id):
    with app.app_context():
        exercise = library().exercises[EXERCISE]
        candidate = db.session.get(Candidate, candidate_id)
        answering.begin(candidate, 10, now=utcnow() - timedelta(minutes=4))
        candidate.status = CandidateStatus.REJECTED  # decided early by the recruiter
        assert answering.hand_in(candidate, exercise) is True
        first = candidate.submitted_at
        assert candidate.status == CandidateStatus.REJECTED
        assert 235 <= candidate.seconds_taken <= 245
        assert answering.hand_in(candidate, exercise, timed_out=True) is False
        assert candidate.submitted_at == first and candidate.timed_out is False


def test_self_identification_refuses_made_up_answers(app, candidate_id):
    with app.app_context():
        candidate = db.session.get(Candidate, candidate_id)
        with pytest.raises(ValueError):
            self_identification.record(candidate, {"sex": "Robot"})
        with pytest.raises(ValueError):
            self_identification.record(candidate, {"religion": PREFER_NOT})
        assert not self_identification.given(candidate)
        self_identification.record(candidate, {"age_band": PREFER_NOT})
        assert self_identification.given(candidate)


def test_attempts_that_ran_out_while_the_candidate_was_away_are_handed_in_daily(
    app, make_opening, make_candidate, invite
):
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
