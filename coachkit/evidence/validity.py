"""Screening validity: does a hire's screening score on a skill predict how they do on
that skill in their first days at work?

For each hire handed over from an opening (with an account to follow), each skill's
screening score is set against two later measures of the same skill in the hire's
first `days` days: the mean of their coaching ratings (ratings a coach kept private
are left out) and the mean of their practice results. Pearson and Spearman with 95%
intervals; nothing is shown for fewer than MIN_SHOWN hires. Only hires have later
results, so the screening scores' range is narrower than the applicant pool's: the
report gives Thorndike's case 2 correction beside the observed figure.

Data: 5 queries for the whole organisation, cached by `revision.data_revision`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import fmean, stdev

from sqlalchemy import bindparam, func, select

from coachkit.auth.models import User
from coachkit.coaching.models import Rating
from coachkit.content.library import library
from coachkit.database import plain_rows
from coachkit.evidence import reading, scatter
from coachkit.evidence.revision import data_revision
from coachkit.hiring.models import Candidate, Handover, Opening, SkillResult
from coachkit.revision_cache import RevisionCache
from coachkit.statistics import correlation
from coachkit.training.models import SkillScore

COACHING, PRACTICE = "coaching ratings", "practice results"


@dataclass(frozen=True)
class Hire:
    screening: dict[str, float]
    coaching: dict[str, float]  # skill -> mean rating in the first days
    practice: dict[str, float]


@dataclass(frozen=True)
class Pool:
    """A skill's screening scores over every scored candidate of the hires' exercises."""

    n: int
    sd: float | None


@dataclass(frozen=True)
class Correlation:
    criterion: str
    n: int
    points: tuple[tuple[float, float], ...]  # empty when suppressed
    pearson: float | None = None
    pearson_interval: tuple[float, float] | None = None
    spearman: float | None = None
    spearman_interval: tuple[float, float] | None = None
    sd_hires: float | None = None
    pool: Pool | None = None
    corrected: float | None = None

    @property
    def suppressed(self) -> bool:
        return self.n < reading.MIN_SHOWN

    @property
    def judged(self) -> bool:
        return self.n >= reading.MIN_JUDGED

    @property
    def reading(self) -> str:
        return reading.correlation_reading(self.pearson, self.pearson_interval, self.n)

    @property
    def plot(self) -> scatter.Plot:
        return scatter.plot(self.points)


@dataclass(frozen=True)
class SkillValidity:
    skill: str
    name: str
    criteria: tuple[Correlation, Correlation]


@dataclass(frozen=True)
class ValidityReport:
    days: int
    hires: int  # handed over with an account
    skills: list[SkillValidity]


_reports = RevisionCache[ValidityReport](size=16)


def validity_report(days: int) -> ValidityReport:
    """The report for hires' first `days` days (1 query when nothing changed)."""
    return _reports.get(("validity", days, data_revision()), lambda: _report(days))


def _report(days: int) -> ValidityReport:
    hires, slugs = _hires(days)
    pools = _pools(slugs)
    names = {skill.id: skill.name for skill in library().skills.values()}
    measured = {skill for hire in hires for skill in hire.screening}
    skills = [
        SkillValidity(
            skill,
            names.get(skill, skill),
            (
                _correlation(COACHING, [(h.screening, h.coaching) for h in hires], skill, pools),
                _correlation(PRACTICE, [(h.screening, h.practice) for h in hires], skill, pools),
            ),
        )
        for skill in [*names, *sorted(measured - names.keys())]
        if skill in measured
    ]
    return ValidityReport(days, len(hires), skills)


def _correlation(
    criterion: str,
    pairs: list[tuple[dict[str, float], dict[str, float]]],
    skill: str,
    pools: dict[str, Pool],
) -> Correlation:
    points = sorted((s[skill], c[skill]) for s, c in pairs if skill in s and skill in c)
    n = len(points)
    if n < reading.MIN_SHOWN:
        return Correlation(criterion, n, ())
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    r, rho = correlation.pearson(xs, ys), correlation.spearman(xs, ys)
    sd_hires = stdev(xs)
    pool = pools.get(skill)
    corrected = None
    if r is not None and pool and pool.sd and pool.n >= reading.MIN_JUDGED and pool.sd > sd_hires:
        corrected = correlation.thorndike_case2(r, sd_hires, pool.sd)
    return Correlation(
        criterion,
        n,
        tuple(points),
        r,
        correlation.fisher_interval(r, n) if r is not None else None,
        rho,
        correlation.fisher_interval(rho, n, correlation.SPEARMAN_VARIANCE)
        if rho is not None
        else None,
        sd_hires,
        pool,
        corrected,
    )


_HANDOVERS = select(
    Handover.user_id, Handover.email, Handover.created_at, Handover.skills, Handover.exercise_slug
)
# Accounts made since a hand-over with its e-mail address (any case).
_ACCOUNTS = select(func.lower(User.email), User.id).where(
    func.lower(User.email).in_(bindparam("emails", expanding=True)), User.active.is_(True)
)
_RATINGS = select(Rating.employee_id, Rating.skill, Rating.held_on, Rating.rating).where(
    Rating.employee_id.in_(bindparam("ids", expanding=True)), Rating.private.is_(False)
)
_PRACTICE = select(
    SkillScore.user_id, SkillScore.skill, SkillScore.completed_at, SkillScore.rating_tenths
).where(
    SkillScore.user_id.in_(bindparam("ids", expanding=True)), SkillScore.rating_tenths.is_not(None)
)


def _hires(days: int) -> tuple[list[Hire], set[str]]:
    """Every hire with an account, and their first days' means (4 queries)."""
    handovers = plain_rows(_HANDOVERS)
    emails = sorted({email.strip().lower() for user_id, email, *_rest in handovers if not user_id})
    accounts: dict[str, int] = {
        email: user_id for email, user_id in plain_rows(_ACCOUNTS, {"emails": emails})
    }
    # A person handed over twice (rehired) counts once, from their first hand-over.
    starts: dict[int, tuple[date, dict[str, float]]] = {}
    for user_id, email, created_at, skills, _slug in sorted(handovers, key=lambda row: row[2]):
        account = user_id or accounts.get(email.strip().lower())
        if account is not None:
            starts.setdefault(account, (created_at.date(), dict(skills or {})))
    ids = list(starts)
    coaching = _window_means(plain_rows(_RATINGS, {"ids": ids}), starts, days, 1)
    practice = _window_means(plain_rows(_PRACTICE, {"ids": ids}), starts, days, 10)
    hires = [
        Hire(screening, coaching.get(user_id, {}), practice.get(user_id, {}))
        for user_id, (_start, screening) in starts.items()
    ]
    return hires, {row[4] for row in handovers}


def _window_means(
    rows: list, starts: dict[int, tuple[date, dict[str, float]]], days: int, scale: int
) -> dict[int, dict[str, float]]:
    """Each person's mean per skill of the values dated in their first `days` days."""
    values: dict[tuple[int, str], list[float]] = defaultdict(list)
    for user_id, skill, when, value in rows:
        start = starts[user_id][0]
        on = when.date() if hasattr(when, "date") else when
        if start <= on < start + timedelta(days=days):
            values[user_id, skill].append(value / scale)
    means: dict[int, dict[str, float]] = defaultdict(dict)
    for (user_id, skill), found in values.items():
        means[user_id][skill] = fmean(found)
    return means


def _pools(slugs: set[str]) -> dict[str, Pool]:
    """Each skill's spread of screening scores over all scored candidates of these
    exercises (1 query)."""
    score = SkillResult.score
    rows = plain_rows(
        select(SkillResult.skill, func.count(), func.sum(score), func.sum(score * score))
        .join(Candidate, Candidate.id == SkillResult.candidate_id)
        .join(Opening, Opening.id == Candidate.opening_id)
        .where(Opening.exercise_slug.in_(bindparam("slugs", expanding=True)))
        .group_by(SkillResult.skill),
        {"slugs": sorted(slugs)},
    )
    pools = {}
    for skill, n, total, squares in rows:
        variance = (squares - total * total / n) / (n - 1) if n > 1 else None
        pools[skill] = Pool(n, max(variance, 0.0) ** 0.5 if variance is not None else None)
    return pools
