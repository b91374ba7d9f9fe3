"""Screening validity: figures against scipy, the small-n floor, suppression under 5,
what counts as a hire's first days, and the cache moving on with the data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from scipy import stats

from coachkit.evidence.validity import validity_report
from coachkit.extensions import db
from coachkit.hiring.models import Candidate, Opening, SkillResult
from tests.conftest import page, signed_in
from tests.evidence.conftest import TODAY

SKILL = "active-listening"
START = TODAY - timedelta(days=300)
# Screening scores and each hire's two coaching ratings in their first 180 days.
HIRES = [
    (3.1, (2, 3)),
    (3.4, (3, 3)),
    (3.6, (3, 4)),
    (3.9, (4, 3)),
    (4.0, (4, 4)),
    (4.2, (3, 4)),
    (4.4, (4, 5)),
    (4.5, (5, 4)),
    (3.3, (2, 2)),
    (4.8, (5, 5)),
    (3.8, (3, 3)),
    (4.1, (4, 5)),
]


@pytest.fixture
def hires(org, join, hand_over, rate):
    """hires(k) -> the first k of HIRES handed over, each rated twice in their first
    days; returns the (screening, mean coaching) points and the people."""

    def make(count: int) -> tuple[list[tuple[float, float]], list]:
        people = join(org.team_id, count)
        for person, (score, ratings) in zip(people, HIRES[:count], strict=True):
            hand_over(person, {SKILL: score, "empathy": 3.5}, START)
            for days, rating in zip((20, 60), ratings, strict=True):
                rate(person, START + timedelta(days=days), {SKILL: rating})
        return [(score, sum(r) / 2) for score, r in HIRES[:count]], people

    return make


def _coaching(app):
    with app.app_context():
        report = validity_report(180)
        skill = next(s for s in report.skills if s.skill == SKILL)
        return skill.criteria[0]


def test_figures_match_scipy(app, hires):
    points, _people = hires(12)
    found = _coaching(app)
    xs, ys = zip(*sorted(points), strict=True)
    expected = stats.pearsonr(xs, ys)
    assert found.n == 12
    assert found.pearson == pytest.approx(expected.statistic, abs=1e-12)
    interval = expected.confidence_interval(0.95)
    assert found.pearson_interval == pytest.approx((interval.low, interval.high), abs=1e-9)
    assert found.spearman == pytest.approx(stats.spearmanr(xs, ys).statistic, abs=1e-12)
    assert list(found.points) == sorted(points)
    assert found.judged and "Too few" not in found.reading


def test_under_five_hires_nothing_is_shown(app, org, hires):
    hires(4)
    found = _coaching(app)
    assert found.n == 4 and found.suppressed
    assert found.points == () and found.pearson is None
    html = page(signed_in(app, org.recruiter).get("/evidence/validity"))
    assert "Fewer than 5 hires have both" in html
    assert "scatter-dot" not in html and "<td>3.1</td>" not in html


def test_below_the_floor_figures_are_shown_but_not_judged(app, org, hires):
    hires(6)
    found = _coaching(app)
    assert found.n == 6 and not found.suppressed and not found.judged
    html = page(signed_in(app, org.recruiter).get("/evidence/validity"))
    assert "Too few hires to judge" in html
    assert html.count('class="scatter-dot"') >= 5  # (two hires may share a spot)


def test_private_and_late_ratings_are_left_out(app, org, join, hand_over, rate):
    people = join(org.team_id, 5)
    for number, person in enumerate(people):
        hand_over(person, {SKILL: 3.0 + number / 4}, START)
        rate(person, START + timedelta(days=10), {SKILL: 3})
        rate(person, START + timedelta(days=20), {SKILL: 1}, private=True)  # left out
        rate(person, START + timedelta(days=200), {SKILL: 5})  # after the first 180 days
    found = _coaching(app)
    assert found.n == 5
    assert {y for _x, y in found.points} == {3.0}


def test_range_restriction_correction_uses_the_applicant_pool(app, org, hires):
    hires(12)
    with app.app_context():  # a pool of 30 candidates spread 1 to 5 on the skill
        opening = Opening(
            title="Care adviser",
            exercise_slug="an-afternoon-on-the-help-line",
            exercise_version="1",
            contact_name="Rae",
            contact_email="rae@example.com",
        )
        db.session.add(opening)
        db.session.flush()
        for number in range(30):
            candidate = Candidate(
                opening=opening, code=f"C{number:03}", name="x", email=f"c{number}@example.com"
            )
            candidate.skill_results.append(SkillResult(skill=SKILL, score=1 + (number % 9) / 2))
            db.session.add(candidate)
        db.session.commit()
    found = _coaching(app)
    pool = [1 + (number % 9) / 2 for number in range(30)]
    u = stats.tstd(pool) / stats.tstd([x for x, _y in found.points])
    r = found.pearson
    assert found.pool is not None and found.pool.n == 30
    assert found.corrected == pytest.approx(r * u / (1 - r * r + r * r * u * u) ** 0.5)
    assert found.corrected > r
    html = page(signed_in(app, org.admin).get("/evidence/validity"))
    assert "Corrected for restriction of range" in html
    assert "chosen directly on this score" in html


def test_a_new_rating_moves_the_cached_report_on(app, org, hires, rate):
    _points, people = hires(5)
    before = _coaching(app)
    rate(people[0], START + timedelta(days=30), {SKILL: 1})
    after = _coaching(app)
    assert after.points != before.points
