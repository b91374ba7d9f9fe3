"""Deciding with the evidence in view: the candidate's answers (only once rating is
complete, never on the rating pages), notes for deciders, decisions with reasons, and
shortlisting or rejecting from the comparison."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring.candidates.answers import duration, seconds_per_item
from coachkit.hiring.models import Candidate, CandidateNote, CandidateStatus
from tests.conftest import page, signed_in
from tests.hiring.conftest import SKILLS, rate_url, statements_for

REPLY = "I am sorry the calls keep dropping; I will book the engineer myself today."


@pytest.fixture
def handed_in(app, people, make_opening, make_candidate, submitted):
    """An opening and a candidate who handed in a written reply (not yet rated)."""
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id, name="Ann Lee", email="ann@example.org")
    submitted(candidate_id, text=REPLY)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    return SimpleNamespace(opening_id=opening_id, candidate_id=candidate_id, url=url)


def rate_fully(give_scores, people, candidate_id: int) -> None:
    give_scores(candidate_id, people.recruiter.id, dict.fromkeys(SKILLS, 4))
    give_scores(candidate_id, people.second_recruiter.id, dict.fromkeys(SKILLS, 2))


# The answers in view ---------------------------------------------------------------


def test_answers_appear_only_once_rating_is_complete(app, people, handed_in, give_scores):
    client = signed_in(app, people.recruiter)
    before = page(client.get(handed_in.url))
    assert REPLY not in before
    assert "once rating is complete" in before
    give_scores(handed_in.candidate_id, people.recruiter.id, dict.fromkeys(SKILLS, 4))
    still = page(client.get(handed_in.url))  # one rater of two: still blind
    assert REPLY not in still and "Riley Recruiter" not in words_of(still, "Answers")
    give_scores(handed_in.candidate_id, people.second_recruiter.id, dict.fromkeys(SKILLS, 2))
    after = page(signed_in(app, people.admin).get(handed_in.url))
    assert REPLY in after
    answers = words_of(after, "Answers")
    assert "Riley Recruiter 4 4 4" in answers and "Sasha Second 2 2 2" in answers
    assert "Best Best" in answers and "Worst Worst" in answers  # pick, then key
    assert "Credit against the key: 100%" in answers
    assert "Situation 6" in answers


def words_of(text: str, heading: str) -> str:
    """The visible words of the page's section titled `heading`."""
    import re

    start = text.index(f">{heading}</h2>")
    end = text.find("</section>", start)
    return " ".join(re.sub(r"<[^>]+>", " ", text[start:end]).split())


def test_the_rating_page_shows_neither_the_answer_view_nor_notes(
    app, people, handed_in, give_scores
):
    client = signed_in(app, people.recruiter)
    client.post(f"{handed_in.url}/notes", data={"text": "Strong phone manner in the call."})
    give_scores(handed_in.candidate_id, people.second_recruiter.id, dict.fromkeys(SKILLS, 2))
    rating = page(client.get(rate_url(handed_in.opening_id, handed_in.candidate_id)))
    assert "Strong phone manner" not in rating
    assert "Ann Lee" not in rating and "Sasha Second" not in rating
    assert "Credit against the key" not in rating
    # The second rater has scored; the candidate page still waits for the first.
    assert REPLY not in page(client.get(handed_in.url))


@pytest.mark.parametrize("role", ["manager", "employee"])
def test_people_who_do_not_decide_see_no_answers_or_notes(
    app, people, handed_in, give_scores, role
):
    rate_fully(give_scores, people, handed_in.candidate_id)
    client = signed_in(app, getattr(people, role))
    assert client.get(handed_in.url).status_code in (403, 404)
    posted = client.post(f"{handed_in.url}/notes", data={"text": "Sneaky"})
    assert posted.status_code in (403, 404)
    with app.app_context():
        assert db.session.scalars(select(CandidateNote)).all() == []


def test_the_candidate_page_reads_the_same_for_few_and_many_raters_and_notes(
    app, people, handed_in, give_scores, make_user, make_opening, make_candidate, submitted
):
    rate_fully(give_scores, people, handed_in.candidate_id)
    client = signed_in(app, people.recruiter)
    client.post(f"{handed_in.url}/notes", data={"text": "One note."})
    few = statements_for(app, client, handed_in.url)
    from coachkit.auth.models import Role

    for number in range(4):
        extra = make_user(Role.RECRUITER, name=f"Extra Rater{number}")
        give_scores(handed_in.candidate_id, extra.id, dict.fromkeys(SKILLS, 3))
        client.post(f"{handed_in.url}/notes", data={"text": f"Note {number}."})
    client.post(f"{handed_in.url}/decision", data={"decision": "shortlisted", "reason": "Good."})
    assert statements_for(app, client, handed_in.url) == few
    assert "Extra Rater3" in page(client.get(handed_in.url))


def test_time_per_item_runs_from_save_to_save():
    start = utcnow()
    answers = [
        SimpleNamespace(item_id="b", updated_at=start + timedelta(seconds=95)),
        SimpleNamespace(item_id="a", updated_at=start + timedelta(seconds=30)),
        SimpleNamespace(item_id="c", updated_at=None),
    ]
    assert seconds_per_item(start, answers) == {"a": 30, "b": 65}
    assert seconds_per_item(None, answers) == {"b": 65}
    # Saves after the hand-in (a repaired or imported record) give no figure.
    assert seconds_per_item(start, answers, start) == {"a": 30}
    assert (duration(3725), duration(65), duration(9), duration(None)) == (
        "1 h 02 min",
        "1 min 05 s",
        "9 s",
        "",
    )


def test_the_answer_view_shows_time_per_item(app, people, handed_in, give_scores):
    rate_fully(give_scores, people, handed_in.candidate_id)
    answers = words_of(page(signed_in(app, people.recruiter).get(handed_in.url)), "Answers")
    assert "Situation 1 judgement ·" in answers and " s " in answers


# Notes -----------------------------------------------------------------------------


def test_recruiters_and_admins_write_and_read_notes_with_author_and_time(app, people, handed_in):
    client = signed_in(app, people.recruiter)
    response = client.post(f"{handed_in.url}/notes", data={"text": "Call back <b>Monday</b>."})
    assert response.status_code == 302 and response.headers["Location"] == handed_in.url
    shown = signed_in(app, people.admin).get(handed_in.url).get_data(as_text=True)
    notes = words_of(shown, "Notes and decisions")
    assert "Riley Recruiter" in notes and "UTC" in notes
    assert "Call back &lt;b&gt;Monday&lt;/b&gt;." in shown  # plain text, escaped


@pytest.mark.parametrize(
    ("text", "error"),
    [("   ", "Write the note first."), ("x" * 5001, "Keep the note under 5,001 characters.")],
)
def test_a_bad_note_is_refused_with_what_was_typed_kept(app, people, handed_in, text, error):
    response = signed_in(app, people.recruiter).post(f"{handed_in.url}/notes", data={"text": text})
    assert response.status_code == 200
    shown = page(response)
    assert error in shown and 'aria-invalid="true"' in shown
    if text.strip():
        assert text in shown
    with app.app_context():
        assert db.session.scalars(select(CandidateNote)).all() == []


# Decisions and their reasons -------------------------------------------------------


def test_a_decision_keeps_its_reason_on_the_candidate_and_in_the_history(
    app, people, handed_in, give_scores
):
    client = signed_in(app, people.recruiter)
    client.post(
        f"{handed_in.url}/decision",
        data={"decision": "shortlisted", "reason": "Owned the problem."},
    )
    client.post(f"{handed_in.url}/decision", data={"decision": "rejected", "reason": ""})
    with app.app_context():
        candidate = db.session.get_one(Candidate, handed_in.candidate_id)
        assert candidate.status == CandidateStatus.REJECTED
        assert candidate.decision_reason is None
        history = db.session.execute(
            select(CandidateNote.decision, CandidateNote.text, CandidateNote.author_id).order_by(
                CandidateNote.id
            )
        ).all()
    assert [tuple(row) for row in history] == [
        (CandidateStatus.SHORTLISTED, "Owned the problem.", people.recruiter.id),
        (CandidateStatus.REJECTED, "", people.recruiter.id),
    ]
    notes = words_of(page(client.get(handed_in.url)), "Notes and decisions")
    assert "Shortlisted Owned the problem." in notes and "Rejected No reason given." in notes


def test_a_reason_too_long_is_refused_and_kept(app, people, handed_in):
    reason = "because " * 300
    response = signed_in(app, people.recruiter).post(
        f"{handed_in.url}/decision", data={"decision": "hired", "reason": reason}
    )
    assert response.status_code == 200
    assert "Keep the reason under 2,001 characters." in page(response)
    assert reason.strip() in page(response)
    with app.app_context():
        assert db.session.get_one(Candidate, handed_in.candidate_id).status == (
            CandidateStatus.SUBMITTED
        )


def test_hire_is_the_primary_button_only_once_scores_are_complete(
    app, people, handed_in, give_scores
):
    client = signed_in(app, people.recruiter)
    primary = 'value="hired" class="button button-primary"'
    before = page(client.get(handed_in.url))
    assert primary not in before and 'value="hired" class="button button-secondary"' in before
    assert "Scores are not complete yet" in before
    rate_fully(give_scores, people, handed_in.candidate_id)
    assert primary in page(client.get(handed_in.url))


# Deciding from the comparison ------------------------------------------------------


def test_the_comparison_shortlists_and_rejects_and_comes_back(app, people, handed_in):
    client = signed_in(app, people.recruiter)
    compare = f"/hiring/openings/{handed_in.opening_id}/compare?sort=time&dir=asc"
    shown = page(client.get(compare))
    assert f'action="{handed_in.url}/decision"' in shown and 'name="next"' in shown
    response = client.post(
        f"{handed_in.url}/decision", data={"decision": "shortlisted", "next": compare}
    )
    assert response.status_code == 302 and response.headers["Location"] == compare
    assert "Shortlisted T" in page(client.get(compare))
    client.post(f"{handed_in.url}/decision", data={"decision": "rejected", "next": compare})
    with app.app_context():
        assert db.session.get_one(Candidate, handed_in.candidate_id).status == (
            CandidateStatus.REJECTED
        )


def test_the_way_back_stays_on_the_site(app, people, handed_in):
    response = signed_in(app, people.recruiter).post(
        f"{handed_in.url}/decision",
        data={"decision": "shortlisted", "next": "https://evil.example/compare"},
    )
    assert response.headers["Location"] == handed_in.url


def test_the_comparison_offers_no_decision_before_hand_in(
    app, people, make_opening, make_candidate
):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    shown = page(signed_in(app, people.recruiter).get(f"/hiring/openings/{opening_id}/compare"))
    assert f"/candidates/{candidate_id}/decision" not in shown
