"""Backing up and restoring the embedded SQLite database while coachkit runs.

Both use SQLite's online backup API, which copies a consistent snapshot page by page
and retries pages that a writer changes meanwhile, so neither needs the app stopped.
PostgreSQL deployments use pg_dump and pg_restore instead (see the README).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from coachkit.database import BUSY_TIMEOUT_MS

PAGES_PER_STEP = 1024  # copy in steps so writers get the lock in between


class BackupError(RuntimeError):
    """The backup or restore cannot be done; the message says why."""


def sqlite_file(database_url: str) -> Path:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError(
            "backup and restore work on a SQLite database file; for PostgreSQL use "
            "pg_dump and pg_restore (see the README's Backups section)"
        )
    return Path(url.database)


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
    connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return connection


def _check(connection: sqlite3.Connection, what: str) -> None:
    (result,) = connection.execute("PRAGMA integrity_check").fetchone()
    if result != "ok":
        raise BackupError(f"{what} failed SQLite's integrity check: {result}")
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    if "alembic_version" not in tables:
        raise BackupError(f"{what} is not a coachkit database (no alembic_version table)")


def backup(live: Path, target: Path) -> None:
    """Copy the live database to `target` (which must not exist yet)."""
    if not live.is_file():
        raise BackupError(f"there is no database at {live}")
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name")
    source, copy = _connect(live), sqlite3.connect(target)
    try:
        source.backup(copy, pages=PAGES_PER_STEP)
        _check(copy, "the backup")
    finally:
        copy.close()
        source.close()


def restore(backup_file: Path, live: Path) -> None:
    """Replace the live database's contents with the backup's, online: running app
    servers see the restored data from their next transaction."""
    if not backup_file.is_file():
        raise BackupError(f"there is no backup at {backup_file}")
    source = _connect(backup_file)
    try:
        _check(source, "the backup")
        target = _connect(live)
        try:
            source.backup(target, pages=PAGES_PER_STEP)
        finally:
            target.close()
    finally:
        source.close()
