"""The training impact page's report for one viewer: the people they may see, the
coaching ratings, first completions and practice results of those people (3 queries;
the last two from the practice records, a row per person and module), and the
figures of `impact` and `retries`, cached by the data's revision and the people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, String, bindparam, select, type_coerce
from sqlalchemy.orm import InstrumentedAttribute

from coachkit.auth.models import Role, User
from coachkit.coaching.models import Rating
from coachkit.database import plain_rows
from coachkit.evidence import impact, retries
from coachkit.evidence.revision import data_revision
from coachkit.extensions import db
from coachkit.revision_cache import RevisionCache
from coachkit.teams.models import managed_members
from coachkit.training.models import PracticeRecord


@dataclass(frozen=True)
class ImpactReport:
    days: int
    people: int  # in scope with coaching ratings
    modules: list[impact.ModuleImpact]
    retries: list[retries.ModuleRetries]


_reports = RevisionCache[ImpactReport](size=64)


def _as_read(day: InstrumentedAttribute[date]) -> Any:
    """A date column as the driver gives it (SQLite: the ISO text, PostgreSQL: a date):
    `impact.day_number` reads either, at a fraction of the cost of SQLAlchemy's date
    conversion over a few hundred thousand rows."""
    return type_coerce(day, String)


def _in_scope(column: InstrumentedAttribute[int], everyone: bool) -> ColumnElement[bool]:
    """All rows (admins), or those of the people bound as `ids`."""
    return column.is_not(None) if everyone else column.in_(bindparam("ids", expanding=True))


def scope(viewer: User) -> tuple[int, ...] | None:
    """Ids of the people `viewer` may see in the report; None for everyone (admins).
    One query for a manager (their teams' members)."""
    if viewer.role == Role.ADMIN:
        return None
    statement: Select[tuple[int]] = (
        managed_members(viewer).with_only_columns(User.id).order_by(User.id)
    )
    return tuple(db.session.scalars(statement))


def impact_report(people: tuple[int, ...] | None, days: int) -> ImpactReport:
    """The report over `people` (None: everyone), 1 query when nothing changed."""
    key = ("impact", people, days, data_revision())
    return _reports.get(key, lambda: _report(people, days))


def _report(people: tuple[int, ...] | None, days: int) -> ImpactReport:
    everyone = people is None
    params = {} if everyone else {"ids": list(people or ())}
    ratings = impact.series(
        plain_rows(  # type: ignore[arg-type] # rows of (person, skill, date, rating)
            select(Rating.employee_id, Rating.skill, _as_read(Rating.held_on), Rating.rating)
            .where(_in_scope(Rating.employee_id, everyone), Rating.private.is_(False))
            .order_by(Rating.employee_id, Rating.skill, Rating.held_on),
            params,
        )
    )
    completions = plain_rows(
        select(
            PracticeRecord.user_id,
            PracticeRecord.module_slug,
            _as_read(PracticeRecord.first_completed_on),
        ).where(_in_scope(PracticeRecord.user_id, everyone)),
        params,
    )
    return ImpactReport(
        days,
        len({person for person, _skill in ratings}),
        impact.module_impacts(completions, ratings, days),  # type: ignore[arg-type]
        retries.module_retries(_in_scope(PracticeRecord.user_id, everyone), params),
    )
