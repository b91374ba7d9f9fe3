"""The evidence pages run the same number of statements at ten times the data, on a
fresh computation and from the cache (which a warm request reads with one query)."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import signed_in
from tests.evidence.conftest import TODAY, counted

SKILL = "empathy"


def _grow(org, join, hand_over, rate, complete, size):
    """`size` hires and `size` takers of the module in the manager's team, with ratings."""
    people = join(org.team_id, 2 * size)
    start = TODAY - timedelta(days=300)
    for number, person in enumerate(people):
        if number < size:
            hand_over(person, {SKILL: 3 + number % 3 * 0.5}, start)
            rate(person, start + timedelta(days=30), {SKILL: 2 + number % 3})
        else:
            done = TODAY - timedelta(days=60)
            rate(person, done - timedelta(days=10), {SKILL: 3})
            rate(person, done + timedelta(days=10), {SKILL: 3 + number % 2})
            complete(person, done)


def _statements(app, client, path):
    with counted(app) as cold:
        assert client.get(path).status_code == 200
    with counted(app) as warm:
        assert client.get(path).status_code == 200
    return len(cold), len(warm)


def test_query_counts_stay_the_same_as_the_data_grows(app, org, join, hand_over, rate, complete):
    viewers = {
        "/evidence/validity": [signed_in(app, org.recruiter), signed_in(app, org.admin)],
        "/evidence/impact": [signed_in(app, org.manager), signed_in(app, org.admin)],
    }
    counts = {}
    for size in (5, 50):
        _grow(org, join, hand_over, rate, complete, size)
        counts[size] = {
            (path, number): _statements(app, client, path)
            for path, clients in viewers.items()
            for number, client in enumerate(clients)
        }
    assert counts[5] == counts[50]
    for (path, viewer), (cold, warm) in counts[50].items():
        assert cold <= 10 and warm <= 4, path
        # The first viewer computes; an admin after a recruiter reads the same report.
        assert warm < cold if viewer == 0 or path == "/evidence/impact" else warm == cold
