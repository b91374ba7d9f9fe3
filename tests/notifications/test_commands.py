"""`flask worker` as a real process (sends, stops cleanly on SIGTERM), `flask prune`
and `flask recount` for notifications, the demo's notifications, and the settings."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from coachkit import create_app
from coachkit.auth.models import Role, User
from coachkit.config import ConfigError
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.notifications.kinds import Kind
from coachkit.notifications.models import Notification, OutboxMessage, OutboxState
from coachkit.notifications.notify import notify
from tests.conftest import base_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_flask_worker_sends_then_stops_on_sigterm(databases, mail_server):
    url = databases.new("sqlite")
    app = create_app(base_config(url))
    with app.app_context():
        db.create_all()
        person = User(email="eli@example.org", name="Eli", role=Role.EMPLOYEE)
        db.session.add(person)
        db.session.flush()
        notify(person, Kind.MODULE_ASSIGNED, "Charged twice is assigned to you", "/training/")
        db.session.commit()
        db.engine.dispose()
    mail_server.reset()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "worker-test-secret",
        "EXTERNAL_URL": "https://coachkit.test",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(mail_server.port),
        "SMTP_STARTTLS": "false",
        "WORKER_INTERVAL_SECONDS": "1",
    }
    env.pop("FLASK_DEBUG", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "coachkit", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not mail_server.received and time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()[0]
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, output
    assert "coachkit worker started." in output and "coachkit worker stopped." in output
    assert [email["To"] for email in mail_server.received] == ["eli@example.org"]
    mail_server.reset()


def test_worker_refuses_to_send_without_external_url(app_factory):
    app = app_factory(EXTERNAL_URL="", SMTP_HOST="127.0.0.1")
    result = app.test_cli_runner().invoke(args=["send"])
    assert result.exit_code != 0 and "EXTERNAL_URL is not set" in result.output


def test_prune_deletes_old_read_notifications_and_old_sent_mail(app, make_user, notify_person):
    employee = make_user()
    for _ in range(3):
        notify_person(employee)
    long_ago = utcnow() - timedelta(days=181)
    with app.app_context():
        first, second, _third = db.session.scalars(
            select(Notification.id).order_by(Notification.id)
        )
        # Read through the model, so the unread count follows.
        db.session.get_one(Notification, first).read_at = long_ago
        db.session.get_one(Notification, second).read_at = utcnow()
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.notification_id == first)
            .values(state=OutboxState.SENT, created_at=long_ago)
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["prune"])
    assert result.exit_code == 0, result.output
    assert "Deleted 1 read notifications and 1 e-mails sent or failed." in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 2
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2


def test_recount_repairs_the_unread_counts(app, make_user, notify_person, unread):
    employee = make_user()
    notify_person(employee)
    notify_person(employee)
    with app.app_context():
        db.session.execute(update(User).values(unread_notifications=7))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["recount"])
    assert result.exit_code == 0 and "users.unread_notifications" in result.output
    assert unread(employee) == (2, 2)


def test_the_demo_notifies_people_once_however_often_it_runs(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        first = db.session.scalar(select(func.count()).select_from(Notification))
        counts = dict(db.session.execute(select(User.id, User.unread_notifications)).all())
    assert first >= 14
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notification)) == first
        assert dict(db.session.execute(select(User.id, User.unread_notifications)).all()) == counts


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"DIGEST_HOUR": 24}, "DIGEST_HOUR must be between 0 and 23"),
        ({"MAIL_MAX_ATTEMPTS": 0}, "MAIL_MAX_ATTEMPTS must be 1 or more"),
    ],
)
def test_bad_settings_are_refused(databases, settings, message):
    with pytest.raises(ConfigError, match=message):
        create_app(base_config(databases.new("sqlite"), **settings))


def test_settings_are_read_from_the_environment(monkeypatch, databases):
    monkeypatch.setenv("DIGEST_HOUR", "6")
    monkeypatch.setenv("MAIL_PREVIEW", "true")
    monkeypatch.setenv("MAIL_MAX_ATTEMPTS", "3")
    app = create_app(base_config(databases.new("sqlite")))
    assert (
        app.config["DIGEST_HOUR"],
        app.config["MAIL_PREVIEW"],
        app.config["MAIL_MAX_ATTEMPTS"],
    ) == (
        6,
        True,
        3,
    )
