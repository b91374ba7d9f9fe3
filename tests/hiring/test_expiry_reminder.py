"""One reminder to a candidate who has not started, 3 days before their link expires
(an opening setting, on by default), with a fresh link that works until the same
moment: the stored token is a hash, so the first link cannot be sent again."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select, update

from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring import invitations, nudges
from coachkit.hiring.models import Candidate, CandidateStatus, Invitation, Opening
from coachkit.notifications.models import OutboxMessage
from tests.conftest import page, signed_in
from tests.hiring.conftest import opening_form

TOKEN = re.compile(r"/screening/([A-Za-z0-9_-]+)")


def expiring(app, candidate_id: int, days_left: float = 2) -> None:
    """Make the candidate's link a week old, expiring in `days_left` days."""
    with app.app_context():
        db.session.execute(
            update(Invitation)
            .where(Invitation.candidate_id == candidate_id)
            .values(
                issued_at=utcnow() - timedelta(days=7),
                expires_at=utcnow() + timedelta(days=days_left),
            )
        )
        db.session.commit()


def scan(app, days_later: int = 0) -> int:
    with app.app_context():
        made = nudges.expiring_links(utcnow() + timedelta(days=days_later))
        db.session.commit()
        return made


def test_a_candidate_who_has_not_started_gets_one_reminder_with_a_working_link(
    app, make_opening, make_candidate, invite, mailbox, run_pass
):
    opening_id = make_opening("Night desk")
    candidate_id = make_candidate(opening_id, name="Ann Lee", email="ann@example.org")
    first = invite(candidate_id)
    expiring(app, candidate_id)
    with app.app_context():
        expires = db.session.scalar(select(Invitation.expires_at))
    assert scan(app) == 1
    assert scan(app) == 0 and scan(app, days_later=1) == 0  # once
    run_pass(scan=False)
    [message] = mailbox.received
    assert message["To"] == "ann@example.org"
    assert message["Subject"] == "Reminder: your exercise for Night desk"
    token = TOKEN.search(message.get_content()).group(1)
    with app.app_context():
        invitation = invitations.find(token)
        assert invitation is not None and invitation.expires_at == expires  # same deadline
        assert invitations.state(invitation) is invitations.LinkState.USABLE
        assert invitations.find(first) is None  # the reminder's link replaced it
        [row] = db.session.scalars(select(OutboxMessage)).all()
        assert row.kind == "candidate_reminder" and row.secret_link is None


def test_no_reminder_when_started_revoked_far_off_fresh_or_switched_off(
    app, make_opening, make_candidate, invite
):
    opening_id = make_opening()
    off = make_opening("Quiet", remind_before_expiry=False)
    started, revoked, far, fresh, quiet = (
        make_candidate(opening_id),
        make_candidate(opening_id),
        make_candidate(opening_id),
        make_candidate(opening_id),
        make_candidate(off),
    )
    for candidate_id in (started, revoked, far, fresh, quiet):
        invite(candidate_id)
    for candidate_id in (started, revoked, quiet):
        expiring(app, candidate_id)
    expiring(app, far, days_left=10)
    with app.app_context():
        db.session.get(Candidate, started).status = CandidateStatus.STARTED  # kept counted
        db.session.execute(
            update(Invitation).where(Invitation.candidate_id == revoked).values(revoked_at=utcnow())
        )
        db.session.execute(
            update(Invitation)
            .where(Invitation.candidate_id == fresh)
            .values(expires_at=utcnow() + timedelta(days=2))  # issued today
        )
        db.session.commit()
    assert scan(app) == 0


def test_the_setting_is_on_by_default_and_the_form_turns_it_off(app, people, make_opening):
    opening_id = make_opening()
    with app.app_context():
        assert db.session.get(Opening, opening_id).remind_before_expiry
    client = signed_in(app, people.recruiter)
    blank = page(client.get("/hiring/openings/new"))
    assert re.search(r'<input [^>]*checked[^>]*name="remind_before_expiry"', blank)
    edit = f"/hiring/openings/{opening_id}/edit"
    assert client.post(edit, data=opening_form()).status_code == 302  # box left unticked
    with app.app_context():
        assert not db.session.get(Opening, opening_id).remind_before_expiry
    client.post(edit, data=opening_form(remind_before_expiry="y"))
    with app.app_context():
        assert db.session.get(Opening, opening_id).remind_before_expiry
