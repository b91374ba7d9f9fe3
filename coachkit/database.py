"""Engine settings that make SQLite a safe embedded database, and the pieces of SQL
both engines share: timestamps, upserts and the counter rollups (`CounterRollup`).

SQLite gets WAL (readers never block the writer), enforced foreign keys, a busy
timeout, and `BEGIN IMMEDIATE` for transactions that may write, so two writers queue
for the lock up front instead of failing half-way with "database is locked".

Beside them, what queries on either engine share: timestamps in UTC, a month to group
by, storing a row once, counters added to atomically and plain-value rows read through
Core.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar, overload

from flask import current_app, has_request_context, request
from sqlalchemy import (
    CompoundSelect,
    Connection,
    DateTime,
    Dialect,
    Engine,
    Row,
    Select,
    String,
    event,
    inspect,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapper
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator

from coachkit.extensions import Base, db

BUSY_TIMEOUT_MS = 10_000
Record = TypeVar("Record")
Columns = TypeVar("Columns", bound=tuple[Any, ...])
_READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def utcnow() -> datetime:
    """The current time, timezone-aware UTC (the callable default for timestamps)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always read back timezone-aware.

    SQLite keeps no offset, so values come back naive there; this type makes both
    engines return aware UTC datetimes and refuses naive ones on the way in.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: use coachkit.database.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _may_write() -> bool:
    # A GET request only reads; CLI commands and unsafe requests may write.
    return not (has_request_context() and request.method in _READ_ONLY_METHODS)


def configure_sqlite(engine: Engine) -> None:
    """Install the pragmas and transaction handling on a SQLite engine."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN instead of pysqlite's implicit one.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _may_write() else "BEGIN")


class year_month(FunctionElement[str]):  # noqa: N801 - used like a SQL function
    """'YYYY-MM' of a date or UTC timestamp, for grouping by month on either engine."""

    type = String()
    inherit_cache = True
    name = "year_month"


@compiles(year_month, "sqlite")
def _year_month_sqlite(element: year_month, compiler: Any, **kw: Any) -> str:
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(year_month, "postgresql")
def _year_month_postgresql(element: year_month, compiler: Any, **kw: Any) -> str:
    # Timestamps are stored with their offset; read the month in UTC, as the app does.
    (argument,) = element.clauses
    value = compiler.process(argument, **kw)
    if isinstance(argument.type, UTCDateTime):
        value = f"timezone('UTC', {value})"
    return f"to_char({value}, 'YYYY-MM')"


def stored_once(statement: Select[tuple[Record]], make: Callable[[], Record]) -> Record:
    """The row `statement` finds, or a new one from `make()`: one row even when two
    requests store it at once (a unique constraint refuses the second insert)."""
    existing = db.session.scalar(statement)
    if existing is not None:
        return existing
    row = make()
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # another request stored it a moment ago
        return db.session.scalars(statement).one()
    return row


@overload
def plain_rows(
    statement: Select[Columns], params: Mapping[str, Any] | None = None
) -> list[Row[Columns]]: ...
@overload
def plain_rows(
    statement: CompoundSelect, params: Mapping[str, Any] | None = None
) -> list[Row[Any]]: ...  # SQLAlchemy 2.0 does not type a UNION's columns
def plain_rows(
    statement: Select[Any] | CompoundSelect, params: Mapping[str, Any] | None = None
) -> list[Row[Any]]:
    """The rows of a statement that selects plain values (columns, no entities), run
    through Core on the session's connection and transaction: the ORM's result
    machinery does nothing for such rows and costs about as much again as SQLite takes
    to read a few hundred of them. Pending changes are flushed first, as a query
    through the session would."""
    if db.session.autoflush:
        db.session.flush()
    return list(db.session.connection().execute(statement, params or {}).all())


def upsert(model: type[Base], connection: Connection | None = None) -> Any:
    """An INSERT into `model`'s table in the SQL dialect of `connection` (by default
    the session's), offering `.on_conflict_do_update()` (SQLite and PostgreSQL spell it
    the same way)."""
    dialect = (connection or db.session.get_bind()).dialect.name
    insert = sqlite_insert if dialect == "sqlite" else pg_insert
    return insert(model)


def add_to_counters(
    model: type[Base],
    key: dict[str, Any],
    increments: dict[str, int],
    connection: Connection | None = None,
) -> None:
    """Add `increments` to the counter columns of `model`'s row at `key`, creating the
    row when it is missing: one atomic statement (INSERT ... ON CONFLICT DO UPDATE),
    so writers meeting on the same row never lose a count. `connection` is for flush
    events, which must not use the session; by default the session runs it."""
    statement = upsert(model, connection).values(**key, **increments)
    columns = model.__table__.c
    statement = statement.on_conflict_do_update(
        index_elements=list(key),
        set_={name: columns[name] + statement.excluded[name] for name in increments},
    )
    (connection or db.session).execute(statement)


# A source row's share of a counter rollup: the counter row's key, and what it adds to
# each counter column.
Share = tuple[dict[str, Any], dict[str, int]]


def stored(row: Base, name: str) -> Any:
    """The value of `row`'s attribute `name` as the database holds it until this flush
    writes the row (in flush events; see `CounterRollup` on active_history)."""
    history = inspect(row).attrs[name].history
    return history.deleted[0] if history.deleted else getattr(row, name)


class CounterRollup:
    """A table of counters that summarise the rows of `source` (`coachkit.rollups` has
    the rules every rollup follows). `share(values)` gives a source row's share from
    its `columns` by name, or None when the row counts for nothing.

    Declaring one installs the flush events that keep the table: an inserted row adds
    its share, a deleted row takes its share off, an updated row moves it, each an
    atomic increment on the flush's connection, in the transaction of the change.
    `apply` does the same for statements that bypass the ORM. `rebuild` selects the
    whole table from the source rows, its columns labelled as the table's (`flask
    recount`). The counted columns must be mapped with `active_history=True`, so that
    an update knows the value it replaces even when it was never loaded (checked when
    the mapper is configured)."""

    declared: ClassVar[list[CounterRollup]] = []

    def __init__(
        self,
        table: type[Base],
        source: type[Base],
        columns: tuple[str, ...],
        share: Callable[[Mapping[str, Any]], Share | None],
        rebuild: Select[Any],
    ) -> None:
        self.table, self.source, self.columns = table, source, columns
        self.share, self.rebuild = share, rebuild
        event.listen(source, "mapper_configured", self._check_history)
        event.listen(source, "after_insert", self._inserted)
        event.listen(source, "after_update", self._updated)
        event.listen(source, "after_delete", self._deleted)
        CounterRollup.declared.append(self)

    def apply(
        self,
        removed: Iterable[Sequence[Any]] = (),
        added: Iterable[Sequence[Any]] = (),
        connection: Connection | None = None,
    ) -> None:
        """Take the shares of the `removed` source rows off and add those of the `added`
        ones, each row given as its `columns` values in order (as DELETE ... RETURNING
        gives them). Equal rows are added up first, and counters change in the rows'
        order, so two writers lock shared counter rows in the same order (no deadlock
        on PostgreSQL)."""
        changes: Counter[tuple[Any, ...]] = Counter()
        for sign, rows in ((-1, removed), (1, added)):
            for row in rows:
                changes[tuple(row)] += sign
        for values, times in sorted(changes.items(), key=_null_safe_order):
            share = self.share(dict(zip(self.columns, values, strict=True))) if times else None
            if share is not None:
                key, increments = share
                moved = {name: times * amount for name, amount in increments.items()}
                add_to_counters(self.table, key, moved, connection)

    def _values(self, row: Base, *, before: bool = False) -> tuple[Any, ...]:
        return tuple(stored(row, name) if before else getattr(row, name) for name in self.columns)

    def _inserted(self, _mapper: Mapper[Any], connection: Connection, row: Base) -> None:
        self.apply(added=[self._values(row)], connection=connection)

    def _updated(self, _mapper: Mapper[Any], connection: Connection, row: Base) -> None:
        before, after = self._values(row, before=True), self._values(row)
        if before != after:
            self.apply(removed=[before], added=[after], connection=connection)

    def _deleted(self, _mapper: Mapper[Any], connection: Connection, row: Base) -> None:
        self.apply(removed=[self._values(row, before=True)], connection=connection)

    def _check_history(self, mapper: Mapper[Any], _class: type) -> None:
        blind = [n for n in self.columns if not mapper.get_property(n).active_history]
        if blind:
            raise TypeError(f"{self.table.__name__} counts {blind}: map them active_history=True")


def _null_safe_order(change: tuple[tuple[Any, ...], int]) -> tuple[tuple[bool, Any], ...]:
    return tuple((value is None, value) for value in change[0])


def commit_until_stored(
    write: Callable[[], object], stop: threading.Event | None, label: str
) -> None:
    """Run `write` and commit, again and again while the database is unreachable: what
    it records happened already (an e-mail or an HTTP request went out) and must not be
    lost. Gives up only when asked to stop and the database stays away. `label` names
    the worker in the log."""
    delay = 1.0
    for attempt in range(1_000_000):
        try:
            write()
            db.session.commit()
            return
        except SQLAlchemyError as error:
            with suppress(SQLAlchemyError):
                db.session.rollback()
            if stop is not None and stop.is_set() and attempt >= 3:
                current_app.logger.error("%s: could not record a result: %s", label, error)
                raise
            current_app.logger.warning("%s: database unavailable, retrying: %s", label, error)
            time.sleep(delay)
            delay = min(delay * 2, 30.0)
