"""The practice records the impact report reads (`training.practice`): kept with each
attempt as it completes or changes, numbered by start, and the report's windows read
from them to the day."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from coachkit.evidence.impact_report import impact_report
from coachkit.extensions import db
from coachkit.training.models import Attempt, PracticeRecord
from tests.evidence.conftest import SLUG, TODAY, moment

DONE = TODAY - timedelta(days=60)


def _record(app, person):
    with app.app_context():
        row = db.session.execute(
            select(
                PracticeRecord.first_completed_on,
                PracticeRecord.result_1,
                PracticeRecord.result_2,
                PracticeRecord.result_3,
            ).where(PracticeRecord.user_id == person.id, PracticeRecord.module_slug == SLUG)
        ).one_or_none()
        db.session.remove()
    return None if row is None else tuple(row)


def test_each_completion_keeps_the_first_day_and_results_in_the_order_started(
    app, org, join, complete
):
    (person,) = join(org.team_id, 1)
    assert _record(app, person) is None
    complete(person, DONE, ending="poor")
    assert _record(app, person) == (DONE, 1, None, None)
    complete(person, DONE + timedelta(days=2), ending="good")
    complete(person, DONE + timedelta(days=4), ending="mixed")
    complete(person, DONE + timedelta(days=6), ending="mixed")  # a fourth: not kept
    assert _record(app, person) == (DONE, 1, 3, 2)
    with app.app_context():  # the last one turns out to have been started first
        last = db.session.scalar(
            select(Attempt).where(Attempt.user_id == person.id).order_by(Attempt.id.desc())
        )
        last.started_at = moment(DONE) - timedelta(days=1)
        db.session.commit()
    assert _record(app, person) == (DONE, 2, 1, 3)


def test_the_windows_reach_to_the_day(app, org, join, rate, complete):
    """A rating `days` before completing counts as before, one on the day as after, one
    `days` after it not at all (as before the records; on both engines)."""
    people = join(org.team_id, 5)
    for number, person in enumerate(people):
        rate(person, DONE - timedelta(days=30), {"empathy": 2})
        rate(person, DONE - timedelta(days=31), {"empathy": 1})  # outside: not counted
        rate(person, DONE, {"empathy": 3 + number % 2})
        rate(person, DONE + timedelta(days=30), {"empathy": 1})  # outside: not counted
        complete(person, DONE)
    with app.app_context():
        module = next(m for m in impact_report(None, 30).modules if m.slug == SLUG)
    empathy = next(s for s in module.skills if s.skill == "empathy")
    assert module.takers == 5 and module.pivot == DONE
    assert empathy.took.n == 5
    assert empathy.took.difference.mean == (1 + 2 + 1 + 2 + 1) / 5
