"""The candidate's side: the invite link as a capability, answering one situation per
page with autosave and resume, the time limit, handing in, and the voluntary questions.

Sections: helpers; token security; welcome and consent; items, saving and resuming;
bad input; autosave; time limit; review and submit; thank-you and self-identification;
headers, logs and pages.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from coachkit.config import CONTENT_DIR
from coachkit.content.exercises import Exercise, Item
from coachkit.content.library import load
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring import invitations
from coachkit.hiring.models import (
    Answer,
    Candidate,
    CandidateStatus,
    Invitation,
    SelfIdentification,
    SkillResult,
)
from coachkit.hiring.screening.answering import GRACE, MAX_TEXT_CHARACTERS
from coachkit.hiring.self_identification import PREFER_NOT
from tests.conftest import page
from tests.hiring.conftest import EXERCISE, OPEN_ITEM, keyed_answer

# Positions (1-based) of each kind of item in the help-line exercise.
BEST_WORST, RATE, OPEN = 1, 2, 6
COUNT = 6
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')

# ---------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Link:
    opening_id: int
    candidate_id: int
    token: str

    @property
    def url(self) -> str:
        return f"/screening/{self.token}"

    def item(self, position: int) -> str:
        return f"{self.url}/items/{position}"

    def autosave(self, position: int) -> str:
        return f"{self.url}/items/{position}/autosave"


@pytest.fixture
def make_link(make_opening, make_candidate, invite) -> Callable[..., Link]:
    """A new opening (with `opening_fields`) and one invited candidate in it."""

    def make(opening_id: int | None = None, **opening_fields: Any) -> Link:
        if opening_id is None:
            opening_id = make_opening(**opening_fields)
        candidate_id = make_candidate(opening_id)
        return Link(opening_id, candidate_id, invite(candidate_id))

    return make


@pytest.fixture
def link(make_link) -> Link:
    return make_link()


def the_exercise() -> Exercise:
    return load(Path(CONTENT_DIR)).exercises[EXERCISE]


def exercise_item(position: int) -> Item:
    return the_exercise().items[position - 1]


def form_for(item: Item, quality: float = 1.0, text: str = "I am sorry. Let me fix it.") -> dict:
    """What a browser posts for a complete answer to `item`."""
    if not item.keyed:
        return {"text": text}
    value, _credit = keyed_answer(item, quality)
    if item.answer == "best-worst":
        return {"best": str(value["best"]), "worst": str(value["worst"])}
    return {f"rating_{i}": str(r) for i, r in enumerate(value["ratings"])}


def start(client: FlaskClient, link: Link) -> Any:
    response = client.post(link.url, data={"consent": "y"})
    assert response.status_code == 302
    return response


def started(client: FlaskClient, app: Flask, link: Link) -> FlaskClient:
    with app.app_context():
        start(client, link)
    return client


def candidate(app: Flask, candidate_id: int) -> Candidate:
    """A detached snapshot of the candidate's row."""
    with app.app_context():
        row = db.session.get(Candidate, candidate_id)
        db.session.expunge(row)
        return row


def answers(app: Flask, candidate_id: int) -> dict[str, tuple[dict, float | None]]:
    with app.app_context():
        rows = db.session.scalars(select(Answer).where(Answer.candidate_id == candidate_id))
        return {row.item_id: (row.value, row.credit) for row in rows}


def update(app: Flask, candidate_id: int, **fields: Any) -> None:
    with app.app_context():
        row = db.session.get(Candidate, candidate_id)
        for name, value in fields.items():
            setattr(row, name, value)
        db.session.commit()


def answer_everything(client: FlaskClient, link: Link, quality: float = 1.0) -> None:
    for position in range(1, COUNT + 1):
        response = client.post(link.item(position), data=form_for(exercise_item(position), quality))
        assert response.status_code == 302, page(response)


def checked(html_text: str, name: str) -> list[str]:
    """The values of the checked radios named `name` in a page."""
    pattern = re.compile(r"<input[^>]*>")
    values = []
    for tag in pattern.findall(html_text):
        if f'name="{name}"' in tag and "checked" in tag:
            values.append(re.search(r'value="([^"]*)"', tag).group(1))
    return values


# ---------------------------------------------------------------- token security


def test_tokens_are_long_random_and_url_safe(app, make_opening, make_candidate, invite):
    opening_id = make_opening()
    tokens = [invite(make_candidate(opening_id)) for _ in range(40)]
    assert len(set(tokens)) == len(tokens)
    for token in tokens:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        assert len(raw) * 8 >= 128
    # No two tokens share a long prefix, as they would from a weak generator.
    assert len({token[:8] for token in tokens}) == len(tokens)


def test_only_the_hash_is_stored_in_any_row(app, client, link):
    started(client, app, link)
    answer_everything(client, link)
    client.post(f"{link.url}/submit")
    with app.app_context():
        invitation = db.session.scalar(
            select(Invitation).where(Invitation.candidate_id == link.candidate_id)
        )
        assert invitation.token_hash == hashlib.sha256(link.token.encode()).hexdigest()
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(select(table)):
                for value in row:
                    assert link.token not in str(value), table.name


@pytest.mark.parametrize(
    "guess",
    [
        lambda token: secrets.token_urlsafe(32),
        lambda token: token[:20],
        lambda token: token[:-1],
        lambda token: token + "A",
        lambda token: token.swapcase(),
        lambda token: hashlib.sha256(token.encode()).hexdigest(),
        lambda token: "x" * 500,
    ],
    ids=["random", "prefix", "one-short", "one-long", "swapped-case", "the-hash", "huge"],
)
def test_guessed_tokens_find_nothing(app, client, link, guess):
    wrong = guess(link.token)
    for method, path in [
        ("GET", f"/screening/{wrong}"),
        ("POST", f"/screening/{wrong}"),
        ("GET", f"/screening/{wrong}/items/1"),
        ("POST", f"/screening/{wrong}/items/1/autosave"),
        ("GET", f"/screening/{wrong}/review"),
        ("POST", f"/screening/{wrong}/submit"),
        ("GET", f"/screening/{wrong}/done"),
        ("POST", f"/screening/{wrong}/about-you"),
    ]:
        response = client.open(path, method=method, data={"consent": "y"})
        assert response.status_code == 404, (method, path)
        assert "Care adviser" not in page(response)
    assert candidate(app, link.candidate_id).started_at is None


def expire(app: Flask, ago: timedelta = timedelta(minutes=1)) -> None:
    """Make the (only) invitation's link expire `ago`."""
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        invitation.expires_at = utcnow() - ago
        db.session.commit()


def test_expired_link_is_gone_and_names_whom_to_ask(app, client, link, people):
    # Never started: there is nothing to hand in (a started attempt is handed in instead).
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        invitation.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    for response in (
        client.get(link.url),
        client.get(link.item(1)),
        client.post(link.item(1), data=form_for(exercise_item(1))),
        client.post(link.autosave(1), data=form_for(exercise_item(1))),
        client.post(f"{link.url}/submit"),
        client.post(link.url, data={"consent": "y"}),
    ):
        assert response.status_code == 410
    response = client.get(link.url)
    text = page(response)
    assert "no longer works" in text
    assert people.recruiter.name in text and people.recruiter.email in text
    assert "ask for a new link" in text
    assert answers(app, link.candidate_id) == {}
    row = candidate(app, link.candidate_id)
    assert row.submitted_at is None and row.started_at is None


def test_revoked_link_is_gone(app, client, link, people):
    with app.app_context():
        invitations.revoke(db.session.get(Candidate, link.candidate_id))
        db.session.commit()
    response = client.get(link.url)
    assert response.status_code == 410
    assert "withdrawn" in page(response)
    assert people.recruiter.email in page(response)
    assert client.post(link.url, data={"consent": "y"}).status_code == 410
    assert candidate(app, link.candidate_id).started_at is None


def test_resending_replaces_the_token_and_extends_expiry(app, client, make_link, invite):
    link = make_link()
    with app.app_context():
        first_expiry = db.session.scalar(select(Invitation.expires_at))
    new_token = invite(link.candidate_id, days=30)
    assert new_token != link.token
    with app.app_context():
        assert db.session.scalar(select(Invitation.expires_at)) > first_expiry
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == 1
    old = client.get(link.url)  # the old link says a newer one was sent (see test_dead_ends)
    assert old.status_code == 410 and "replaced by a newer one" in page(old)
    assert client.get(f"/screening/{new_token}").status_code == 200


def test_resent_link_keeps_saved_answers(app, client, link, invite):
    started(client, app, link)
    client.post(link.item(1), data=form_for(exercise_item(1)))
    new = Link(link.opening_id, link.candidate_id, invite(link.candidate_id))
    response = client.get(new.item(1))
    assert checked(page(response), "best") == [form_for(exercise_item(1))["best"]]


def test_after_submission_the_link_accepts_nothing(app, client, link):
    started(client, app, link)
    answer_everything(client, link)
    assert client.post(f"{link.url}/submit").status_code == 302
    before = candidate(app, link.candidate_id)
    saved = answers(app, link.candidate_id)
    changed = form_for(exercise_item(1), quality=0.0)
    for response in (
        client.post(link.url, data={"consent": "y"}),
        client.post(link.item(1), data=changed),
    ):
        assert response.status_code == 410
        assert "You have already handed in your answers" in page(response)
    for response in (
        client.post(link.autosave(1), data=changed),
        client.post(link.autosave(OPEN), data={"text": "Changed my mind"}),
    ):
        assert response.status_code == 410
        assert response.json == {"reason": "This link no longer accepts answers."}
    # A second "Hand in" (double click, another tab) lands on the thank-you page.
    again = client.post(f"{link.url}/submit")
    assert again.status_code == 302 and again.headers["Location"].endswith("/done")
    after = candidate(app, link.candidate_id)
    assert answers(app, link.candidate_id) == saved
    assert (after.submitted_at, after.seconds_taken) == (before.submitted_at, before.seconds_taken)
    for path in (link.url, link.item(1), f"{link.url}/review"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].endswith("/done")


def test_one_candidate_cannot_read_or_change_another(app, make_opening, make_link):
    opening_id = make_opening()
    a, b = make_link(opening_id), make_link(opening_id)
    client_a, client_b = started(app.test_client(), app, a), started(app.test_client(), app, b)
    secret = "Alpha's private reply about the router"
    client_a.post(a.item(OPEN), data={"text": secret})
    client_a.post(a.item(1), data=form_for(exercise_item(1)))
    # B's pages show only B's (empty) answers.
    assert secret not in page(client_b.get(b.item(OPEN)))
    assert checked(page(client_b.get(b.item(1))), "best") == []
    # Extra fields naming A are ignored: forms bind only what they show.
    spoof = {"text": "B writes", "candidate_id": str(a.candidate_id), "item_id": "x"}
    assert client_b.post(b.autosave(OPEN), data=spoof).status_code == 204
    assert answers(app, a.candidate_id)[OPEN_ITEM][0] == {"text": secret}
    assert answers(app, b.candidate_id)[OPEN_ITEM][0] == {"text": "B writes"}
    with app.app_context():
        a_name = db.session.get(Candidate, a.candidate_id).name
    for path in (b.url, b.item(1), f"{b.url}/review"):
        assert a_name not in page(client_b.get(path))


# ---------------------------------------------------------------- welcome and consent


def test_welcome_page_explains_the_exercise(app, client, make_link, people):
    link = make_link(title="Weekend care adviser", time_limit_minutes=20)
    response = client.get(link.url)
    assert response.status_code == 200
    text = page(response)
    exercise = the_exercise()
    with app.app_context():
        expires = db.session.scalar(select(Invitation.expires_at))
    for expected in (
        "Weekend care adviser",
        exercise.title,
        exercise.summary,
        exercise.setting,
        f"About {exercise.minutes} minutes",
        "You have 20 minutes.",
        "keeps running if you leave",
        "your link keeps working until your time is up",
        f"{expires.day} {expires.strftime('%B %Y at %H:%M')} UTC",  # local time with JS
        "(in 14 days)",
        "your answers and how long you took",
        "without your name",
        f"after {app.config['HIRING_RETENTION_DAYS']} days",
        people.recruiter.email,
        "I have read this and agree",
    ):
        assert expected in text, expected
    assert "<strong>Brightline</strong>" in response.get_data(as_text=True)  # intro HTML
    assert text.count("<h1") == 1


def test_starting_needs_consent(app, client, link):
    response = client.post(link.url, data={})
    assert response.status_code == 200
    assert "Tick the box to say you agree" in page(response)
    row = candidate(app, link.candidate_id)
    assert (row.consented_at, row.started_at, row.status) == (None, None, CandidateStatus.INVITED)
    assert client.get(link.item(1)).headers["Location"].endswith(link.url)


def test_consent_starts_the_clock_once(app, client, make_link):
    link = make_link(time_limit_minutes=15)
    response = start(client, link)
    assert response.headers["Location"].endswith(link.item(1))
    first = candidate(app, link.candidate_id)
    assert first.status == CandidateStatus.STARTED
    assert first.consented_at is not None and first.started_at is not None
    assert first.deadline_at == first.started_at + timedelta(minutes=15)
    update(app, link.candidate_id, last_position=3)
    response = client.post(link.url, data={"consent": "y"})
    assert response.headers["Location"].endswith(link.item(3))
    again = candidate(app, link.candidate_id)
    assert (again.started_at, again.deadline_at) == (first.started_at, first.deadline_at)


def test_starting_late_keeps_the_link_working_until_the_time_is_up(app, client, make_link):
    link = make_link(time_limit_minutes=30)
    expire(app, ago=-timedelta(minutes=5))  # five minutes of link left
    start(client, link)
    with app.app_context():
        expires = db.session.scalar(select(Invitation.expires_at))
    row = candidate(app, link.candidate_id)
    assert expires >= row.deadline_at + GRACE
    assert "Link works until" in page(client.get(link.url))
    assert client.get(link.item(2)).status_code == 200


def test_starting_late_without_a_limit_keeps_the_link_a_day(app, client, make_link):
    link = make_link()
    expire(app, ago=-timedelta(minutes=5))
    start(client, link)
    with app.app_context():
        expires = db.session.scalar(select(Invitation.expires_at))
    assert expires >= candidate(app, link.candidate_id).started_at + timedelta(days=1)
    assert "keeps working for at least 24 hours" in page(client.get(link.url))


# ---------------------------------------------------------------- items, saving, resuming


def test_one_situation_per_page(app, client, link):
    started(client, app, link)
    exercise = the_exercise()
    response = client.get(link.item(1))
    text = page(response)
    assert "Situation 1 of 6" in text
    assert exercise.items[0].responses[0].text in text
    assert exercise.items[1].responses[0].text not in text
    assert "Most effective" in text and "Least effective" in text
    assert "Save and continue" in text and ">Back<" not in text
    last = page(client.get(link.item(COUNT)))
    assert "Save and review" in last and ">Back<" in last
    assert exercise.items[-1].prompt in last
    rate = page(client.get(link.item(RATE)))
    assert "1 Very ineffective" in rate and "5 Very effective" in rate
    for outside in (0, COUNT + 1, 2**31):
        assert client.get(link.item(outside)).status_code == 404


def test_saving_moves_on_and_back(app, client, link):
    started(client, app, link)
    response = client.post(link.item(1), data=form_for(exercise_item(1)))
    assert response.headers["Location"].endswith(link.item(2))
    response = client.post(link.item(2), data={**form_for(exercise_item(2)), "action": "back"})
    assert response.headers["Location"].endswith(link.item(1))
    saved = answers(app, link.candidate_id)
    assert set(saved) == {exercise_item(1).id, exercise_item(2).id}
    assert saved[exercise_item(2).id][1] == 1.0  # keyed ratings earn full credit
    response = client.post(link.item(COUNT), data={"text": "Thanks for waiting."})
    assert response.headers["Location"].endswith("/review")


@pytest.mark.parametrize(
    ("position", "half"),
    [
        (BEST_WORST, {"best": "1"}),
        (BEST_WORST, {"best": "1", "worst": "1"}),
        (RATE, {"rating_0": "4"}),
    ],
    ids=["best-only", "same-twice", "one-rating"],
)
def test_back_sets_half_a_judgement_aside(app, client, link, position, half):
    started(client, app, link)
    response = client.post(link.item(position), data={**half, "action": "back"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(link.item(max(position - 1, 1)))
    assert answers(app, link.candidate_id) == {}
    text = page(client.get(response.headers["Location"]))
    assert f"Your answer to situation {position} was not finished" in text
    assert "earlier answer" not in text


def test_back_keeps_the_earlier_complete_answer(app, client, link):
    started(client, app, link)
    client.post(link.item(RATE), data=form_for(exercise_item(RATE)))
    before = answers(app, link.candidate_id)
    response = client.post(link.item(RATE), data={"rating_0": "1", "action": "back"})
    assert response.headers["Location"].endswith(link.item(RATE - 1))
    assert answers(app, link.candidate_id) == before
    assert "Your earlier answer to it is kept" in page(client.get(link.item(RATE - 1)))
    assert candidate(app, link.candidate_id).last_position == RATE - 1


def test_back_saves_an_open_draft_over_the_word_limit(app, client, link):
    started(client, app, link)
    draft = " ".join(["word"] * 160)
    response = client.post(link.item(OPEN), data={"text": draft, "action": "back"})
    assert response.headers["Location"].endswith(link.item(OPEN - 1))
    assert answers(app, link.candidate_id)[OPEN_ITEM][0] == {"text": draft}
    text = page(client.get(link.item(OPEN)))
    assert draft in text and "160 of 150 words" in text
    # Moving on still enforces the limit.
    assert client.post(link.item(OPEN), data={"text": draft}).status_code == 200


def test_back_with_a_reply_too_long_to_store_stays_and_keeps_it(app, client, link):
    started(client, app, link)
    huge = "a" * (MAX_TEXT_CHARACTERS + 1)
    response = client.post(link.item(OPEN), data={"text": huge, "action": "back"})
    assert response.status_code == 200
    text = page(response)
    assert "far too long to save" in text and huge in text
    assert answers(app, link.candidate_id) == {}


def test_an_item_can_be_left_blank_for_later(app, client, link):
    started(client, app, link)
    for position in (BEST_WORST, RATE, OPEN):
        response = client.post(link.item(position), data={})
        assert response.status_code == 302
    saved = answers(app, link.candidate_id)
    assert exercise_item(BEST_WORST).id not in saved and exercise_item(RATE).id not in saved
    assert saved[OPEN_ITEM] == ({"text": ""}, None)


def test_leaving_and_coming_back_resumes_with_answers_filled_in(app, link):
    first_visit = started(app.test_client(), app, link)
    for position in (1, 2, 3):
        first_visit.post(link.item(position), data=form_for(exercise_item(position)))
    first_visit.post(link.autosave(OPEN), data={"text": "Half a reply"})
    later = app.test_client()  # another browser, no cookies
    welcome = page(later.get(link.url))
    assert "Continue where you left off" in welcome
    assert f'href="{link.item(4)}"' in welcome
    assert checked(page(later.get(link.item(1))), "best") == [form_for(exercise_item(1))["best"]]
    rated = page(later.get(link.item(RATE)))
    expected = form_for(exercise_item(RATE))
    for name, value in expected.items():
        assert checked(rated, name) == [value]
    assert "Half a reply" in page(later.get(link.item(OPEN)))


def test_saving_records_activity_and_position(app, client, link):
    started(client, app, link)
    update(app, link.candidate_id, last_activity_at=utcnow() - timedelta(days=3))
    client.post(link.item(2), data=form_for(exercise_item(2)))
    row = candidate(app, link.candidate_id)
    assert row.last_position == 3
    assert utcnow() - row.last_activity_at < timedelta(minutes=1)


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"best": "0", "worst": "0"}, "cannot be both the most and the least effective"),
        ({"best": "0"}, "Choose the least effective response too"),
        ({"worst": "3"}, "Choose the most effective response too"),
        ({"best": "0", "worst": "99"}, "Choose one of the responses listed."),
        ({"best": "zero", "worst": "1"}, "could not coerce"),
    ],
    ids=["same-twice", "no-worst", "no-best", "unknown-response", "not-a-number"],
)
def test_best_worst_bad_input(app, client, link, data, message):
    started(client, app, link)
    response = client.post(link.item(BEST_WORST), data=data)
    assert response.status_code == 200
    text = page(response)
    assert message.lower() in text.lower()
    assert "Please correct" in text
    assert answers(app, link.candidate_id) == {}
    if data.get("best") == "0":
        assert checked(text, "best") == ["0"]  # what they picked is kept


def test_rate_bad_input_keeps_the_ratings_given(app, client, link):
    started(client, app, link)
    response = client.post(link.item(RATE), data={"rating_0": "4", "rating_1": "2"})
    text = page(response)
    assert response.status_code == 200
    assert text.count("Rate this response too") == len(exercise_item(RATE).responses) - 2
    assert checked(text, "rating_0") == ["4"] and checked(text, "rating_1") == ["2"]
    assert answers(app, link.candidate_id) == {}
    response = client.post(link.item(RATE), data={f"rating_{i}": "7" for i in range(5)})
    assert "Choose a rating from 1 to 5" in page(response)
    assert answers(app, link.candidate_id) == {}


def test_open_reply_over_the_word_limit_is_refused_and_kept(app, client, link):
    started(client, app, link)
    too_long = " ".join(["word"] * 151) + " <script>alert(1)</script>"
    response = client.post(link.item(OPEN), data={"text": too_long})
    assert response.status_code == 200
    text = page(response)
    assert "Your reply has 152 words. Please shorten it to 150 words or fewer." in text
    assert too_long in text  # kept, escaped
    assert "<script>alert(1)</script>" not in response.get_data(as_text=True)
    assert answers(app, link.candidate_id) == {}


# ---------------------------------------------------------------- autosave


def test_autosave_saves_and_never_duplicates(app, client, link):
    started(client, app, link)
    for text in ("Hello", "Hello there", "Hello there, I am sorry"):
        assert client.post(link.autosave(OPEN), data={"text": text}).status_code == 204
    assert client.post(link.autosave(1), data=form_for(exercise_item(1))).status_code == 204
    assert client.post(link.autosave(1), data=form_for(exercise_item(1), 0.0)).status_code == 204
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Answer)) == 2
    saved = answers(app, link.candidate_id)
    assert saved[OPEN_ITEM] == ({"text": "Hello there, I am sorry"}, None)
    assert saved[exercise_item(1).id][1] == 0.0  # the later, worse answer replaced it


def test_autosave_refuses_incomplete_judgements(app, client, link):
    started(client, app, link)
    response = client.post(link.autosave(BEST_WORST), data={"best": "1", "worst": "1"})
    assert response.status_code == 422
    assert response.json["saved"] is False
    assert "cannot be both" in response.json["reason"]
    response = client.post(link.autosave(RATE), data={"rating_0": "3"})
    assert response.status_code == 422
    assert answers(app, link.candidate_id) == {}


def test_autosave_keeps_an_over_long_draft_and_says_so(app, client, link):
    started(client, app, link)
    draft = " ".join(["word"] * 160)
    response = client.post(link.autosave(OPEN), data={"text": draft})
    assert response.status_code == 200  # saved, with a warning
    assert response.json == {"saved": True, "reason": "160 words is over the limit of 150."}
    assert answers(app, link.candidate_id)[OPEN_ITEM][0] == {"text": draft}
    # Moving on still enforces the limit.
    assert client.post(link.item(OPEN), data={"text": draft}).status_code == 200


def test_autosave_before_starting_or_outside_the_items(app, client, link):
    assert client.post(link.autosave(1), data=form_for(exercise_item(1))).status_code == 409
    started(client, app, link)
    assert client.post(link.autosave(COUNT + 1), data={}).status_code == 404
    assert answers(app, link.candidate_id) == {}


def test_autosave_works_with_csrf_on(app_factory, make_link):
    app = app_factory(WTF_CSRF_ENABLED=True)
    link = make_link()
    client = app.test_client()
    welcome = page(client.get(link.url))
    token = CSRF_FIELD.search(welcome).group(1)
    client.post(link.url, data={"consent": "y", "csrf_token": token})
    form_page = client.get(link.item(OPEN)).get_data(as_text=True)
    csrf = CSRF_FIELD.search(form_page).group(1)
    assert client.post(link.autosave(OPEN), data={"text": "No token"}).status_code == 400
    assert client.post(link.item(OPEN), data={"text": "No token"}).status_code == 400
    response = client.post(
        link.autosave(OPEN), data={"text": "With token"}, headers={"X-CSRFToken": csrf}
    )
    assert response.status_code == 204
    assert answers(app, link.candidate_id)[OPEN_ITEM][0] == {"text": "With token"}


# ---------------------------------------------------------------- time limit


def test_time_left_is_shown_when_there_is_a_limit(app, client, make_link):
    limited = make_link(time_limit_minutes=12)
    started(client, app, limited)
    text = page(client.get(limited.item(1)))
    seconds = int(re.search(r'data-seconds-left="(\d+)"', text).group(1))
    assert 11 * 60 < seconds <= 12 * 60
    assert "Time left: about 12 minutes" in text
    unlimited = make_link()
    other = started(app.test_client(), app, unlimited)
    assert "data-seconds-left" not in page(other.get(unlimited.item(1)))


def test_running_out_of_time_hands_in_what_was_saved(app, client, make_link):
    link = make_link(time_limit_minutes=10)
    started(client, app, link)
    client.post(link.item(1), data=form_for(exercise_item(1)))
    client.post(link.autosave(OPEN), data={"text": "Saved before the end"})
    deadline = utcnow() - GRACE - timedelta(seconds=5)
    update(
        app, link.candidate_id, started_at=deadline - timedelta(minutes=10), deadline_at=deadline
    )
    response = client.get(link.item(2))
    assert response.status_code in (302, 303) and response.headers["Location"].endswith("/done")
    row = candidate(app, link.candidate_id)
    assert row.submitted_at is not None and row.timed_out is True
    assert row.status == CandidateStatus.SUBMITTED
    assert row.seconds_taken == 10 * 60  # up to the deadline, not to the late visit
    saved = answers(app, link.candidate_id)
    assert saved[OPEN_ITEM][0] == {"text": "Saved before the end"}
    assert exercise_item(1).id in saved
    assert "Your time ran out" in page(client.get(f"{link.url}/done"))


def test_a_save_after_the_deadline_is_refused_and_hands_in(app, client, make_link):
    link = make_link(time_limit_minutes=10)
    started(client, app, link)
    update(app, link.candidate_id, deadline_at=utcnow() - GRACE - timedelta(seconds=1))
    response = client.post(link.autosave(OPEN), data={"text": "Too late"})
    assert response.status_code == 410
    assert response.json["next"].endswith("/done")
    assert OPEN_ITEM not in answers(app, link.candidate_id)
    assert candidate(app, link.candidate_id).timed_out is True
    response = client.post(link.item(1), data=form_for(exercise_item(1)))
    assert response.status_code == 410
    assert answers(app, link.candidate_id) == {}


def test_a_save_within_the_grace_period_counts(app, client, make_link):
    link = make_link(time_limit_minutes=10)
    started(client, app, link)
    update(app, link.candidate_id, deadline_at=utcnow() - GRACE / 2)
    assert client.post(link.autosave(OPEN), data={"text": "Just in time"}).status_code == 204
    assert answers(app, link.candidate_id)[OPEN_ITEM][0] == {"text": "Just in time"}
    assert candidate(app, link.candidate_id).submitted_at is None


def test_a_started_attempt_whose_link_expired_is_handed_in(app, client, make_link):
    link = make_link()
    started(client, app, link)
    client.post(link.item(1), data=form_for(exercise_item(1)))
    client.post(link.autosave(OPEN), data={"text": "Saved before the link expired"})
    update(app, link.candidate_id, started_at=utcnow() - timedelta(days=3))
    expire(app, ago=timedelta(days=1))
    response = client.get(link.item(2))
    assert response.status_code == 302 and response.headers["Location"].endswith("/done")
    row = candidate(app, link.candidate_id)
    assert row.submitted_at is not None and row.timed_out is True
    assert row.status == CandidateStatus.SUBMITTED
    assert 2 * 86400 - 60 <= row.seconds_taken <= 2 * 86400  # up to the expiry, not today
    saved = answers(app, link.candidate_id)
    assert saved[OPEN_ITEM][0] == {"text": "Saved before the link expired"}
    assert exercise_item(1).id in saved
    text = page(client.get(f"{link.url}/done"))
    assert "Your link expired, so we handed in what you had saved" in text
    assert "Your time ran out" not in text
    assert client.get(link.url).headers["Location"].endswith("/done")


@pytest.mark.parametrize("visit", ["welcome", "review", "save", "autosave", "submit"])
def test_any_request_to_an_expired_started_attempt_hands_it_in(app, client, make_link, visit):
    link = make_link(time_limit_minutes=10)
    started(client, app, link)
    client.post(link.item(1), data=form_for(exercise_item(1)))
    # Started before links were kept alive: the link expired before the deadline.
    update(app, link.candidate_id, deadline_at=utcnow() + timedelta(minutes=5))
    expire(app)
    response = {
        "welcome": lambda: client.get(link.url),
        "review": lambda: client.get(f"{link.url}/review"),
        "save": lambda: client.post(link.item(OPEN), data={"text": "Too late"}),
        "autosave": lambda: client.post(link.autosave(OPEN), data={"text": "Too late"}),
        "submit": lambda: client.post(f"{link.url}/submit"),
    }[visit]()
    if visit == "autosave":
        assert response.status_code == 410
        assert response.json["reason"].startswith("Your link has expired.")
        assert response.json["next"].endswith("/done")
    else:
        assert response.status_code == 302 and response.headers["Location"].endswith("/done")
    row = candidate(app, link.candidate_id)
    assert row.submitted_at is not None and row.timed_out is True
    assert set(answers(app, link.candidate_id)) == {exercise_item(1).id}
    assert "Your link expired" in page(client.get(f"{link.url}/done"))


def test_a_revoked_started_attempt_is_gone_and_keeps_its_answers(app, client, make_link, people):
    link = make_link(time_limit_minutes=10)
    started(client, app, link)
    client.post(link.item(1), data=form_for(exercise_item(1)))
    with app.app_context():
        invitations.revoke(db.session.get(Candidate, link.candidate_id))
        db.session.commit()
    # Revoked on purpose: neither its expiry nor its deadline passing hands it in.
    expire(app)
    update(app, link.candidate_id, deadline_at=utcnow() - GRACE - timedelta(minutes=1))
    for response in (
        client.get(link.url),
        client.get(link.item(2)),
        client.get(f"{link.url}/review"),
        client.post(link.item(2), data=form_for(exercise_item(2))),
        client.post(link.autosave(2), data=form_for(exercise_item(2))),
        client.post(f"{link.url}/submit"),
    ):
        assert response.status_code == 410
    assert "withdrawn" in page(client.get(link.url))
    row = candidate(app, link.candidate_id)
    assert row.submitted_at is None and row.status == CandidateStatus.STARTED
    assert set(answers(app, link.candidate_id)) == {exercise_item(1).id}


# ---------------------------------------------------------------- review and submit


def test_review_lists_answered_and_unanswered(app, client, link):
    started(client, app, link)
    client.post(link.item(1), data=form_for(exercise_item(1)))
    client.post(link.item(OPEN), data={"text": "My reply"})
    client.post(link.item(RATE), data={})  # left for later
    text = page(client.get(f"{link.url}/review"))
    assert text.count("Answered</span>") == 2
    assert text.count("Not answered</span>") == 4
    assert "4 of 6 situations are not answered yet" in text
    for position in range(1, COUNT + 1):
        assert f'href="{link.item(position)}"' in text
    assert "Hand in my answers" in text


def test_submitting_scores_the_answers(app, client, link):
    started(client, app, link)
    answer_everything(client, link, quality=1.0)
    update(app, link.candidate_id, started_at=utcnow() - timedelta(minutes=9, seconds=30))
    response = client.post(f"{link.url}/submit")
    assert response.headers["Location"].endswith(f"{link.url}/done")
    row = candidate(app, link.candidate_id)
    assert row.status == CandidateStatus.SUBMITTED and row.timed_out is False
    assert 569 <= row.seconds_taken <= 575
    credits = {item: credit for item, (_, credit) in answers(app, link.candidate_id).items()}
    exercise = the_exercise()
    assert all(credits[item.id] == 1.0 for item in exercise.items if item.keyed)
    assert credits[OPEN_ITEM] is None
    with app.app_context():
        skills = dict(
            db.session.execute(
                select(SkillResult.skill, SkillResult.score).where(
                    SkillResult.candidate_id == link.candidate_id
                )
            ).all()
        )
    assert skills  # keyed skills are scored now; the open item waits for raters
    assert all(1 <= score <= 5 for score in skills.values())
    assert row.overall == pytest.approx(sum(skills.values()) / len(skills))


def test_submitting_before_starting_goes_to_the_welcome_page(app, client, link):
    response = client.post(f"{link.url}/submit")
    assert response.headers["Location"].endswith(link.url)
    assert candidate(app, link.candidate_id).submitted_at is None


# ---------------------------------------------------------------- thank-you and self-identification


def handed_in(app: Flask, client: FlaskClient, link: Link) -> FlaskClient:
    started(client, app, link)
    answer_everything(client, link)
    client.post(f"{link.url}/submit")
    return client


def test_thank_you_page_only_after_handing_in(app, client, link, people):
    started(client, app, link)
    response = client.get(f"{link.url}/done")
    assert response.headers["Location"].endswith(link.url)
    client.post(f"{link.url}/submit")
    text = page(client.get(f"{link.url}/done"))
    assert "Thank you, your answers are in" in text
    assert "What happens next" in text and people.recruiter.name in text
    assert "Answering is entirely voluntary" in text
    assert "never shown to the people who score them" in text
    for question in ("Which best describes you?", "What is your ethnic group?", "How old are you?"):
        assert question in text
    assert PREFER_NOT in text


def test_self_identification_is_saved_apart_and_once(app, client, link):
    handed_in(app, client, link)
    saved_answers = answers(app, link.candidate_id)
    response = client.post(f"{link.url}/about-you", data={"sex": "Woman", "ethnicity": PREFER_NOT})
    assert response.headers["Location"].endswith("/done")
    with app.app_context():
        rows = db.session.scalars(select(SelfIdentification)).all()
        assert [(r.candidate_id, r.opening_id) for r in rows] == [
            (link.candidate_id, link.opening_id)
        ]
        assert (rows[0].sex, rows[0].ethnicity, rows[0].age_band) == ("Woman", PREFER_NOT, None)
    assert answers(app, link.candidate_id) == saved_answers  # nothing mixed in
    assert "Thank you for answering these questions" in page(client.get(f"{link.url}/done"))
    # A second post changes nothing and makes no second row.
    client.post(f"{link.url}/about-you", data={"sex": "Man"})
    with app.app_context():
        rows = db.session.scalars(select(SelfIdentification)).all()
        assert [r.sex for r in rows] == ["Woman"]


def test_self_identification_refuses_unknown_answers(app, client, link):
    handed_in(app, client, link)
    response = client.post(f"{link.url}/about-you", data={"sex": "Woman", "age_band": "Ancient"})
    assert response.status_code == 200
    text = page(response)
    assert "Choose one of the listed answers, or leave it blank." in text
    assert checked(text, "sex") == ["Woman"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SelfIdentification)) == 0


def test_self_identification_only_after_handing_in(app, client, link):
    started(client, app, link)
    response = client.post(f"{link.url}/about-you", data={"sex": "Woman"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SelfIdentification)) == 0


# ---------------------------------------------------------------- headers, logs and pages


def test_every_candidate_page_sends_no_referrer(app, client, link):
    responses = [client.get(f"/screening/{secrets.token_urlsafe(32)}"), client.get(link.url)]
    started(client, app, link)
    responses += [
        client.get(link.item(1)),
        client.post(link.item(1), data={"best": "0", "worst": "0"}),
        client.post(link.autosave(OPEN), data={"text": "Hi"}),
        client.get(f"{link.url}/review"),
    ]
    client.post(f"{link.url}/submit")
    responses += [client.get(f"{link.url}/done"), client.post(link.item(1), data={})]
    for response in responses:
        assert response.headers["Referrer-Policy"] == "no-referrer", response.status
        assert response.headers["Cache-Control"] == "no-store"


def test_the_token_never_reaches_the_log(app, client, make_link, caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.INFO)
    try:
        link = make_link(time_limit_minutes=10)
        started(client, app, link)
        answer_everything(client, link)
        client.post(link.autosave(OPEN), data={"text": " ".join(["w"] * 200)})
        update(app, link.candidate_id, deadline_at=utcnow() - timedelta(hours=1))
        client.get(link.item(1))  # times out and hands in
        client.post(f"{link.url}/about-you", data={"sex": "Woman"})
        client.post(link.item(1), data={})
    finally:
        logging.getLogger("sqlalchemy.engine").setLevel(logging.WARNING)
    assert caplog.records  # the log was captured
    assert "ran out of time" in caplog.text
    assert link.token not in caplog.text


def test_pages_load_the_script_and_have_no_inline_code(app, client, link):
    started(client, app, link)
    for path in (link.url, link.item(1), link.item(RATE), link.item(OPEN), f"{link.url}/review"):
        html_text = client.get(path).get_data(as_text=True)
        assert html_text.count("<h1") == 1, path
        assert not re.search(r"<script(?![^>]*\bsrc=)", html_text), path
        assert " style=" not in html_text and " onclick=" not in html_text, path
    item_page = client.get(link.item(OPEN)).get_data(as_text=True)
    assert 'src="/static/screening.js"' in item_page
    assert 'aria-live="polite"' in item_page and 'data-max-words="150"' in item_page
    script = client.get("/static/screening.js")
    script.close()
    assert script.status_code == 200


def test_candidate_pages_use_few_queries(app, client, link):
    """Ordinary pages: at most 5 statements, whatever has been saved."""
    from sqlalchemy import event

    started(client, app, link)
    answer_everything(client, link)
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        if not statement.startswith("BEGIN"):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        for request in (
            lambda: client.get(link.url),
            lambda: client.get(link.item(1)),
            lambda: client.get(link.item(OPEN)),
            lambda: client.get(f"{link.url}/review"),
            lambda: client.post(link.autosave(OPEN), data={"text": "Edited"}),
        ):
            statements.clear()
            response = request()
            assert response.status_code in (200, 204)
            assert len(statements) <= 5, statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
