"""Where the benchmark data lives, and how it is written fast.

One database per data size: a SQLite file under bench/data/ by default, or a database
on the PostgreSQL server given as BENCH_DATABASE_URL. The schema comes from the app's
own models (`db.create_all()`, as the test suite builds it); rows go in as plain tuples
in chunks (`executemany` on SQLite, `COPY` on PostgreSQL) inside one transaction. A
database is built under a temporary name and renamed when complete, and its name
carries a fingerprint of the migrations, models, content and generator, so a later
run reuses it until one of those changes.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, make_url

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "bench" / "data"
CHUNK = 20_000
GENERATOR_FILES = ("store.py", "generate.py", "gen_people.py", "gen_training.py")
GENERATOR_FILES += ("gen_coaching.py", "gen_hiring.py", "texts.py")


@dataclass(frozen=True)
class Size:
    name: str
    users: int
    attempts: int
    sessions: int
    candidates: int


SIZES = {
    "S": Size("S", 1_000, 100_000, 10_000, 5_000),
    "L": Size("L", 10_000, 1_000_000, 100_000, 50_000),
}


def fingerprint() -> str:
    """A short hash of everything the generated data depends on."""
    files = [
        *sorted((ROOT / "migrations").rglob("*.py")),
        *sorted((ROOT / "coachkit").rglob("models.py")),
        *sorted((ROOT / "coachkit").rglob("models/*.py")),
        *sorted((ROOT / "content").rglob("*.md")),
        *(ROOT / "bench" / name for name in GENERATOR_FILES),
    ]
    digest = hashlib.sha256()
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def app_config(url: str, **extra: Any) -> dict[str, Any]:
    """The configuration the benchmark builds apps with (as tests/conftest.py does)."""
    return {
        "TESTING": True,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-secret-key",
        "EXTERNAL_URL": "http://127.0.0.1",
        "WTF_CSRF_ENABLED": False,
        "SMTP_HOST": "",
        **extra,
    }


def create_schema(url: str) -> None:
    from coachkit import create_app
    from coachkit.extensions import db

    app = create_app(app_config(url))
    with app.app_context():
        db.create_all()
        db.engine.dispose()


class Writer:
    """Bulk inserts of tuples holding values as the engine stores them."""

    dialect = ""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.sinks: list[Sink] = []

    def stamp(self, moment: datetime) -> Any:
        """A naive UTC datetime as a UTCDateTime column stores it."""
        raise NotImplementedError

    @staticmethod
    def day(value: date) -> str:
        return value.isoformat()

    @staticmethod
    def json(value: Any) -> str:
        return json.dumps(value)

    def flag(self, value: bool) -> Any:
        return value

    def sink(self, table: Table, columns: Sequence[str]) -> Sink:
        """A buffer for rows of `table`, written at checkpoints and on `close()`."""
        required = {c.name for c in table.columns if not c.nullable and c.server_default is None}
        if missing := required - set(columns):
            raise ValueError(f"{table.name}: NOT NULL columns without values: {sorted(missing)}")
        if unknown := set(columns) - {c.name for c in table.columns}:
            raise ValueError(f"{table.name}: no such columns: {sorted(unknown)}")
        sink = Sink(self, table.name, tuple(columns))
        self.sinks.append(sink)
        return sink

    def checkpoint(self) -> None:
        """Write what the sinks hold once one is full: all of them, in the order they
        were made (parents before children, so PostgreSQL's foreign keys hold). Call it
        between records, when every row added so far has its parents added too."""
        if any(len(sink.rows) >= CHUNK for sink in self.sinks):
            for sink in self.sinks:
                sink.flush()

    def write(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        raise NotImplementedError


class Sink:
    def __init__(self, writer: Writer, table: str, columns: tuple[str, ...]) -> None:
        self.writer, self.table, self.columns = writer, table, columns
        self.rows: list[tuple] = []

    def add(self, row: tuple) -> None:
        self.rows.append(row)

    def flush(self) -> None:
        if self.rows:
            self.writer.write(self.table, self.columns, self.rows)
            counts = self.writer.counts
            counts[self.table] = counts.get(self.table, 0) + len(self.rows)
            self.rows = []

    close = flush


class SqliteWriter(Writer):
    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection) -> None:
        super().__init__()
        self.connection = connection
        _check_sqlite_formats(self)

    def stamp(self, moment: datetime) -> str:
        return moment.isoformat(" ", "microseconds")

    def flag(self, value: bool) -> int:
        return 1 if value else 0

    def write(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        marks = ", ".join("?" * len(columns))
        self.connection.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
            rows,
        )


def _check_sqlite_formats(writer: SqliteWriter) -> None:
    """Fail early if SQLAlchemy would store timestamps differently from `stamp`."""
    from datetime import UTC

    from sqlalchemy.dialects import sqlite

    from coachkit.database import UTCDateTime

    sample = datetime(2026, 1, 2, 3, 4, 5, 6)
    process = UTCDateTime()._cached_bind_processor(sqlite.dialect())  # type: ignore[attr-defined]
    assert process(sample.replace(tzinfo=UTC)) == writer.stamp(sample)


class PostgresWriter(Writer):
    dialect = "postgresql"

    def __init__(self, connection: Any) -> None:
        super().__init__()
        self.connection = connection

    def stamp(self, moment: datetime) -> str:
        return moment.isoformat(" ", "microseconds") + "+00"

    def write(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        with (
            self.connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)


Fill = Callable[[Writer], None]


class SqliteTarget:
    def __init__(self, size: Size, key: str) -> None:
        self.size = size
        self.path = DATA_DIR / f"coachkit-{size.name}-{key}.sqlite"
        self.url = f"sqlite:///{self.path}"
        self.label = str(self.path.relative_to(ROOT))

    def ready(self) -> bool:
        """Whether a complete copy exists (opening a missing file creates an empty one)."""
        if not self.path.exists():
            return False
        connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        try:
            return connection.execute("SELECT count(*) FROM users").fetchone() is not None
        except sqlite3.OperationalError:
            return False
        finally:
            connection.close()

    def build(self, fill: Fill) -> None:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        building = self.path.with_suffix(".building")
        for leftover in DATA_DIR.glob(building.name + "*"):
            leftover.unlink()
        create_schema(f"sqlite:///{building}")
        connection = sqlite3.connect(building, isolation_level=None)
        for pragma in (
            "journal_mode=OFF",
            "synchronous=OFF",
            "cache_size=-1000000",
            "temp_store=MEMORY",
            "foreign_keys=OFF",
        ):
            connection.execute(f"PRAGMA {pragma}")
        # Indexes are built once after loading (a sort) instead of row by row.
        indexes = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        ).fetchall()
        connection.execute("BEGIN")
        for name, _sql in indexes:
            connection.execute(f"DROP INDEX {name}")
        fill(SqliteWriter(connection))
        for _name, sql in indexes:
            connection.execute(sql)
        connection.execute("COMMIT")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.close()
        for stale in DATA_DIR.glob(f"coachkit-{self.size.name}-*.sqlite*"):
            stale.unlink()
        building.rename(self.path)


class PostgresTarget:
    """Databases named coachkit_bench_<size>_<key> on the server of BENCH_DATABASE_URL
    (whose own database is only used to create and drop them)."""

    def __init__(self, size: Size, key: str, server_url: str) -> None:
        self.size = size
        self.server = make_url(server_url).set(drivername="postgresql+psycopg")
        self.prefix = f"coachkit_bench_{size.name.lower()}_"
        self.name = self.prefix + key
        self.url = self.server.set(database=self.name).render_as_string(hide_password=False)
        self.label = f"PostgreSQL database {self.name}"

    def _connect(self, database: str | None = None, **kw: Any) -> Any:
        import psycopg

        url = self.server.set(drivername="postgresql")
        if database:
            url = url.set(database=database)
        return psycopg.connect(url.render_as_string(hide_password=False), **kw)

    def ready(self) -> bool:
        with self._connect(autocommit=True) as connection:
            found = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (self.name,)
            ).fetchone()
        return found is not None

    def build(self, fill: Fill) -> None:
        building = self.name + "_building"
        with self._connect(autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{building}"')
        create_schema(self.server.set(database=building).render_as_string(hide_password=False))
        with self._connect(building) as connection:
            fill(PostgresWriter(connection))
            _reset_sequences(connection)
            connection.commit()
        with self._connect(building, autocommit=True) as connection:
            connection.execute("ANALYZE")  # what autovacuum would soon have done
        with self._connect(autocommit=True) as connection:
            stale = connection.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
                (self.prefix + "%", building),
            ).fetchall()
            for (name,) in stale:
                connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            connection.execute(f'ALTER DATABASE "{building}" RENAME TO "{self.name}"')


def _reset_sequences(connection: Any) -> None:
    """Rows were copied with explicit ids: move each id sequence past them."""
    rows = connection.execute(
        "SELECT table_name FROM information_schema.columns "
        "WHERE column_name = 'id' AND column_default LIKE 'nextval%%' "
        "AND table_schema = 'public'"
    ).fetchall()
    for (table,) in rows:
        connection.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
            f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
        )


def target(size: Size) -> SqliteTarget | PostgresTarget:
    """Where data of `size` lives: PostgreSQL when BENCH_DATABASE_URL is set."""
    key = fingerprint()
    server = os.environ.get("BENCH_DATABASE_URL", "")
    return PostgresTarget(size, key, server) if server else SqliteTarget(size, key)
