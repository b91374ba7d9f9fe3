"""The hiring desk's daily nudges: answers waiting for each rater's rating (counts
only: rating is blind) and candidates who handed in or timed out (to the opening's
owner), each once per person, opening and day, to recruiters and admins only."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from coachkit.auth.models import User
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring import nudges
from coachkit.hiring.models import Candidate
from coachkit.notifications.models import Notification, OutboxMessage


def notified(app, kind: str) -> list[tuple[int, str, str]]:
    columns = (Notification.recipient_id, Notification.subject, Notification.path)
    with app.app_context():
        found = select(*columns).where(Notification.kind == kind)
        return list(db.session.execute(found.order_by(Notification.recipient_id)).tuples())


def run(app, scan, when) -> int:
    with app.app_context():
        made = scan(when)
        db.session.commit()
        return made


def test_each_rater_hears_how_many_answers_wait_once_a_day(
    app, people, make_opening, make_candidate, submitted
):
    opening_id = make_opening("Night desk")
    make_opening("Nothing handed in yet")
    for name in ("Ann Lee", "Bo Chan"):
        submitted(make_candidate(opening_id, name=name))
    with app.app_context():
        gone = update(User).where(User.id == people.second_recruiter.id)
        db.session.execute(gone.values(active=False))
        db.session.commit()
    now = utcnow()
    assert run(app, nudges.answers_waiting, now) == 2
    rows = notified(app, "answers_waiting")
    assert [recipient for recipient, _s, _p in rows] == sorted(
        [people.recruiter.id, people.admin.id]
    )  # not the manager, the employee or a deactivated recruiter
    assert {subject for _r, subject, _p in rows} == {"2 answers to rate for Night desk"}
    assert {path for _r, _s, path in rows} == {f"/hiring/rating/openings/{opening_id}"}
    with app.app_context():
        bodies = " ".join(db.session.scalars(select(OutboxMessage.body)))
        codes = db.session.scalars(select(Candidate.code)).all()
    assert "Ann Lee" not in bodies and not any(code in bodies for code in codes)
    assert run(app, nudges.answers_waiting, now + timedelta(hours=1)) == 0  # once a day
    assert run(app, nudges.answers_waiting, now + timedelta(days=1)) == 2  # still waiting


def test_the_owner_hears_who_handed_in_or_timed_out_the_day_before(
    app, people, make_opening, make_candidate, submitted
):
    opening_id = make_opening("Night desk")
    ids = [make_candidate(opening_id, name=f"Person {i}") for i in range(3)]
    for candidate_id in ids:
        submitted(candidate_id)
    with app.app_context():
        db.session.execute(update(Candidate).where(Candidate.id == ids[0]).values(timed_out=True))
        db.session.commit()
    tomorrow = utcnow() + timedelta(days=1)
    assert run(app, nudges.handed_in, tomorrow) == 1
    [(recipient, subject, path)] = notified(app, "candidates_handed_in")
    assert recipient == people.recruiter.id  # the owner only
    assert subject == "2 candidates handed in, 1 ran out of time on Night desk"
    assert path == f"/hiring/openings/{opening_id}"
    assert run(app, nudges.handed_in, tomorrow) == 0
    # Nothing handed in the day before: nothing to tell.
    assert run(app, nudges.handed_in, tomorrow + timedelta(days=1)) == 0


def test_an_owner_who_no_longer_hires_hears_nothing(
    app, people, make_opening, make_candidate, submitted
):
    opening_id = make_opening(created_by_id=people.manager.id)
    submitted(make_candidate(opening_id))
    assert run(app, nudges.handed_in, utcnow() + timedelta(days=1)) == 0


def test_the_worker_runs_the_hiring_scans(app):
    from coachkit.notifications import scans

    assert {"hiring.answers_waiting", "hiring.handed_in"} <= set(scans.registered(app))
