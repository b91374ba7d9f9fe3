"""The worker under pressure: two workers racing over 1,000 notifications, the mail
server down for a while, database connections cut while it runs, and the scans it
runs (idempotent, one failing scan does not stop the others)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime

import psycopg
import pytest
from sqlalchemy import func, make_url, select

from coachkit.auth.models import Role, User
from coachkit.extensions import db
from coachkit.notifications import scans, worker
from coachkit.notifications.kinds import Kind
from coachkit.notifications.models import Notification, OutboxMessage, OutboxState
from coachkit.notifications.notify import notify, notify_all
from tests.conftest import login


def _states(app) -> Counter:
    with app.app_context():
        found = Counter(
            {
                OutboxState(state).value: count
                for state, count in db.session.execute(
                    select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
                )
            }
        )
        db.session.remove()
        return found


def _wait_for(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _people(app, count: int) -> None:
    with app.app_context():
        db.session.add_all(
            User(email=f"person{n}@example.org", name=f"Person {n}", role=Role.EMPLOYEE)
            for n in range(count)
        )
        db.session.commit()
        db.session.remove()


def _notify_everyone(app, subject: str) -> None:
    with app.app_context():
        everyone = db.session.scalars(select(User).order_by(User.id)).all()
        notify_all(everyone, Kind.MODULE_ASSIGNED, subject, "/training/")
        db.session.commit()
        db.session.remove()


def test_two_workers_racing_send_each_of_1000_notifications_once(app, mailbox):
    _people(app, 1000)
    _notify_everyone(app, "The renewal conversation is assigned to you")
    sent_by: list[int] = []
    errors: list[BaseException] = []

    def work() -> None:
        total = 0
        try:
            with app.app_context():
                while True:
                    result = worker.run_pass(scan=False)
                    total += result.sent
                    left = db.session.scalar(
                        select(func.count()).where(OutboxMessage.state != OutboxState.SENT)
                    )
                    if not left:
                        break
                db.session.remove()
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        sent_by.append(total)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    assert sum(sent_by) == 1000, sent_by
    ids = Counter(email["Message-ID"] for email in mailbox.received)
    assert len(ids) == 1000 and set(ids.values()) == {1}
    assert len({email["To"] for email in mailbox.received}) == 1000
    assert _states(app) == Counter({"sent": 1000})


@pytest.fixture
def running_worker(app):
    """Start `run_forever` in a thread with short pauses; stop it at the end."""
    app.config.update(WORKER_INTERVAL_SECONDS=0.05, WORKER_SCAN_SECONDS=0.05)
    stop = threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with app.app_context():
                worker.run_forever(stop)
                db.session.remove()
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    yield thread
    stop.set()
    thread.join(timeout=60)
    assert not thread.is_alive()
    assert errors == []


def test_the_mail_server_down_for_a_while_loses_and_doubles_nothing(
    app, make_user, mailbox, running_worker
):
    people = [make_user() for _ in range(5)]
    _notify_everyone(app, "Before the outage")
    _wait_for(lambda: len(mailbox.received) == 5)
    mailbox.stop()
    try:
        _notify_everyone(app, "During the outage")
        time.sleep(1.5)  # the worker tries, fails to connect, waits, tries again...
        assert len(mailbox.received) == 5
        assert _states(app)["waiting"] == 5
    finally:
        mailbox.start()
    _wait_for(lambda: len(mailbox.received) == 10)
    time.sleep(0.3)
    assert Counter(e["To"] for e in mailbox.received) == Counter({p.email: 2 for p in people})
    assert len({e["Message-ID"] for e in mailbox.received}) == 10
    with app.app_context():
        assert db.session.scalar(select(func.max(OutboxMessage.attempts))) == 1


def _cut_connections(database_url: str) -> int:
    """End every other connection to the test database, as a PostgreSQL restart
    does to its clients; return how many."""
    url = make_url(database_url)
    conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as connection:
        return len(
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
        )


def test_cut_database_connections_while_the_worker_runs(
    app, database_url, make_user, mailbox, running_worker
):
    if not database_url.startswith("postgresql"):
        pytest.skip("only PostgreSQL has connections to cut")
    admin = make_user(Role.ADMIN)
    for round_ in range(3):
        _notify_everyone(app, f"Round {round_}")
        time.sleep(0.05 * round_)
        assert _cut_connections(database_url) >= 1
    _wait_for(lambda: len(mailbox.received) == 3)
    time.sleep(0.5)
    ids = Counter(email["Message-ID"] for email in mailbox.received)
    assert len(ids) == 3 and set(ids.values()) == {1}
    assert _states(app) == Counter({"sent": 3})
    # The web app answers again at once: stale connections are replaced (pool_pre_ping).
    _cut_connections(database_url)
    client = app.test_client()
    assert login(client, admin).status_code == 302
    assert client.get("/notifications").status_code == 200


def test_a_scan_notifies_once_however_often_it_runs(app, make_user, run_pass):
    employee = make_user()
    runs: list[datetime] = []

    def due_soon(now: datetime) -> int:
        runs.append(now)
        person = db.session.get(User, employee.id)
        made = notify(
            person,
            Kind.MODULE_DUE_SOON,
            "Due in 2 days",
            "/training/",
            once="assignment:1:due-soon",
        )
        return 1 if made else 0

    def broken(now: datetime) -> int:
        raise RuntimeError("a bug in another feature's scan")

    scans.register(app, "test.broken", broken)
    scans.register(app, "test.due_soon", due_soon)
    assert run_pass().scanned["test.due_soon"] == 1
    again = run_pass().scanned
    assert again["test.due_soon"] == 0 and "test.broken" not in again
    assert set(again.values()) == {0}  # the features' own scans found nothing either
    assert len(runs) == 2
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 1


def test_scans_registered_with_a_blueprint_reach_every_app(app):
    assert "notifications.digest" in scans.registered(app)
