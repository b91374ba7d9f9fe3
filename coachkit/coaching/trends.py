"""Skill trends: coaching ratings and practice ratings per month (both 1-5), their SVG
chart, and what a trend page (a person's or a team's) shows.

Two queries (grouped by month in SQL) whatever the number of sessions or attempts; the
chart is plain geometry for the template to draw, with the same numbers in a table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import Select, func, select

from coachkit.coaching.models import Rating
from coachkit.content.library import library
from coachkit.database import utcnow, year_month
from coachkit.extensions import db
from coachkit.training.models import SkillScore

MONTHS = 12
WIDTH, PANEL_HEIGHT, LEFT, RIGHT, TOP, GAP = 640, 140, 48, 28, 24, 56


@dataclass(frozen=True)
class MonthValue:
    month: str  # YYYY-MM
    coaching: float | None
    coaching_count: int
    training: float | None
    training_count: int


def months_ending(today: date, count: int = MONTHS) -> list[str]:
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def monthly(
    people: Select[tuple[int]] | list[int], skill: str, today: date, *, include_private: bool
) -> list[MonthValue]:
    """Per month of the last year: the mean coaching rating and the mean practice rating
    (1-5; an attempt's rating of the skill, as stored when it completed)."""
    months = months_ending(today)
    start = date.fromisoformat(months[0] + "-01")
    rating_month = year_month(Rating.held_on)
    ratings = select(rating_month, func.avg(Rating.rating), func.count()).where(
        Rating.employee_id.in_(people), Rating.skill == skill, Rating.held_on >= start
    )
    if not include_private:
        ratings = ratings.where(Rating.private.is_(False))
    coaching = {m: (float(a), n) for m, a, n in db.session.execute(ratings.group_by(rating_month))}
    score_month = year_month(SkillScore.completed_at)
    scores = (
        select(score_month, func.avg(SkillScore.rating_tenths) / 10.0, func.count())
        .where(SkillScore.user_id.in_(people), SkillScore.skill == skill)
        .where(SkillScore.rating_tenths.is_not(None))
        .where(SkillScore.completed_at >= _midnight(start))
        .group_by(score_month)
    )
    training = {m: (float(a), n) for m, a, n in db.session.execute(scores)}
    return [
        MonthValue(
            month,
            round(coaching[month][0], 1) if month in coaching else None,
            coaching.get(month, (0.0, 0))[1],
            round(training[month][0], 1) if month in training else None,
            training.get(month, (0.0, 0))[1],
        )
        for month in months
    ]


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


@dataclass(frozen=True)
class Panel:
    title: str
    top: float
    ticks: list[tuple[float, str]]  # (y, label)
    lines: list[str]  # SVG polyline point lists, broken where a month has no data
    points: list[tuple[float, float, str]]  # (x, y, label)


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    months: list[tuple[float, str]]  # (x, label) along the bottom axis
    panels: list[Panel]
    empty: bool
    month_names: dict[str, str]  # YYYY-MM -> "Nov 2026", for the table


def chart(values: list[MonthValue]) -> Chart:
    """Two panels on one month axis and one scale: coaching rating (1-5) above, practice
    rating (1-5) below."""
    step = (WIDTH - LEFT - RIGHT) / max(1, len(values) - 1)
    xs = [LEFT + i * step for i in range(len(values))]
    coaching = [v.coaching for v in values]
    training = [v.training for v in values]
    present = [t for t in training if t is not None]
    scale = [1.0, 2.0, 3.0, 4.0, 5.0]
    panels = [
        _panel("Coaching rating (1 to 5)", TOP, xs, coaching, 1.0, 5.0, scale),
        _panel("Practice rating (1 to 5)", TOP + PANEL_HEIGHT + GAP, xs, training, 1.0, 5.0, scale),
    ]
    labels = [(x, _month_label(v.month)) for x, v in zip(xs, values, strict=True)]
    return Chart(
        WIDTH,
        TOP + 2 * PANEL_HEIGHT + GAP + 28,
        labels,
        panels,
        empty=not any(c is not None for c in coaching) and not present,
        month_names={v.month: _month_label(v.month, long=True) for v in values},
    )


def _panel(
    title: str,
    top: float,
    xs: list[float],
    values: list[float | None],
    low: float,
    high: float,
    ticks: list[float],
) -> Panel:
    def y(value: float) -> float:
        return round(top + PANEL_HEIGHT - (value - low) / (high - low) * PANEL_HEIGHT, 1)

    lines: list[str] = []
    run: list[str] = []
    points = []
    for x, value in zip(xs, values, strict=True):
        if value is None:
            if len(run) > 1:
                lines.append(" ".join(run))
            run = []
            continue
        run.append(f"{x:.1f},{y(value)}")
        points.append((round(x, 1), y(value), f"{value:g}"))
    if len(run) > 1:
        lines.append(" ".join(run))
    return Panel(title, top, [(y(t), f"{t:g}") for t in ticks], lines, points)


def _month_label(month: str, *, long: bool = False) -> str:
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    year, number = month.split("-")
    return f"{names[int(number) - 1]} {year if long else year[2:]}"


def trend_page(people: Select[tuple[int]] | list[int], requested: str | None) -> dict[str, Any]:
    """The chosen skill's monthly trend (the first skill when none or an unknown one is
    asked for), as chart geometry and as table rows."""
    skills = library().skills
    skill = requested if requested in skills else next(iter(skills))
    values = monthly(people, skill, utcnow().date(), include_private=True)
    return {
        "skills": skills,
        "skill": skills[skill],
        "values": values,
        "chart": chart(values),
    }
