"""The bounded load test (bench/loadtest.py), shortened: fifty people for 20 s on
gunicorn over loopback. No request fails, every step of every journey runs, and the
request log it wrote is JSON without a secret. `make loadtest` runs the full minute."""

from __future__ import annotations

import pytest

from bench.journeys import STEPS
from bench.loadtest import run, table

SECONDS = 20
USERS = 50


@pytest.mark.slow
def test_fifty_people_for_twenty_seconds_meet_no_error(capsys):
    report = run(SECONDS, USERS)
    with capsys.disabled():  # the table, p95 included, in the test output
        print(f"\n{table(report)}")

    assert report["errors"] == 0, report["error_messages"]
    assert sum(report["people"].values()) == USERS
    assert all(report["people"][role] >= 1 for role in STEPS)
    exercised = {step["step"] for step in report["steps"] if step["requests"]}
    expected = {f"{role}: {step}" for role, steps in STEPS.items() for step in steps}
    assert expected <= exercised, sorted(expected - exercised)
    assert report["p95_ms"] is not None
    log = report["log"]
    assert log["request_lines"] >= report["requests"]
    assert log["invalid_lines"] == 0
    assert log["lines_with_secrets"] == 0
