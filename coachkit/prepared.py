"""Statements built once and run many times.

Building a SQLAlchemy statement and computing its cache key costs a page more Python
time than running it (about 0.3 to 1 ms for a query with a subquery, against 0.3 ms in
SQLite). The busiest pages therefore build their statements once per process, with
bind parameters where the values go, and pass the values on each run: SQLAlchemy keeps
a built statement's cache key, so a run goes straight to its compiled form.

Statements that select plain values run through Core (`values`), skipping the ORM's
result machinery that only entities need.

Statements scoped to the signed-in user are built once per role, through the same
scoping functions every other page uses: `viewer(role)` stands in for the user, with a
`viewer_id` bind parameter as its id, and `viewer_params(user)` supplies the value.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import abort
from sqlalchemy import BindParameter, Executable, Integer, Row, Select, bindparam, func, select

from coachkit.auth.models import Role
from coachkit.extensions import db

VIEWER_ID = "viewer_id"


@dataclass(frozen=True)
class Viewer:
    """A user of `role` whose id is only known when the statement runs."""

    role: Role
    id: BindParameter[int]


def viewer(role: Role) -> Any:
    """A stand-in for the signed-in user in statement builders that read `.role` and
    `.id` (typed Any so builders annotated with `User` accept it)."""
    return Viewer(role, bindparam(VIEWER_ID, type_=Integer))


def viewer_params(user: Any, **values: Any) -> dict[str, Any]:
    """The values for a statement built with `viewer(user.role)`, plus `values`."""
    return {VIEWER_ID: user.id, **values}


def ids(name: str) -> BindParameter[Any]:
    """A list of values bound at run time (`column.in_(ids("user_ids"))`)."""
    return bindparam(name, expanding=True)


def values(statement: Executable, params: dict[str, Any] | None = None) -> list[Row[Any]]:
    """The rows of a statement that selects plain values (columns, no entities), run
    through Core on the session's connection and transaction. The session's ORM result
    machinery does nothing for such rows and costs about as much again as SQLite takes
    to read a few hundred of them. Pending changes are flushed first, as a query
    through the session would."""
    if db.session.autoflush:
        db.session.flush()
    return list(db.session.connection().execute(statement, params or {}).all())


Statement = TypeVar("Statement")


def per_viewer(build: Callable[..., Statement]) -> Callable[..., Statement]:
    """`build(user, *options)` made once per (role, *options): the cached function takes
    the role in place of the user. Run its statement with `viewer_params(user)`."""

    @functools.cache
    def built(role: Role, *options: Any) -> Statement:
        return build(viewer(role), *options)

    return built


Item = TypeVar("Item")


@dataclass(frozen=True)
class Page(Generic[Item]):
    """One page of rows and where it sits (what the `pager` macro reads)."""

    items: list[Item]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


class Paginated(Generic[Item]):
    """A statement split into pages: the page's rows and the count, both built once.
    Items are the statement's first column (an entity), or whole rows with `rows`."""

    def __init__(
        self,
        statement: Select[Any],
        *,
        unique: bool = False,
        rows: bool = False,
        counted: Select[Any] | None = None,
    ) -> None:
        """`counted`, when given, selects the same rows more cheaply (without the joins
        that only add columns), for the total."""
        self._rows = statement.limit(bindparam("page_limit")).offset(bindparam("page_offset"))
        counted = statement if counted is None else counted
        self._count = select(func.count()).select_from(counted.order_by(None).subquery())
        self._unique = unique  # joined eager loads of collections repeat the parent row
        self._whole_rows = rows

    def page(self, number: int, per_page: int, params: dict[str, Any]) -> Page[Item]:
        """Page `number` (from 1); a page past the end is a 404, as in Flask-SQLAlchemy."""
        offset = (number - 1) * per_page
        bound = {**params, "page_limit": per_page, "page_offset": offset}
        if self._whole_rows:
            items: list[Any] = values(self._rows, bound)
        else:
            result = db.session.scalars(self._rows, bound)
            items = list(result.unique() if self._unique else result)
        if not items and number > 1:
            abort(404)
        total = db.session.scalar(self._count, params) or 0
        return Page(items, number, per_page, total)
