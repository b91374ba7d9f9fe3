"""Invite links from the candidate's page and "Invite all": shown until replaced, or e-mailed
through the outbox (the request writes the e-mails, the worker sends them), resent,
revoked."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from coachkit.auth.sessions import token_digest
from coachkit.extensions import db
from coachkit.hiring import invitations
from coachkit.hiring.candidates import deletion
from coachkit.hiring.models import Candidate, CandidateStatus, Invitation
from coachkit.notifications.models import OutboxMessage, OutboxState
from tests.conftest import page, signed_in
from tests.hiring.conftest import words

LINK = re.compile(r'value="(https://coachkit\.test/screening/([A-Za-z0-9_-]+))"')


# Invite links ----------------------------------------------------------------------


def test_without_smtp_the_link_stays_shown_until_replaced_and_is_stored_sealed(
    app, people, make_opening, make_candidate
):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id, name="Ann Lee")
    client = signed_in(app, people.recruiter)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    response = client.post(f"{url}/invite")
    assert response.status_code == 302  # post/redirect/get
    assert response.headers["Location"] == f"/hiring/openings/{opening_id}/invite-links"
    text = page(client.get(response.headers["Location"]))
    assert "E-mail is not configured" in text
    assert "reloading this page issues no new link" in text
    link, token = LINK.search(text).groups()
    assert "Copy link" in text and "Dear Ann Lee" in text and link in text
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        assert invitation.token_hash == token_digest(token)
        assert invitation.sealed_link and token not in invitation.sealed_link
        assert not invitation.emailed
        assert db.session.get(Candidate, candidate_id).status == CandidateStatus.INVITED
    assert token in page(client.get(url))  # still shown on the candidate's page


def test_resend_issues_a_new_link_and_the_old_one_stops(app, people, make_opening, make_candidate):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    client = signed_in(app, people.recruiter)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    first = LINK.search(page(client.post(f"{url}/invite", follow_redirects=True))).group(2)
    second = LINK.search(page(client.post(f"{url}/invite", follow_redirects=True))).group(2)
    assert first != second
    with app.app_context():
        assert invitations.find(first) is None
        assert invitations.find(second).times_sent == 2
    assert "Times sent 2" in words(client.get(url))
    assert first not in page(client.get(url)) and second in page(client.get(url))


def test_with_smtp_the_link_is_emailed_by_the_worker(
    app, people, make_opening, make_candidate, mailbox, connections, run_pass
):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id, name="Ann Lee", email="ann@example.org")
    client = signed_in(app, people.recruiter)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    response = client.post(f"{url}/invite")
    assert response.headers["Location"] == url
    assert connections == [] and mailbox.received == []  # the request sent nothing
    text = words(client.get(url))
    assert "1 invitation on the way by e-mail." in text
    assert "e-mailed to the candidate" in text
    assert run_pass().sent == 1
    [message] = mailbox.received
    assert message["To"] == "ann@example.org"
    assert "Ann Lee" in message.get_body(("plain",)).get_content()
    token = re.search(r"/screening/([A-Za-z0-9_-]+)", message.get_content()).group(1)
    with app.app_context():
        invitation = invitations.find(token)
        assert invitation is not None and invitation.emailed
        [row] = db.session.scalars(select(OutboxMessage)).all()
        assert row.kind == "candidate_invite" and row.secret_link is None
        assert token not in row.body


def test_a_resend_withdraws_the_invitation_not_sent_yet(
    app, people, make_opening, make_candidate, mailbox, run_pass
):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id, email="ann@example.org")
    client = signed_in(app, people.recruiter)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    client.post(f"{url}/invite")
    client.post(f"{url}/invite")
    with app.app_context():
        kinds = db.session.scalars(select(OutboxMessage.kind)).all()
        assert kinds == ["candidate_invite_resent"]
    run_pass()
    [message] = mailbox.received
    assert message["Subject"].startswith("A new link to exercise for")
    token = re.search(r"/screening/([A-Za-z0-9_-]+)", message.get_content()).group(1)
    with app.app_context():
        assert invitations.find(token).times_sent == 2  # the link that went is the live one


def test_revoking_or_deleting_withdraws_waiting_invitations(
    app, people, make_opening, make_candidate, mailbox, run_pass
):
    opening_id = make_opening()
    revoked, deleted = make_candidate(opening_id), make_candidate(opening_id)
    client = signed_in(app, people.recruiter)
    base = f"/hiring/openings/{opening_id}/candidates"
    for candidate_id in (revoked, deleted):
        client.post(f"{base}/{candidate_id}/invite")
    client.post(f"{base}/{revoked}/revoke")
    with app.app_context():
        deletion.delete_candidate(db.session.get(Candidate, deleted))
        db.session.commit()
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    assert run_pass().sent == 0 and mailbox.received == []


def test_revoke_stops_the_link(app, people, make_opening, make_candidate, invite):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    token = invite(candidate_id)
    client = signed_in(app, people.recruiter)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    response = client.post(f"{url}/revoke", follow_redirects=True)
    assert "Link revoked" in page(response)
    with app.app_context():
        assert invitations.state(invitations.find(token)) == invitations.LinkState.REVOKED
    assert "Revoke link" not in page(client.get(url))


def test_a_candidate_who_handed_in_gets_no_new_link(
    app, people, make_opening, make_candidate, submitted
):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    submitted(candidate_id)
    response = signed_in(app, people.recruiter).post(
        f"/hiring/openings/{opening_id}/candidates/{candidate_id}/invite", follow_redirects=True
    )
    assert "a new link would accept nothing" in page(response)
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_invite_all_without_smtp_lists_each_new_candidates_link(
    app, people, make_opening, make_candidate, invite
):
    opening_id = make_opening()
    fresh = [make_candidate(opening_id, name=f"New Person{i}") for i in range(3)]
    already = make_candidate(opening_id, name="Already Invited")
    invite(already)
    response = signed_in(app, people.recruiter).post(
        f"/hiring/openings/{opening_id}/invite-all", follow_redirects=True
    )
    text = page(response)
    links = LINK.findall(text)
    assert len(links) == 3
    assert all(f"New Person{i}" in text for i in range(3))
    assert "Already Invited" not in text
    with app.app_context():
        hashes = set(db.session.scalars(select(Invitation.token_hash)))
        assert {token_digest(token) for _url, token in links} <= hashes
        statuses = db.session.scalars(select(Candidate.status).where(Candidate.id.in_(fresh)))
        assert set(statuses) == {CandidateStatus.INVITED}


def test_invite_all_with_smtp_queues_every_link(
    app, people, make_opening, make_candidate, mailbox, run_pass
):
    opening_id = make_opening()
    for i in range(3):
        make_candidate(opening_id, email=f"p{i}@example.org")
    client = signed_in(app, people.recruiter)
    response = client.post(f"/hiring/openings/{opening_id}/invite-all", follow_redirects=True)
    assert "3 invitations on the way by e-mail." in page(response)
    run_pass()
    assert sorted(message["To"] for message in mailbox.received) == [
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    ]
    again = client.post(f"/hiring/openings/{opening_id}/invite-all", follow_redirects=True)
    assert "nobody new to invite" in page(again)
    run_pass()
    assert len(mailbox.received) == 3


def test_invite_all_reads_the_same_for_few_and_many(
    app, people, make_opening, make_candidate, count_queries
):
    client = signed_in(app, people.recruiter)

    def grow(count: int) -> int:
        opening_id = make_opening(f"Opening for {count}")
        for _ in range(count):
            make_candidate(opening_id)
        return count_queries(
            lambda: client.post(f"/hiring/openings/{opening_id}/invite-all"), only="SELECT"
        )

    # Reads stay fixed; each new link is still one row written.
    assert grow(3) == grow(30)


def test_a_candidate_who_unsubscribed_gets_their_link_shown_to_copy(
    app, people, make_opening, make_candidate, mailbox, monkeypatch
):
    from coachkit.notifications import preferences

    opening_id = make_opening()
    candidate_id = make_candidate(opening_id, name="Ann Lee")
    monkeypatch.setattr(preferences, "suppressed", lambda address, kind: True)
    response = signed_in(app, people.recruiter).post(
        f"/hiring/openings/{opening_id}/candidates/{candidate_id}/invite", follow_redirects=True
    )
    text = page(response)
    assert "E-mail could not be sent to this candidate." in text
    token = LINK.search(text).group(2)
    with app.app_context():
        invitation = invitations.find(token)
        assert invitation is not None and not invitation.emailed
        assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


# Sending invitations in batches ----------------------------------------------------


@pytest.fixture
def connections(monkeypatch) -> list[int]:
    """Each SMTP connection opened (its port), while still talking to the real server."""
    import smtplib

    from coachkit import mail

    opened: list[int] = []

    class CountedSMTP(smtplib.SMTP):
        def __init__(self, host: str, port: int, timeout: float) -> None:
            opened.append(port)
            super().__init__(host, port, timeout=timeout)

    monkeypatch.setattr(mail.smtplib, "SMTP", CountedSMTP)
    return opened


def test_invite_all_for_100_answers_at_once_and_the_worker_sends_each_once(
    app, people, make_opening, add_candidates, mailbox, connections, run_pass
):
    opening_id = make_opening()
    ids = add_candidates(opening_id, invitations.INVITE_BATCH + 3, CandidateStatus.NEW, text="")
    client = signed_in(app, people.recruiter)
    response = client.post(f"/hiring/openings/{opening_id}/invite-all")
    assert connections == [] and mailbox.received == []  # no SMTP in the request
    batch = response.headers["Location"].rsplit("batch=", 1)[1]
    shown = words(client.get(response.headers["Location"]))
    assert (
        "100 invitations on the way by e-mail. 3 new candidates are still to invite: "
        "press “Invite all” again." in shown
    )
    assert "Invitations: 0 of 100 sent." in shown
    with app.app_context():
        waiting = db.session.scalars(
            select(Candidate.id).where(Candidate.status == CandidateStatus.NEW)
        )
        assert sorted(waiting) == ids[-3:]
        assert db.session.scalar(select(func.count()).where(Invitation.emailed)) == 100
    result = run_pass(scan=False)
    assert result.sent == 100 and len(connections) == 1
    assert len({message["To"] for message in mailbox.received}) == 100
    assert "Invitations: 100 of 100 sent." in words(
        client.get(f"/hiring/openings/{opening_id}?batch={batch}")
    )
    assert run_pass(scan=False).sent == 0 and len(mailbox.received) == 100
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage)).all()
        assert {row.state for row in rows} == {OutboxState.SENT}
        assert all(row.secret_link is None and "/screening/" not in row.body for row in rows)
    tokens = [
        re.search(r"/screening/([A-Za-z0-9_-]+)", m.get_content()).group(1)
        for m in mailbox.received
    ]
    with app.app_context():
        assert all(invitations.find(token) is not None for token in tokens)


def test_progress_shows_only_for_a_batch_id(app, people, make_opening):
    opening_id = make_opening()
    client = signed_in(app, people.recruiter)
    for bad in ("x", "' or 1=1", "0" * 32):
        response = client.get(f"/hiring/openings/{opening_id}?batch={bad}")
        assert response.status_code == 200 and "Invitations:" not in page(response)


def test_invite_all_without_smtp_shows_a_batch_and_what_remains(
    app, people, make_opening, add_candidates
):
    opening_id = make_opening()
    add_candidates(opening_id, invitations.INVITE_BATCH + 1, CandidateStatus.NEW, text="")
    response = signed_in(app, people.recruiter).post(
        f"/hiring/openings/{opening_id}/invite-all", follow_redirects=True
    )
    text = words(response)
    assert len(LINK.findall(page(response))) == 100
    assert "1 new candidate is still to invite: press “Invite all” again." in text


# Post/redirect/get: a reload shows the same link --------------------------------------


def test_reloading_after_resend_shows_the_same_link_and_issues_none(
    app, people, make_opening, make_candidate, caplog
):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id, name="Ann Lee")
    client = signed_in(app, people.recruiter)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    client.post(f"{url}/invite")
    resent = client.post(f"{url}/invite")  # "Resend with a new link"
    assert resent.status_code == 302
    links_page = resent.headers["Location"]
    first = LINK.search(page(client.get(links_page))).group(2)
    again = LINK.search(page(client.get(links_page))).group(2)  # the reload is a GET
    assert first == again
    with app.app_context():
        invitation = invitations.find(first)
        assert invitation is not None and invitation.times_sent == 2
    assert first in page(client.get(url))
    assert first not in caplog.text  # links are never logged


def test_a_revoked_or_replaced_link_is_no_longer_shown(app, people, make_opening, make_candidate):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id, name="Ann Lee")
    client = signed_in(app, people.recruiter)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    links_page = client.post(f"{url}/invite").headers["Location"]
    token = LINK.search(page(client.get(links_page))).group(2)
    client.post(f"{url}/revoke")
    assert token not in page(client.get(url))
    assert "this link was replaced, revoked or used since" in page(client.get(links_page))


def test_a_link_sealed_under_another_secret_key_is_not_shown(
    app, people, make_opening, make_candidate
):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    client = signed_in(app, people.recruiter)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    links_page = client.post(f"{url}/invite").headers["Location"]
    token = LINK.search(page(client.get(links_page))).group(2)
    from coachkit.hiring import sealed_links

    with app.app_context():
        invitation = invitations.find(token)
        assert sealed_links.unseal(invitation) is not None
        app.config["SECRET_KEY"] = "another key entirely, 32 characters or more"
        assert sealed_links.unseal(invitation) is None


def test_the_links_page_without_links_says_where_they_are(app, people, make_opening):
    opening_id = make_opening()
    response = signed_in(app, people.recruiter).get(f"/hiring/openings/{opening_id}/invite-links")
    assert response.status_code == 200
    assert "No links to show here now." in page(response)


def test_an_emailed_link_is_not_kept_sealed(app, people, make_opening, make_candidate, mailbox):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    signed_in(app, people.recruiter).post(
        f"/hiring/openings/{opening_id}/candidates/{candidate_id}/invite"
    )
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        assert invitation.sealed_link is None
