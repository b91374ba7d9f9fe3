"""Training impact: paired changes against scipy, the comparison group, suppression
under 5, the manager's view limited to their teams, and practice by attempt."""

from __future__ import annotations

from datetime import timedelta

import pytest
from scipy import stats

from coachkit.evidence.impact_report import impact_report
from tests.conftest import page, signed_in
from tests.evidence.conftest import SLUG, TODAY

SKILL = "empathy"  # trained by SLUG
DONE = TODAY - timedelta(days=60)
# (before, after) ratings of SKILL around each taker's completion.
TAKERS = [(2, 3), (3, 4), (2, 2), (3, 5), (2, 4), (4, 4), (3, 3)]
# The same for people who did not take the module, around the takers' median date.
OTHERS = [(3, 3), (2, 3), (4, 3), (3, 3), (2, 2)]


@pytest.fixture
def impact_data(org, join, rate, complete):
    """Takers and others in the manager's team, each rated once before and once after."""

    def make(team_id, takers=TAKERS, others=OTHERS):
        people = join(team_id, len(takers) + len(others))
        for person, (before, after) in zip(people, takers + others, strict=True):
            rate(person, DONE - timedelta(days=20), {SKILL: before})
            rate(person, DONE + timedelta(days=20), {SKILL: after})
        for person in people[: len(takers)]:
            complete(person, DONE)
        return people

    return make


def _empathy(report):
    module = next(m for m in report.modules if m.slug == SLUG)
    return next(s for s in module.skills if s.skill == SKILL)


def test_paired_changes_match_scipy(app, org, impact_data):
    impact_data(org.team_id)
    with app.app_context():
        row = _empathy(impact_report(None, 90))
    for group, pairs in ((row.took, TAKERS), (row.others, OTHERS)):
        before, after = zip(*pairs, strict=True)
        expected = stats.ttest_rel(after, before).confidence_interval(0.95)
        assert group.n == len(pairs)
        assert group.difference.mean == pytest.approx(
            sum(after) / len(after) - sum(before) / len(before)
        )
        assert (group.difference.low, group.difference.high) == pytest.approx(
            (expected.low, expected.high), abs=1e-10
        )


def test_groups_under_five_are_suppressed(app, org, impact_data):
    impact_data(org.team_id, takers=TAKERS[:4], others=OTHERS[:5])
    with app.app_context():
        row = _empathy(impact_report(None, 90))
    assert row.took.n == 4 and row.took.suppressed and row.took.difference is None
    assert "Fewer than 5 people" in row.took.reading
    assert not row.others.suppressed
    html = page(signed_in(app, org.admin).get("/evidence/impact"))
    assert "Fewer than 5 people" in html


def test_small_groups_are_worded_as_hints(app, org, impact_data):
    impact_data(org.team_id)
    with app.app_context():
        row = _empathy(impact_report(None, 90))
    assert "Only 7 people: read it as a hint" in row.took.reading


def test_a_manager_sees_only_their_own_teams(app, org, impact_data):
    impact_data(org.team_id)  # 7 takers in the manager's team...
    impact_data(org.other_team_id, takers=[(1, 5)] * 6, others=[])  # ...6 in the other
    mine = page(signed_in(app, org.manager).get("/evidence/impact"))
    theirs = page(signed_in(app, org.other_manager).get("/evidence/impact"))
    everyone = page(signed_in(app, org.admin).get("/evidence/impact"))
    assert "n = 7)" in mine and "n = 13)" not in mine and "+4.00" not in mine
    assert "+4.00" in theirs and "n = 6)" in theirs and "n = 7)" not in theirs
    assert "n = 13)" in everyone
    assert "people in your teams" in mine and "everyone" in everyone


def test_practice_results_by_attempt_number(app, org, join, complete):
    people = join(org.team_id, 6)
    firsts = ["poor", "mixed", "poor", "good", "mixed", "poor"]
    seconds = ["good", "good", "mixed", "good", "good", "mixed"]
    for person, first, second in zip(people, firsts, seconds, strict=True):
        complete(person, DONE, ending=first)
        complete(person, DONE + timedelta(days=3), ending=second)
    complete(people[0], DONE + timedelta(days=5), ending="good")  # one third: under 5
    with app.app_context():
        found = next(r for r in impact_report(None, 90).retries if r.slug == SLUG)
    score = {"poor": 1, "mixed": 2, "good": 3}
    before, after = [score[e] for e in firsts], [score[e] for e in seconds]
    first, second, third = found.numbers
    assert (first.n, second.n, third.n) == (6, 6, 1)
    assert first.mean == pytest.approx(sum(before) / 6) and first.good == pytest.approx(1 / 6)
    assert second.good == pytest.approx(4 / 6) and third.suppressed and third.mean is None
    expected = stats.ttest_rel(after, before).confidence_interval(0.95)
    assert found.retried == 6
    assert found.second_minus_first.mean == pytest.approx((sum(after) - sum(before)) / 6)
    assert (found.second_minus_first.low, found.second_minus_first.high) == pytest.approx(
        (expected.low, expected.high), abs=1e-10
    )
