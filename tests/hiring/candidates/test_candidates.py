"""Candidates: adding one, neutral codes, the candidate page, decisions, deleting, and
the candidate list, blind by default."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring.candidates import comparison, decisions, roster
from coachkit.hiring.candidates.roster import CODE_DIGITS, CODE_LETTERS
from coachkit.hiring.models import Candidate, CandidateStatus, Invitation
from tests.conftest import page, signed_in
from tests.hiring.candidates.conftest import CODE, stored
from tests.hiring.conftest import words

# Adding one ------------------------------------------------------------------------


def test_recruiter_adds_a_candidate_with_a_neutral_code(app, people, make_opening):
    opening_id = make_opening()
    client = signed_in(app, people.recruiter)
    response = client.post(
        f"/hiring/openings/{opening_id}/candidates",
        data={"name": "  Ann Lee ", "email": " Ann.Lee@Example.ORG "},
    )
    [(name, email, code)] = stored(app, opening_id)
    assert (name, email) == ("Ann Lee", "ann.lee@example.org")
    assert CODE.match(code)
    with app.app_context():
        candidate_id = db.session.scalar(select(Candidate.id))
    assert response.headers["Location"] == (
        f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    )


def test_the_same_email_twice_in_one_opening_is_refused(app, people, make_opening, make_candidate):
    opening_id = make_opening()
    make_candidate(opening_id, name="Ann Lee", email="ann@example.org")
    client = signed_in(app, people.recruiter)
    response = client.post(
        f"/hiring/openings/{opening_id}/candidates",
        data={"name": "Ann Again", "email": "ANN@example.org"},
    )
    assert response.status_code == 200
    text = page(response)
    assert "This e-mail address is already a candidate for this opening." in text
    assert 'value="Ann Again"' in text
    assert len(stored(app, opening_id)) == 1


def test_the_same_email_may_apply_to_another_opening(app, people, make_opening, make_candidate):
    first, second = make_opening("Care adviser"), make_opening("Shop assistant")
    make_candidate(first, email="ann@example.org")
    client = signed_in(app, people.recruiter)
    client.post(
        f"/hiring/openings/{second}/candidates", data={"name": "Ann", "email": "ann@example.org"}
    )
    assert len(stored(app, second)) == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": " "}, "Enter the candidate's name."),
        ({"name": "x" * 121}, "Keep the name under 121 characters."),
        ({"email": ""}, "Enter the candidate's e-mail address."),
        ({"email": "ann at example"}, "Enter a valid e-mail address, like name@example.com."),
    ],
)
def test_bad_candidate_input_shows_the_error_and_saves_nothing(
    app, people, make_opening, fields, message
):
    opening_id = make_opening()
    data = {"name": "Ann <i>Lee</i>", "email": "ann@example.org", **fields}
    response = signed_in(app, people.recruiter).post(
        f"/hiring/openings/{opening_id}/candidates", data=data
    )
    assert response.status_code == 200
    text = page(response)
    assert message in text
    assert 'aria-invalid="true"' in text
    assert f'value="{data["name"]}"' in text  # what was typed is kept, escaped
    assert f'value="{data["email"]}"' in text
    assert "<i>Lee</i>" not in response.get_data(as_text=True)
    assert stored(app, opening_id) == []


def test_codes_are_unique_and_unambiguous():
    taken = {"AAA-333"}
    codes = {roster.new_code(taken) for _ in range(500)}
    assert len(codes) == 500 and "AAA-333" not in codes
    assert all(CODE.match(code) for code in codes)
    for confusable in "01258BILOSZ":
        assert confusable not in CODE_LETTERS + CODE_DIGITS


def test_a_code_clash_is_retried(monkeypatch):
    picks = iter("AAA333" + "AAA333" + "CCC444")
    monkeypatch.setattr(roster.secrets, "choice", lambda _alphabet: next(picks))
    assert roster.new_code({"AAA-333"}) == "CCC-444"


# The candidate page ----------------------------------------------------------------


def test_candidate_page_shows_identity_link_time_and_scores(
    app, people, make_opening, make_candidate, invite, submitted
):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id, name="Ann Lee", email="ann@example.org")
    invite(candidate_id)
    submitted(candidate_id, quality=1.0)
    with app.app_context():
        candidate = db.session.get(Candidate, candidate_id)
        candidate.seconds_taken = 700
        code = candidate.code
        db.session.commit()
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    text = words(signed_in(app, people.recruiter).get(url))
    for expected in ("Ann Lee", "ann@example.org", code, "Submitted", "11 min 40 s"):
        assert expected in text
    assert "Used: answers handed in" in text
    assert "Times sent 1" in text
    assert "shown to a recruiter to send" in text
    assert "Empathy 5.0" in text  # keyed items answered best: top marks
    assert "Overall" in text
    assert "Shortlist" in text and "Hire" in text


@pytest.mark.parametrize(
    ("seconds", "timed_out", "expected"),
    [
        (700, False, "11 min 40 s"),
        (45, False, "45 s"),
        (3725, False, "1 h 2 min"),
        (1200, True, "20 min 0 s, timed out"),
        (None, True, "timed out"),
        (None, False, ""),
    ],
)
def test_time_taken_reads_naturally(seconds, timed_out, expected):
    assert comparison.time_taken(Candidate(seconds_taken=seconds, timed_out=timed_out)) == expected


# Decisions -------------------------------------------------------------------------


def test_decisions_wait_for_answers(app, people, make_opening, make_candidate, invite):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    invite(candidate_id)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    client = signed_in(app, people.recruiter)
    assert "once the candidate has handed in" in page(client.get(url))
    response = client.post(f"{url}/decision", data={"decision": "hired"}, follow_redirects=True)
    assert "Decide once the candidate has handed in their answers." in page(response)
    with app.app_context():
        assert db.session.get(Candidate, candidate_id).status == CandidateStatus.INVITED


@pytest.mark.parametrize("decision", ["shortlisted", "rejected", "hired"])
def test_recruiter_decides_about_an_answered_candidate(
    app, people, make_opening, make_candidate, submitted, decision
):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    submitted(candidate_id)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    client = signed_in(app, people.recruiter)
    response = client.post(f"{url}/decision", data={"decision": decision})
    assert response.headers["Location"] == url
    with app.app_context():
        candidate = db.session.get(Candidate, candidate_id)
        assert candidate.status == CandidateStatus(decision)
        assert candidate.decided_at is not None
    text = page(client.get(url))
    assert ("Hand over the skill profile" in text) == (decision == "hired")


def test_an_unknown_decision_is_refused(app, people, make_opening, make_candidate, submitted):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    submitted(candidate_id)
    response = signed_in(app, people.recruiter).post(
        f"/hiring/openings/{opening_id}/candidates/{candidate_id}/decision",
        data={"decision": "invited"},
        follow_redirects=True,
    )
    assert "Choose shortlist, reject or hire." in page(response)
    with app.app_context():
        assert db.session.get(Candidate, candidate_id).status == CandidateStatus.SUBMITTED


# Deleting --------------------------------------------------------------------------


def test_delete_needs_confirmation(app, people, make_opening, make_candidate):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    response = signed_in(app, people.recruiter).post(
        f"/hiring/openings/{opening_id}/candidates/{candidate_id}/delete", data={}
    )
    assert response.status_code == 200
    assert "Tick the box to confirm" in page(response)
    with app.app_context():
        assert db.session.get(Candidate, candidate_id) is not None


def test_delete_removes_the_candidate(app, people, make_opening, make_candidate, invite):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    invite(candidate_id)
    client = signed_in(app, people.recruiter)
    response = client.post(
        f"/hiring/openings/{opening_id}/candidates/{candidate_id}/delete", data={"confirm": "y"}
    )
    assert response.headers["Location"] == f"/hiring/openings/{opening_id}/candidates"
    assert "invite link, answers, scores" in page(client.get(response.headers["Location"]))
    with app.app_context():
        assert db.session.get(Candidate, candidate_id) is None
        assert db.session.scalar(select(func.count(Invitation.id))) == 0


# Names for recruiters by default (blindness is for raters) ------------------------


def test_candidate_list_shows_names_unless_codes_are_asked_for(
    app, people, make_opening, make_candidate, invite
):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id, name="Ann Lee", email="ann@example.org")
    invite(candidate_id)
    with app.app_context():
        code = db.session.get(Candidate, candidate_id).code
    client = signed_in(app, people.recruiter)
    blind = page(client.get(f"/hiring/openings/{opening_id}/candidates?names=0"))
    assert code in blind
    assert "Ann Lee" not in blind and "ann@example.org" not in blind
    assert "Raters always score blind" in blind
    named = page(client.get(f"/hiring/openings/{opening_id}/candidates"))
    assert "Ann Lee" in named
    assert "Works until" in named


def test_candidate_list_filters_by_status(app, people, make_opening, make_candidate, invite):
    opening_id = make_opening()
    make_candidate(opening_id, name="Still New")
    invite(make_candidate(opening_id, name="Now Invited"))
    text = page(
        signed_in(app, people.recruiter).get(
            f"/hiring/openings/{opening_id}/candidates?status=invited&names=1"
        )
    )
    assert "Now Invited" in text and "Still New" not in text


def test_candidate_list_runs_the_same_queries_for_few_and_many(
    app, people, make_opening, make_candidate, invite, count_queries
):
    opening_id = make_opening()
    client = signed_in(app, people.recruiter)
    url = f"/hiring/openings/{opening_id}/candidates"

    def grow(count: int) -> int:
        for _ in range(count):
            invite(make_candidate(opening_id))
        return count_queries(lambda: client.get(url))

    assert grow(3) == grow(27)


def test_decided_at_and_activity_move_with_a_decision(app, make_opening, make_candidate, submitted):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    submitted(candidate_id)
    with app.app_context():
        candidate = db.session.get(Candidate, candidate_id)
        before = utcnow()
        decisions.decide(candidate, CandidateStatus.SHORTLISTED)
        assert candidate.decided_at >= before and candidate.last_activity_at >= before
        with pytest.raises(ValueError):
            decisions.decide(candidate, CandidateStatus.SCORED)
        db.session.rollback()
