"""The four partner calls as Greenhouse makes them, over HTTP to coachkit on loopback:
the tests on offer, sending one (a candidate on the opening, invited by e-mail through
the outbox, the same interview for the same request), and its status as the candidate
answers and raters score."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring.greenhouse.models import Interview, ResponseError
from coachkit.hiring.models import Candidate, CandidateStatus, Invitation
from coachkit.notifications.models import OutboxMessage
from tests.conftest import signed_in
from tests.hiring.conftest import rate
from tests.hiring.greenhouse.conftest import send_test_body

CALLBACK = "https://app.greenhouse.io/integrations/testing_partners/take_home_tests/12345"


def test_list_tests_offers_each_open_opening(app, greenhouse, make_opening):
    care = make_opening("Care adviser")
    billing = make_opening("Billing specialist")
    make_opening("Closed role", closed_at=utcnow())
    response = greenhouse.list_tests()
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == [
        {"partner_test_id": str(billing), "partner_test_name": "Billing specialist"},
        {"partner_test_id": str(care), "partner_test_name": "Care adviser"},
    ]


def test_send_test_adds_the_candidate_and_invites_them_through_the_outbox(
    app, greenhouse, make_opening, mailbox, run_pass
):
    opening = make_opening()
    response = greenhouse.send_test(send_test_body(str(opening), CALLBACK))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"partner_interview_id"}
    assert isinstance(body["partner_interview_id"], str)
    with app.app_context():
        interview = db.session.get_one(Interview, int(body["partner_interview_id"]))
        candidate = interview.candidate
        assert (candidate.opening_id, candidate.name, candidate.email) == (
            opening,
            "Harry Potter",
            "hpotter@hogwarts.example",
        )
        assert candidate.status == CandidateStatus.INVITED
        assert interview.callback_url == CALLBACK
        assert interview.greenhouse_profile_url.startswith("https://app.greenhouse.io/people/")
        assert db.session.scalars(select(OutboxMessage.kind)).all() == ["candidate_invite"]
    # The worker e-mails the link, as for a recruiter's invitation.
    assert run_pass().sent == 1
    [message] = mailbox.received
    assert message["To"] == "hpotter@hogwarts.example"
    assert re.search(r"/screening/[A-Za-z0-9_-]{40,}", message.get_content())


def test_the_same_send_test_twice_returns_the_same_interview(app, greenhouse, make_opening):
    opening = make_opening()
    first = greenhouse.send_test(send_test_body(str(opening), CALLBACK)).json()
    again = greenhouse.send_test(
        send_test_body(str(opening), CALLBACK, email="HPotter@Hogwarts.example")
    ).json()
    assert again == first
    with app.app_context():
        assert db.session.scalar(select(func.count(Candidate.id))) == 1
        assert db.session.scalar(select(func.count(Interview.id))) == 1
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1
        assert db.session.scalar(select(Invitation.times_sent)) == 1


def test_the_same_candidate_on_another_test_is_another_interview(app, greenhouse, make_opening):
    care, billing = make_opening("Care adviser"), make_opening("Billing specialist")
    first = greenhouse.send_test(send_test_body(str(care), CALLBACK)).json()
    second = greenhouse.send_test(send_test_body(str(billing), CALLBACK)).json()
    assert first != second
    with app.app_context():
        assert db.session.scalar(select(func.count(Candidate.id))) == 2


def test_a_candidate_a_recruiter_added_already_is_sent_the_test(
    app, greenhouse, make_opening, make_candidate
):
    opening = make_opening()
    candidate_id = make_candidate(opening, name="Harry Potter", email="hpotter@hogwarts.example")
    body = greenhouse.send_test(send_test_body(str(opening), CALLBACK)).json()
    with app.app_context():
        interview = db.session.get_one(Interview, int(body["partner_interview_id"]))
        assert interview.candidate_id == candidate_id
        assert interview.candidate.status == CandidateStatus.INVITED


def test_test_status_follows_the_candidate_to_final_scores(
    app, greenhouse, make_opening, submitted, people
):
    opening = make_opening()
    interview_id = greenhouse.send_test(send_test_body(str(opening), CALLBACK)).json()[
        "partner_interview_id"
    ]
    with app.app_context():
        candidate_id = db.session.get_one(Interview, int(interview_id)).candidate_id
    profile = f"https://coachkit.test/hiring/openings/{opening}/candidates/{candidate_id}"

    invited = greenhouse.test_status(interview_id)
    assert invited.status_code == 200
    assert invited.json() == {
        "partner_status": "incomplete",
        "partner_profile_url": profile,
        "metadata": {"Stage": "Invited"},
    }

    submitted(candidate_id)  # handed in; the written answer waits for two raters
    pending = greenhouse.test_status(interview_id).json()
    assert pending["partner_status"] == "incomplete"
    assert pending["metadata"]["Scores"] == "provisional"
    assert 0 <= pending["partner_score"] <= 100
    assert "Active listening (1-5)" in pending["metadata"]

    for rater in (people.recruiter, people.second_recruiter):
        assert rate(signed_in(app, rater), opening, candidate_id, 5).status_code == 302
    final = greenhouse.test_status(interview_id).json()
    assert final["partner_status"] == "complete"
    assert final["partner_profile_url"] == profile
    assert final["metadata"]["Scores"] == "final"
    assert final["metadata"]["Stage"] == "Scored"
    with app.app_context():
        candidate = db.session.get_one(Candidate, candidate_id)
        overall = candidate.overall
        skills = {result.skill: result.score for result in candidate.skill_results}
    assert final["partner_score"] == round((overall - 1) * 25)
    assert final["metadata"]["Overall (1-5)"] == round(overall, 2)
    assert final["metadata"]["Active listening (1-5)"] == round(skills["active-listening"], 2)
    # Greenhouse shows metadata as a flat object of JavaScript primitives.
    assert all(isinstance(value, str | int | float) for value in final["metadata"].values())


def test_response_error_is_recorded(app, greenhouse):
    response = greenhouse.response_error(
        {
            "api_call": "test_status",
            "errors": ["partner_status is 'complete' but partner_profile url is missing"],
            "partner_test_id": 12345,
            "partner_test_name": "Personality Test",
            "partner_interview_id": 299506,
            "candidate_email": "hpotter@hogwarts.example",
        }
    )
    assert response.status_code == 200
    assert response.json() == {"status": 200}
    with app.app_context():
        [report] = db.session.scalars(select(ResponseError)).all()
        assert report.api_call == "test_status"
        assert report.errors == ["partner_status is 'complete' but partner_profile url is missing"]
        assert (report.partner_test_id, report.partner_interview_id) == ("12345", "299506")
        assert report.partner_test_name == "Personality Test"
