"""`flask backup` and `flask restore` copy a running SQLite database safely."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from flask_migrate import upgrade

from coachkit import create_app
from coachkit.auth.models import Role, User
from coachkit.extensions import db
from tests.conftest import base_config


@pytest.fixture
def sqlite_app(tmp_path):
    app = create_app(base_config(f"sqlite:///{tmp_path}/live.sqlite"))
    with app.app_context():
        upgrade()
        db.session.add(User(email="first@example.com", name="First", role=Role.EMPLOYEE))
        db.session.commit()
    return app


def _emails(path):
    with sqlite3.connect(path) as connection:
        return sorted(row[0] for row in connection.execute("SELECT email FROM users"))


def _writer(app, stop: threading.Event, written: list[str]) -> None:
    with app.app_context():
        number = 0
        while not stop.is_set():
            number += 1
            email = f"writer{number}@example.com"
            db.session.add(User(email=email, name=f"Writer {number}", role=Role.EMPLOYEE))
            db.session.commit()
            written.append(email)


def test_backup_while_the_app_writes_then_restore_and_compare(sqlite_app, tmp_path):
    stop, written = threading.Event(), []
    thread = threading.Thread(target=_writer, args=(sqlite_app, stop, written))
    thread.start()
    try:
        while len(written) < 20:
            threading.Event().wait(0.01)
        result = sqlite_app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.sqlite")])
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.output
    saved = _emails(tmp_path / "b.sqlite")
    assert "first@example.com" in saved
    assert len(saved) >= 21  # a consistent snapshot taken while rows were being added
    with sqlite3.connect(tmp_path / "b.sqlite") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    with sqlite_app.app_context():  # changes after the backup are undone by the restore
        db.session.add(User(email="later@example.com", name="Later", role=Role.ADMIN))
        db.session.commit()
    restored = sqlite_app.test_cli_runner().invoke(
        args=["restore", str(tmp_path / "b.sqlite"), "--yes"]
    )
    assert restored.exit_code == 0, restored.output
    assert _emails(tmp_path / "live.sqlite") == saved
    with sqlite_app.app_context():  # and the app reads the restored data
        assert db.session.scalar(db.select(db.func.count(User.id))) == len(saved)


def test_backup_refuses_to_overwrite_a_file(sqlite_app, tmp_path):
    (tmp_path / "exists.sqlite").write_text("keep me")
    result = sqlite_app.test_cli_runner().invoke(args=["backup", str(tmp_path / "exists.sqlite")])
    assert result.exit_code == 1
    assert "already exists" in result.output
    assert (tmp_path / "exists.sqlite").read_text() == "keep me"


def test_restore_refuses_a_file_that_is_not_a_coachkit_backup(sqlite_app, tmp_path):
    with sqlite3.connect(tmp_path / "other.sqlite") as other:
        other.execute("CREATE TABLE notes (text TEXT)")
    result = sqlite_app.test_cli_runner().invoke(
        args=["restore", str(tmp_path / "other.sqlite"), "--yes"]
    )
    assert result.exit_code == 1
    assert "not a coachkit database" in result.output
    assert _emails(tmp_path / "live.sqlite") == ["first@example.com"]


def test_restore_asks_before_replacing(sqlite_app, tmp_path):
    sqlite_app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.sqlite")])
    result = sqlite_app.test_cli_runner().invoke(
        args=["restore", str(tmp_path / "b.sqlite")], input="n\n"
    )
    assert result.exit_code == 1
    assert "Aborted" in result.output


def test_backup_on_postgresql_points_to_pg_dump(app_factory, database_url, tmp_path):
    if not database_url.startswith("postgresql"):
        pytest.skip("the PostgreSQL refusal")
    result = app_factory().test_cli_runner().invoke(args=["backup", str(tmp_path / "b")])
    assert result.exit_code == 1
    assert "pg_dump" in result.output
