"""When every written answer of a candidate Greenhouse sent a test to has its raters,
coachkit PATCHes the `url` Greenhouse gave (authenticated with the partner key), through
the HTTP delivery outbox: sent by the worker, retried while Greenhouse is down or busy,
and delivered once."""

from __future__ import annotations

import base64

from sqlalchemy import select, update

from coachkit.database import utcnow
from coachkit.deliveries.models import DeliveryState, HttpDelivery
from coachkit.extensions import db
from coachkit.hiring import results, versions
from coachkit.hiring.greenhouse import keys
from coachkit.hiring.greenhouse.models import Interview, PartnerKey
from coachkit.hiring.models import Opening
from tests.conftest import signed_in
from tests.hiring.conftest import rate
from tests.hiring.greenhouse.conftest import make_key, send_test_body


def basic(key: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:".encode()).decode()


def sent_test(app, greenhouse, opening: int, url: str) -> tuple[str, int]:
    """Send a test from Greenhouse; (partner_interview_id, candidate id)."""
    interview_id = greenhouse.send_test(send_test_body(str(opening), url)).json()[
        "partner_interview_id"
    ]
    with app.app_context():
        return interview_id, db.session.get_one(Interview, int(interview_id)).candidate_id


def rate_fully(app, people, opening: int, candidate_id: int) -> None:
    for rater in (people.recruiter, people.second_recruiter):
        assert rate(signed_in(app, rater), opening, candidate_id, 4).status_code == 302


def deliveries(app) -> list[tuple[str, str, DeliveryState, int]]:
    with app.app_context():
        rows = db.session.scalars(select(HttpDelivery).order_by(HttpDelivery.id)).all()
        found = [(row.method, row.url, row.state, row.attempts) for row in rows]
        db.session.remove()
    return found


def a_minute_later(app) -> None:
    """Make waiting deliveries due, as the backoff (at most a minute) would."""
    with app.app_context():
        db.session.execute(update(HttpDelivery).values(next_attempt_at=utcnow()))
        db.session.commit()
        db.session.remove()


def test_completion_is_patched_once_after_greenhouse_comes_back(
    app, greenhouse, key, receiver, make_opening, submitted, people, run_pass
):
    opening = make_opening()
    url = receiver.url()
    interview_id, candidate_id = sent_test(app, greenhouse, opening, url)
    submitted(candidate_id)
    rate(signed_in(app, people.recruiter), opening, candidate_id, 4)
    assert deliveries(app) == []  # one rater of two: not complete yet

    receiver.stop()
    rate(signed_in(app, people.second_recruiter), opening, candidate_id, 4)
    assert deliveries(app) == [("PATCH", url, DeliveryState.WAITING, 0)]
    assert run_pass().deliveries.unreachable == 1
    assert deliveries(app) == [("PATCH", url, DeliveryState.WAITING, 0)]

    receiver.start()
    receiver.busy = 1  # up again, but busy at first: 503
    a_minute_later(app)
    assert run_pass().deliveries.retrying == 1
    assert receiver.received == []
    a_minute_later(app)
    assert run_pass().deliveries.sent == 1
    [patch] = receiver.received
    assert (patch.method, patch.path) == (
        "PATCH",
        "/integrations/testing_partners/take_home_tests/12345",
    )
    assert patch.authorization == basic(key)
    assert patch.body == b""
    assert deliveries(app) == [("PATCH", url, DeliveryState.SENT, 2)]

    a_minute_later(app)
    run_pass()
    assert len(receiver.received) == 1  # sent once, never again
    # Greenhouse answers the PATCH by asking for the status: complete.
    assert greenhouse.test_status(interview_id).json()["partner_status"] == "complete"


def test_a_candidate_with_nothing_to_rate_is_complete_on_hand_in(
    app, greenhouse, receiver, make_opening, submitted, run_pass
):
    opening = make_opening()
    interview_id, candidate_id = sent_test(app, greenhouse, opening, receiver.url())
    submitted(candidate_id, text="")  # the written answer left blank: no raters needed
    assert run_pass().deliveries.sent == 1
    assert len(receiver.received) == 1
    assert greenhouse.test_status(interview_id).json()["partner_status"] == "complete"


def test_candidates_greenhouse_did_not_send_are_not_patched(
    app, make_opening, make_candidate, submitted, people
):
    opening = make_opening()
    candidate_id = make_candidate(opening)
    submitted(candidate_id)
    rate_fully(app, people, opening, candidate_id)
    assert deliveries(app) == []


def test_a_rating_changed_after_completion_patches_no_more(
    app, greenhouse, receiver, make_opening, submitted, people, run_pass
):
    opening = make_opening()
    _interview_id, candidate_id = sent_test(app, greenhouse, opening, receiver.url())
    submitted(candidate_id)
    rate_fully(app, people, opening, candidate_id)
    assert rate(signed_in(app, people.recruiter), opening, candidate_id, 2).status_code == 302
    assert len(deliveries(app)) == 1


def test_the_patch_signs_in_with_a_live_key_when_the_sending_key_was_revoked(
    app, greenhouse, key, receiver, make_opening, submitted, people, run_pass
):
    opening = make_opening()
    _interview_id, candidate_id = sent_test(app, greenhouse, opening, receiver.url())
    with app.app_context():
        keys.revoke(db.session.scalar(select(PartnerKey)))
        db.session.commit()
    submitted(candidate_id)
    rate_fully(app, people, opening, candidate_id)

    result = run_pass().deliveries
    assert (result.sent, result.retrying) == (0, 1)  # no live key: it waits for one
    with app.app_context():
        assert "No live partner key" in db.session.scalar(select(HttpDelivery.last_error))
    replacement = make_key(app, "Greenhouse, again")
    a_minute_later(app)
    assert run_pass().deliveries.sent == 1
    assert [patch.authorization for patch in receiver.received] == [basic(replacement)]


def test_completions_made_in_bulk_are_found_by_the_worker(
    app, greenhouse, receiver, make_opening, submitted, people, run_pass
):
    """Fewer raters required for the whole opening completes candidates in one UPDATE,
    which no flush event sees: the worker's scan queues their PATCH."""
    opening_id = make_opening()
    _interview_id, candidate_id = sent_test(app, greenhouse, opening_id, receiver.url())
    submitted(candidate_id)
    rate(signed_in(app, people.recruiter), opening_id, candidate_id, 4)
    with app.app_context():
        opening = db.session.get_one(Opening, opening_id)
        opening.raters_required = 1
        results.recheck_opening(opening, versions.exercise_of(opening))
        db.session.commit()
    assert deliveries(app) == []
    result = run_pass()
    assert result.scanned["hiring.greenhouse_completions"] == 1
    assert result.deliveries.sent == 1
    assert len(receiver.received) == 1
    assert run_pass().scanned["hiring.greenhouse_completions"] == 0
