"""The round's figures against scipy and hand calculations: Student's t, the group's
ratings per skill, agreement with its "no variation" case, and each manager's lean."""

from __future__ import annotations

from datetime import date

import pytest
from scipy import stats

from coachkit.auth.models import Role, User
from coachkit.calibration.leniency import MIN_RATINGS, leans
from coachkit.calibration.models import CalibrationRating, CalibrationRound, CalibrationSeat
from coachkit.calibration.results import agreement, interpret, skill_rows
from coachkit.coaching import record
from coachkit.coaching.record import SessionData
from coachkit.extensions import db
from coachkit.statistics.paired import t_cdf, t_quantile


@pytest.mark.parametrize("df", [1, 2, 3, 7, 29, 120, 5000])
def test_student_t_matches_scipy_in_the_centre_and_the_tails(df):
    for p in (0.001, 0.025, 0.3, 0.5, 0.8, 0.975, 0.9995):
        assert t_quantile(p, df) == pytest.approx(stats.t.ppf(p, df), rel=1e-9, abs=1e-12)
    for t in (-12.0, -2.0, -0.01, 0.0, 0.5, 3.0, 40.0):
        assert t_cdf(t, df) == pytest.approx(stats.t.cdf(t, df), rel=1e-9, abs=1e-14)


def _round(ratings_by_rater: list[list[int]]) -> tuple[CalibrationRound, list[CalibrationSeat]]:
    skills = [f"s{i}" for i in range(len(ratings_by_rater[0]))]
    round_ = CalibrationRound(title="t", module_slug="m", skills=skills)
    seats = [
        CalibrationSeat(
            ratings=[CalibrationRating(skill=s, rating=r) for s, r in zip(skills, row, strict=True)]
        )
        for row in ratings_by_rater
    ]
    return round_, seats


def test_skill_rows_and_percent_agreement():
    round_, seats = _round([[3, 4, 2], [3, 5, 2], [4, 3, 2]])
    rows = skill_rows(round_, seats)
    assert [row.mean for row in rows] == pytest.approx([10 / 3, 4, 2])
    assert rows[0].spread == pytest.approx(stats.tstd([3, 3, 4], ddof=0))
    assert rows[1].apart(2) and not rows[0].apart(0)  # 3 vs mean(4, 5) = 4.5
    found = agreement(rows)
    # pairs: s0 (0,1,1) s1 (1,1,2) s2 (0,0,0): 4 exact of 9, 8 within one
    assert (found.exact, found.within_one, found.pairs) == pytest.approx((4 / 9, 8 / 9, 9))
    assert found.alpha is not None


def test_raters_who_agree_without_variation_are_said_to_agree():
    round_, seats = _round([[4, 4], [4, 4]])
    found = agreement(skill_rows(round_, seats))
    assert found.alpha is None and found.no_variation
    assert interpret(found) == "Every manager gave every skill the same rating: full agreement."
    one = agreement(skill_rows(*_round([[4, 4]])))
    assert interpret(one).startswith("Agreement shows once at least two")


def _coach(app, make_user, ratings: list[tuple[str, int]]) -> int:
    coach = make_user(Role.MANAGER)
    employee = make_user()
    with app.test_request_context():
        coach_user, employee_user = (
            db.session.get(User, coach.id),
            db.session.get(User, employee.id),
        )
        for skill, rating in ratings:  # one session per rating: one rating a skill a session
            data = SessionData(
                held_on=date(2026, 1, 5),
                kind="One-to-one",
                notes={},
                private=set(),
                ratings={skill: rating},
                next_session_on=None,
                actions=[],
            )
            record.create(employee_user, coach_user, data)
        db.session.commit()
    return coach.id


def test_a_managers_lean_against_peers_matches_a_hand_calculation(app, make_user):
    mine = [("empathy", r) for r in (4, 5, 4, 5, 4, 5)] + [
        ("ownership", r) for r in (3, 4, 4, 5, 3, 4)
    ]
    peers_a = [("empathy", r) for r in (3, 3, 4)] + [("ownership", r) for r in (2, 3)]
    peers_b = [("empathy", r) for r in (2, 4)] + [("ownership", r) for r in (3, 3, 4)]
    me = _coach(app, make_user, mine)
    _coach(app, make_user, peers_a)
    _coach(app, make_user, peers_b)
    with app.app_context():
        found = leans([me])[me]
    peer_mean = {"empathy": (3 + 3 + 4 + 2 + 4) / 5, "ownership": (2 + 3 + 3 + 3 + 4) / 5}
    offsets = [r - peer_mean[s] for s, r in mine]
    low, high = stats.t.interval(
        0.95, len(offsets) - 1, loc=stats.tmean(offsets), scale=stats.sem(offsets)
    )
    assert found.n == len(offsets) == 12 >= MIN_RATINGS
    assert (found.mean, found.low, found.high) == pytest.approx((stats.tmean(offsets), low, high))
    assert "lenient" in found.words


def test_a_lean_needs_peers_and_enough_ratings(app, make_user):
    alone = _coach(app, make_user, [("empathy", 3), ("empathy", 4)])
    with app.app_context():
        assert leans([alone])[alone].n == 0
    few = _coach(app, make_user, [("empathy", 5), ("empathy", 5)])
    with app.app_context():
        lean = leans([few])[few]
    assert lean.n == 2 and "Too few coaching ratings" in lean.words
