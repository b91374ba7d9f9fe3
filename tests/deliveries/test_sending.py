"""The HTTP outbox: queued in the caller's transaction, sent by the worker's pass with
retries (never more than a minute after a failure), given up after too many tries."""

from __future__ import annotations

import socket
import threading
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from coachkit.database import utcnow
from coachkit.deliveries import outbox, senders
from coachkit.deliveries.models import DeliveryState, HttpDelivery
from coachkit.deliveries.sending import retry_delay, send_due
from coachkit.extensions import db


@pytest.fixture
def app(app_factory, inbox) -> Flask:  # type: ignore[no-untyped-def]
    app = app_factory(DELIVERY_MAX_ATTEMPTS=4)
    senders.register(
        app, "test", lambda request: senders.send_json(request, auth=("user", "secret"))
    )
    return app


def queue(app: Flask, url: str, key: str = "k-1", method: str = "POST") -> None:
    with app.app_context():
        outbox.enqueue(key=key, target="test", url=url, body={"n": key}, method=method)
        db.session.commit()


def row(app: Flask, key: str = "k-1") -> HttpDelivery:
    with app.app_context():
        found = db.session.scalar(select(HttpDelivery).where(HttpDelivery.key == key))
        assert found is not None
        db.session.expunge(found)
        return found


def test_a_rolled_back_change_queues_nothing(app: Flask, inbox) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        outbox.enqueue(key="gone", target="test", url=inbox.url, body={})
        db.session.rollback()
        assert db.session.scalar(select(HttpDelivery)) is None


def test_the_pass_sends_with_the_targets_sender(app: Flask, inbox, run_pass) -> None:  # type: ignore[no-untyped-def]
    queue(app, inbox.url + "/things", method="PATCH")
    result = run_pass()  # no SMTP configured: the deliveries go all the same
    assert result.deliveries.sent == 1
    [request] = inbox.received
    assert (request.method, request.path, request.body) == ("PATCH", "/things", {"n": "k-1"})
    assert request.authorization and request.authorization.startswith("Basic ")
    sent = row(app)
    assert (sent.state, sent.attempts, sent.last_error) == (DeliveryState.SENT, 1, None)
    assert run_pass().deliveries.sent == 0  # sent once only
    assert len(inbox.received) == 1


def test_a_server_error_is_retried_within_a_minute(app: Flask, inbox) -> None:  # type: ignore[no-untyped-def]
    queue(app, inbox.url)
    inbox.answers.extend([503, 500])
    with app.app_context():
        before = utcnow()
        assert send_due().retrying == 1
    waiting = row(app)
    assert waiting.state is DeliveryState.WAITING and waiting.attempts == 1
    assert "HTTP 503" in (waiting.last_error or "")
    assert before < waiting.next_attempt_at <= utcnow() + timedelta(seconds=60)
    with app.app_context():
        assert send_due().sent == 0  # not due yet
        assert send_due(now=waiting.next_attempt_at).retrying == 1
        assert send_due(now=utcnow() + timedelta(seconds=61)).sent == 1
    assert len(inbox.received) == 3
    assert row(app).state is DeliveryState.SENT


def test_backoff_doubles_but_never_past_a_minute(app: Flask) -> None:
    with app.app_context():
        delays = [retry_delay(n).total_seconds() for n in range(1, 40)]
    assert delays[:3] == [5, 10, 20]
    assert max(delays) == 60 and delays == sorted(delays)


def test_given_up_after_the_attempts_allowed(app: Flask, inbox) -> None:  # type: ignore[no-untyped-def]
    queue(app, inbox.url)
    inbox.answers.extend([500] * 4)
    with app.app_context():
        for _ in range(4):
            send_due(now=utcnow() + timedelta(minutes=5))
    failed = row(app)
    assert (failed.state, failed.attempts) == (DeliveryState.FAILED, 4)
    assert len(inbox.received) == 4
    with app.app_context():
        assert outbox.counts("test")[DeliveryState.FAILED] == 1
        assert [d.key for d in outbox.recent_failures("test")] == ["k-1"]
        assert outbox.retry_failed("test") == 1
        db.session.commit()
        assert send_due().sent == 1


def test_a_refusal_is_final(app: Flask, inbox) -> None:  # type: ignore[no-untyped-def]
    queue(app, inbox.url)
    inbox.answers.append(400)
    with app.app_context():
        assert send_due().failed == 1
    assert row(app).state is DeliveryState.FAILED


def test_an_unreachable_target_counts_no_attempt_and_holds_its_others(app: Flask) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    queue(app, dead, key="a")
    queue(app, dead, key="b")
    with app.app_context():
        result = send_due()
    assert (result.unreachable, result.sent) == (1, 0)
    for key in ("a", "b"):
        waiting = row(app, key)
        assert (waiting.state, waiting.attempts) == (DeliveryState.WAITING, 0)
        assert waiting.next_attempt_at <= utcnow() + timedelta(seconds=60)
    assert "Could not connect to" in (row(app, "a").last_error or "")


def test_a_claim_is_not_taken_twice_and_a_stale_one_comes_back(app: Flask, inbox) -> None:  # type: ignore[no-untyped-def]
    queue(app, inbox.url)
    with app.app_context():
        delivery = db.session.scalar(select(HttpDelivery))
        assert delivery is not None
        delivery.state, delivery.claimed_at = DeliveryState.SENDING, utcnow()
        db.session.commit()
        assert send_due().sent == 0  # another worker is sending it
        delivery.claimed_at = utcnow() - timedelta(minutes=6)
        db.session.commit()
        assert send_due().sent == 1  # that worker died: taken back and sent
    assert row(app).attempts == 2  # the lost try counted


def test_a_stop_request_leaves_the_rest_waiting(app: Flask, inbox) -> None:  # type: ignore[no-untyped-def]
    queue(app, inbox.url)
    stop = threading.Event()
    stop.set()
    with app.app_context():
        assert send_due(stop=stop).sent == 0
    assert row(app).state is DeliveryState.WAITING
    assert inbox.received == []


def test_a_target_without_a_sender_waits(app_factory, inbox) -> None:  # type: ignore[no-untyped-def]
    app = app_factory()
    queue(app, inbox.url)
    with app.app_context():
        assert send_due().retrying == 1
    assert "Nothing sends" in (row(app).last_error or "")
