"""The training impact page's report for one viewer: the people they may see, and for
them, from the practice records and coaching ratings (4 queries), the figures of
`impact` and `retries`, cached by the data's revision and the people.

The database adds each person's ratings up (sums and counts before and after their
day), so a row per person, module and skill comes back, never a row per rating; the
means are divided here, as exactly as before.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    String,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute

from coachkit.auth.models import Role, User
from coachkit.coaching.models import Rating
from coachkit.content.library import library
from coachkit.database import days_after, plain_rows
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

_SHOWN = Rating.private.is_(False)


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
    params: dict[str, Any] = {} if everyone else {"ids": list(people or ())}
    takers, rated = _takers(everyone, params)
    return ImpactReport(
        days,
        rated,
        impact.module_impacts(
            takers, _took(everyone, params, days, takers), _others(everyone, params, days, takers)
        ),
        retries.module_retries(_in_scope(PracticeRecord.user_id, everyone), params),
    )


def _takers(everyone: bool, params: dict[str, Any]) -> tuple[dict[str, tuple[int, date]], int]:
    """Per module completed in scope: how many completed it and their median (low) day
    of first completion; and how many people in scope have coaching ratings (1 query)."""
    ranked = (
        select(
            PracticeRecord.module_slug,
            PracticeRecord.first_completed_on,
            func.row_number()
            .over(
                partition_by=PracticeRecord.module_slug, order_by=PracticeRecord.first_completed_on
            )
            .label("rank"),
            func.count().over(partition_by=PracticeRecord.module_slug).label("takers"),
        )
        .where(_in_scope(PracticeRecord.user_id, everyone))
        .subquery()
    )
    rated = (
        select(func.count(func.distinct(Rating.employee_id)))
        .where(_in_scope(Rating.employee_id, everyone), _SHOWN)
        .scalar_subquery()
    )
    rows = plain_rows(
        select(ranked.c.module_slug, ranked.c.takers, ranked.c.first_completed_on, rated).where(
            ranked.c.rank == (ranked.c.takers + 1) // 2
        ),
        params,
    )
    if not rows:
        return {}, db.session.scalar(select(rated), params) or 0
    return {slug: (n, pivot) for slug, n, pivot, _rated in rows}, rows[0][3]


def _sums(day: Any) -> list[Any]:
    """The sum and count of the joined ratings before `day`, and from it on."""
    before, after = Rating.held_on < day, Rating.held_on >= day
    return [
        func.sum(case((before, Rating.rating), else_=0)),
        func.count(case((before, 1))),
        func.sum(case((after, Rating.rating), else_=0)),
        func.count(case((after, 1))),
    ]


def _pairs(
    statement: Select[Any], params: dict[str, Any], trained: dict[str, set[str]]
) -> impact.Pairs:
    """(before, after) means per (module, skill it trains) from rows of (module, skill,
    person, sum before, count before, sum after, count after) with both counts."""
    pairs: impact.Pairs = defaultdict(list)
    for slug, skill, _person, low_sum, low_n, high_sum, high_n in plain_rows(statement, params):
        if skill in trained[slug]:
            pairs[slug, skill].append((low_sum / low_n, high_sum / high_n))
    return pairs


def _both(sums: list[Any]) -> ColumnElement[bool]:
    return and_(sums[1] > 0, sums[3] > 0)


def _trained(takers: dict[str, tuple[int, date]]) -> dict[str, set[str]]:
    return {m.slug: set(m.skills) for m in library().modules.values() if m.slug in takers}


def _took(
    everyone: bool, params: dict[str, Any], days: int, takers: dict[str, tuple[int, date]]
) -> impact.Pairs:
    """Each taker's means of each skill the module trains, in the window before their
    first completion and the window from it (1 query: each record, then the person's
    ratings in its window, along the ratings' person index)."""
    sums = _sums(PracticeRecord.first_completed_on)
    statement = (
        select(PracticeRecord.module_slug, Rating.skill, PracticeRecord.user_id, *sums)
        .join(
            Rating,
            and_(
                Rating.employee_id == PracticeRecord.user_id,
                Rating.held_on >= days_after(PracticeRecord.first_completed_on, -days),
                Rating.held_on < days_after(PracticeRecord.first_completed_on, days),
                _SHOWN,
            ),
        )
        .where(_in_scope(PracticeRecord.user_id, everyone))
        .group_by(PracticeRecord.module_slug, Rating.skill, PracticeRecord.user_id)
        .having(_both(sums))
    )
    return _pairs(statement, params, _trained(takers))


def _others(
    everyone: bool, params: dict[str, Any], days: int, takers: dict[str, tuple[int, date]]
) -> impact.Pairs:
    """For each module and skill it trains, the means of the people who did not complete
    the module within the window of the takers' median day, before and from it (1
    query)."""
    window = timedelta(days=days)
    periods = [
        (m.slug, skill, takers[m.slug][1] - window, takers[m.slug][1], takers[m.slug][1] + window)
        for m in library().modules.values()
        if m.slug in takers
        for skill in m.skills
    ]
    if not periods:
        return {}
    around = union_all(
        *(
            select(
                literal(slug, String).label("slug"),
                literal(skill, String).label("skill"),
                literal(low, Date).label("low"),
                literal(pivot, Date).label("pivot"),
                literal(high, Date).label("high"),
            )
            for slug, skill, low, pivot, high in periods
        )
    ).subquery("around")
    took_then = exists().where(
        PracticeRecord.user_id == Rating.employee_id,
        PracticeRecord.module_slug == around.c.slug,
        PracticeRecord.first_completed_on >= around.c.low,
        PracticeRecord.first_completed_on < around.c.high,
    )
    sums = _sums(around.c.pivot)
    statement = (
        select(around.c.slug, around.c.skill, Rating.employee_id, *sums)
        .join(
            Rating,
            and_(
                Rating.skill == around.c.skill,
                Rating.held_on >= around.c.low,
                Rating.held_on < around.c.high,
                _SHOWN,
            ),
        )
        .where(_in_scope(Rating.employee_id, everyone), ~took_then)
        .group_by(around.c.slug, around.c.skill, Rating.employee_id)
        .having(_both(sums))
    )
    return _pairs(statement, params, _trained(takers))
