"""Fixtures shared by the whole suite.

Every test that uses `app` runs twice: on SQLite and on PostgreSQL. PostgreSQL needs
COACHKIT_TEST_POSTGRES_URL (a database the tests may create other databases from);
without it those runs are skipped, unless COACHKIT_REQUIRE_POSTGRES=1 makes that a
failure (as CI does).
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import socket
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import make_url

from coachkit import create_app
from coachkit.auth.models import Role, User
from coachkit.auth.passwords import hash_password
from coachkit.extensions import db
from coachkit.teams.models import Membership, Position, Team

PASSWORD = "correct horse battery staple"
ENGINES = ["sqlite", "postgresql"]


def base_config(database_url: str, **extra: Any) -> dict[str, Any]:
    return {
        "TESTING": True,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key",
        "EXTERNAL_URL": "https://coachkit.test",
        "ARGON2_CHEAPEST": True,
        "WTF_CSRF_ENABLED": False,
        "SMTP_HOST": "",
        **extra,
    }


def postgres_server_url() -> str:
    """The configured PostgreSQL URL, or skip (fail when PostgreSQL is required)."""
    url = os.environ.get("COACHKIT_TEST_POSTGRES_URL", "")
    if not url:
        if os.environ.get("COACHKIT_REQUIRE_POSTGRES") == "1":
            pytest.fail("COACHKIT_REQUIRE_POSTGRES=1 but COACHKIT_TEST_POSTGRES_URL is unset")
        pytest.skip("PostgreSQL tests need COACHKIT_TEST_POSTGRES_URL")
    return url


class DatabaseFactory:
    """Creates empty databases (SQLite files or PostgreSQL databases) and drops them."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.created: list[str] = []

    def new(self, engine: str) -> str:
        name = f"coachkit_test_{uuid.uuid4().hex[:12]}"
        if engine == "sqlite":
            return f"sqlite:///{self.directory / name}.sqlite"
        server = make_url(postgres_server_url()).set(drivername="postgresql+psycopg")
        with psycopg.connect(self._conninfo(server), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return server.set(database=name).render_as_string(hide_password=False)

    @staticmethod
    def _conninfo(url: Any) -> str:
        return url.set(drivername="postgresql").render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if not self.created:
            return
        server = make_url(postgres_server_url())
        with psycopg.connect(self._conninfo(server), autocommit=True) as connection:
            for name in self.created:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(tmp_path_factory.mktemp("databases"))
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session", params=ENGINES)
def database_url(request: pytest.FixtureRequest, databases: DatabaseFactory) -> str:
    """One schema per engine per test run, created from the models."""
    url = databases.new(request.param)
    app = create_app(base_config(url))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return url


@pytest.fixture
def app_factory(database_url: str) -> Iterator[Callable[..., Flask]]:
    """Build apps on the test database; every table is emptied after the test."""
    made: list[Flask] = []

    def build(**config: Any) -> Flask:
        app = create_app(base_config(database_url, **config))
        made.append(app)
        return app

    yield build
    for app in made:
        with app.app_context():
            db.session.rollback()
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
            db.session.commit()
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(app_factory: Callable[..., Flask]) -> Flask:
    return app_factory()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def rollups_kept_and_counted(app: Flask) -> dict[str, tuple[Any, Any]]:
    """Each rollup the models keep, as kept and as counted from its rows now: every
    counter table (without rows counting nothing), answers' written flags and rater
    counts, and each person's unread notifications."""
    from sqlalchemy import func, select

    from coachkit.database import CounterRollup
    from coachkit.hiring.models import Answer, holds_writing, rater_count
    from coachkit.notifications.models import Notification

    found: dict[str, tuple[Any, Any]] = {}
    with app.app_context():
        for rollup in CounterRollup.declared:
            table = rollup.table.__table__
            columns = list(rollup.rebuild.selected_columns.keys())
            counters = [n for n in columns if not table.c[n].primary_key]
            kept = {
                tuple(row)
                for row in db.session.execute(select(*[table.c[n] for n in columns]))
                if any(row._mapping[n] for n in counters)
            }
            counted = {tuple(row) for row in db.session.execute(rollup.rebuild)}
            found[table.name] = (kept, counted)
        answers = db.session.execute(
            select(Answer.id, Answer.written, Answer.raters, Answer.value, rater_count())
        ).all()
        found["hiring_answers"] = (
            {(row.id, row.written, row.raters) for row in answers},
            {(row.id, holds_writing(row.value), row[4]) for row in answers},
        )
        unread = (
            select(func.count())
            .where(Notification.recipient_id == User.id, Notification.read_at.is_(None))
            .scalar_subquery()
        )
        people = db.session.execute(select(User.id, User.unread_notifications, unread)).all()
        found["users.unread_notifications"] = (
            {(user_id, kept) for user_id, kept, _counted in people},
            {(user_id, counted) for user_id, _kept, counted in people},
        )
        db.session.remove()
    return found


@pytest.fixture(autouse=True)
def _rollups_kept(request: pytest.FixtureRequest) -> Iterator[None]:
    """After every test, whatever it changed, every rollup still matches the rows it
    summarises (`coachkit.rollups`)."""
    app = request.getfixturevalue("app") if "app" in request.fixturenames else None
    yield
    if app is not None:
        for name, (kept, counted) in rollups_kept_and_counted(app).items():
            assert kept == counted, name


@dataclass(frozen=True)
class Person:
    """A test user as plain values (no live ORM object outside an app context)."""

    id: int
    email: str
    name: str
    role: Role
    password: str = PASSWORD


@pytest.fixture
def make_user(app: Flask) -> Callable[..., Person]:
    counter = iter(range(1, 10_000))

    def make(
        role: Role = Role.EMPLOYEE,
        *,
        name: str | None = None,
        email: str | None = None,
        password: str | None = PASSWORD,
        active: bool = True,
    ) -> Person:
        number = next(counter)
        name = name or f"{role.label} {number}"
        email = email or f"{role.value}{number}@example.com"
        with app.app_context():
            user = User(
                email=email,
                name=name,
                role=role,
                active=active,
                password_hash=hash_password(password) if password else None,
            )
            db.session.add(user)
            db.session.commit()
            return Person(user.id, email, name, role, password or "")

    return make


@pytest.fixture
def make_team(app: Flask) -> Callable[..., int]:
    def make(name: str, managers: list[Person], members: list[Person] = ()) -> int:  # type: ignore[assignment]
        with app.app_context():
            team = Team(name=name)
            db.session.add(team)
            for person, position in [(m, Position.MANAGER) for m in managers] + [
                (m, Position.MEMBER) for m in members
            ]:
                db.session.add(Membership(team=team, user_id=person.id, position=position))
            db.session.commit()
            return team.id

    return make


@dataclass(frozen=True)
class Notified:
    """A notification as plain values, with the body of the e-mail it put in the
    outbox (None when the recipient gets it in the app or the digest only)."""

    recipient_id: int
    kind: str
    subject: str
    path: str
    digest_pending: bool
    email: str | None


@pytest.fixture
def notified(app: Flask) -> Callable[..., list[Notified]]:
    """notified(kind=None) -> every notification (of `kind`), oldest first."""
    from sqlalchemy import select

    from coachkit.notifications.models import Notification, OutboxMessage

    def read(kind: str | None = None) -> list[Notified]:
        with app.app_context():
            statement = (
                select(Notification, OutboxMessage.body)
                .outerjoin(OutboxMessage, OutboxMessage.notification_id == Notification.id)
                .order_by(Notification.id)
            )
            if kind is not None:
                statement = statement.where(Notification.kind == kind)
            found = [
                Notified(n.recipient_id, n.kind.value, n.subject, n.path, n.digest_pending, body)
                for n, body in db.session.execute(statement)
            ]
            db.session.remove()
            return found

    return read


@pytest.fixture
def run_pass(app: Flask) -> Callable[..., Any]:
    """One pass of the worker, as `flask send` runs it."""
    from coachkit.notifications import worker

    def run(**options: Any) -> worker.PassResult:
        with app.app_context():
            try:
                return worker.run_pass(**options)
            finally:
                db.session.remove()

    return run


CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str = "/login") -> str | None:
    """The CSRF token from a page's form (None when CSRF is off)."""
    match = CSRF_FIELD.search(client.get(path).get_data(as_text=True))
    return match.group(1) if match else None


def login(client: FlaskClient, person: Person | str, password: str | None = None) -> Any:
    email = person if isinstance(person, str) else person.email
    secret = password if password is not None else getattr(person, "password", PASSWORD)
    data = {"email": email, "password": secret}
    if token := csrf_token(client):
        data["csrf_token"] = token
    return client.post("/login", data=data)


def logout(client: FlaskClient) -> Any:
    data = {}
    if token := csrf_token(client, "/account"):
        data["csrf_token"] = token
    return client.post("/logout", data=data)


def page(response: Any) -> str:
    """The page as a reader sees it (entities such as &#39; decoded)."""
    return html.unescape(response.get_data(as_text=True))


def csv_rows(response: Any) -> list[list[str]]:
    """A CSV download's rows (after its byte-order mark)."""
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def signed_in(app: Flask, person: Person) -> FlaskClient:
    """A test client signed in as `person`."""
    client = app.test_client()
    assert login(client, person).status_code == 302
    return client


def play_through(user: User, slug: str, reflection: str) -> int:
    """Complete the module `slug` as `user`, always taking the first reply and writing
    `reflection` where asked; the attempt's id (the caller commits)."""
    from coachkit.content.library import library
    from coachkit.training import player

    module = library().modules[slug]
    attempt = player.start(user, module)
    while attempt.status.value != "completed":
        reflect = module.nodes[attempt.current_node].kind == "reflect"
        player.answer(
            attempt,
            module,
            position=attempt.step_count,
            choice=None if reflect else 0,
            reflection=reflection if reflect else None,
        )
    return attempt.id


# --- A real SMTP server on loopback ----------------------------------------------------


class MailServer:
    """An SMTP server (aiosmtpd) on loopback, started once per test session, that keeps
    what it receives. `refuse` maps an address to the reply its RCPT gets (e.g. "451
    4.3.0 Try again later"); `stop()` and `start()` take it down and bring it back on
    the same port."""

    def __init__(self) -> None:
        import threading

        self.received: list[Any] = []
        self.refuse: dict[str, str] = {}
        self.lock = threading.Lock()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.controller: Any = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def reset(self) -> None:
        with self.lock:
            self.received.clear()
        self.refuse.clear()

    async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
        if reply := self.refuse.get(address):
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        import email
        import email.policy

        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.lock:
            self.received.append(message)
        return "250 Message accepted for delivery"


@pytest.fixture(scope="session")
def mail_server() -> Iterator[MailServer]:
    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(app: Flask, mail_server: MailServer) -> Iterator[MailServer]:
    """Point `app` at the session's SMTP server, empty, and yield it."""
    mail_server.reset()
    if mail_server.controller is None:
        mail_server.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=mail_server.port, SMTP_STARTTLS=False)
    yield mail_server
    mail_server.reset()


# --- A real OpenID provider on loopback ------------------------------------------------


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Any]:
    """The npm package `oidc-provider` on a free loopback port, once per test session
    (see tests/identity_provider.py)."""
    from tests.identity_provider import OpenIdProvider

    provider = OpenIdProvider()
    yield provider
    provider.stop()
