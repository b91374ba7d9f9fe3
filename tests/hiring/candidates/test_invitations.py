"""Invite links from the candidate's page and "Invite all": shown once or e-mailed
(in batches over one SMTP connection), resent, revoked."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from coachkit.auth.sessions import token_digest
from coachkit.extensions import db
from coachkit.hiring import invitations
from coachkit.hiring.models import Candidate, CandidateStatus, Invitation
from tests.conftest import page, signed_in
from tests.hiring.conftest import words

LINK = re.compile(r'value="(https://coachkit\.test/screening/([A-Za-z0-9_-]+))"')


# Invite links ----------------------------------------------------------------------


def test_without_smtp_the_link_is_shown_once_and_only_its_hash_is_stored(
    app, people, make_opening, make_candidate
):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id, name="Ann Lee")
    client = signed_in(app, people.recruiter)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    response = client.post(f"{url}/invite")
    assert response.status_code == 200
    text = page(response)
    assert "E-mail is not configured" in text
    assert "This is the only time the links are shown" in text
    link, token = LINK.search(text).groups()
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        assert invitation.token_hash == token_digest(token)
        assert not invitation.emailed
        assert db.session.get(Candidate, candidate_id).status == CandidateStatus.INVITED
    assert token not in page(client.get(url))  # never shown again


def test_resend_issues_a_new_link_and_the_old_one_stops(app, people, make_opening, make_candidate):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id)
    client = signed_in(app, people.recruiter)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    first = LINK.search(page(client.post(f"{url}/invite"))).group(2)
    second = LINK.search(page(client.post(f"{url}/invite"))).group(2)
    assert first != second
    with app.app_context():
        assert invitations.find(first) is None
        assert invitations.find(second).times_sent == 2
    assert "Times sent 2" in words(client.get(url))


def test_with_smtp_the_link_is_emailed(app, people, make_opening, make_candidate, smtp):
    opening_id = make_opening()
    candidate_id = make_candidate(opening_id, name="Ann Lee", email="ann@example.org")
    client = signed_in(app, people.recruiter)
    url = f"/hiring/openings/{opening_id}/candidates/{candidate_id}"
    response = client.post(f"{url}/invite")
    assert response.headers["Location"] == url
    [message] = smtp.sent
    assert message["To"] == "ann@example.org"
    token = re.search(r"/screening/([A-Za-z0-9_-]+)", message.get_content()).group(1)
    with app.app_context():
        invitation = invitations.find(token)
        assert invitation is not None and invitation.emailed
    text = words(client.get(url))
    assert "Sent 1 invitation by e-mail." in text
    assert "e-mailed to the candidate" in text


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
    response = signed_in(app, people.recruiter).post(f"/hiring/openings/{opening_id}/invite-all")
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


def test_invite_all_with_smtp_sends_every_link(app, people, make_opening, make_candidate, smtp):
    opening_id = make_opening()
    for i in range(3):
        make_candidate(opening_id, email=f"p{i}@example.org")
    client = signed_in(app, people.recruiter)
    response = client.post(f"/hiring/openings/{opening_id}/invite-all", follow_redirects=True)
    assert "Sent 3 invitations by e-mail." in page(response)
    assert sorted(message["To"] for message in smtp.sent) == [
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    ]
    again = client.post(f"/hiring/openings/{opening_id}/invite-all", follow_redirects=True)
    assert "nobody new to invite" in page(again)
    assert len(smtp.sent) == 3


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


def test_a_link_that_could_not_be_emailed_is_shown_instead(
    app, people, make_opening, make_candidate, smtp, monkeypatch
):
    from coachkit import mail

    opening_id = make_opening()
    candidate_id = make_candidate(opening_id, name="Ann Lee")
    monkeypatch.setattr(mail, "send", lambda *args: False)  # the server refused it
    response = signed_in(app, people.recruiter).post(
        f"/hiring/openings/{opening_id}/candidates/{candidate_id}/invite"
    )
    text = page(response)
    assert "E-mail could not be sent to this candidate." in text
    token = LINK.search(text).group(2)
    with app.app_context():
        invitation = invitations.find(token)
        assert invitation is not None and not invitation.emailed


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


def closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_send_many_sends_a_batch_over_one_connection(app, smtp, connections):
    from coachkit import mail

    batch = [mail.Message(f"p{i}@example.org", f"Hello {i}", f"Body {i}") for i in range(5)]
    with app.app_context():
        assert mail.send_many(batch) == {0, 1, 2, 3, 4}
        assert mail.send("solo@example.org", "Alone", "Body")
    assert [message["To"] for message in smtp.sent] == [
        *(f"p{i}@example.org" for i in range(5)),
        "solo@example.org",
    ]
    assert smtp.sent[2].get_content().strip() == "Body 2"
    assert len(connections) == 2  # one for the batch, one for the single message


def test_a_refused_recipient_does_not_stop_the_batch(app, smtp, connections):
    from coachkit import mail

    async def handle_RCPT(server, session, envelope, address, options):  # noqa: N802
        if address.startswith("refused"):
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    smtp.handle_RCPT = handle_RCPT
    batch = [mail.Message(to, "Hi", "Body") for to in ("a@example.org", "refused@example.org")]
    batch.append(mail.Message("c@example.org", "Hi", "Body"))
    with app.app_context():
        assert mail.send_many(batch) == {0, 2}
    assert [message["To"] for message in smtp.sent] == ["a@example.org", "c@example.org"]
    assert len(connections) == 1


def test_an_unreachable_server_fails_the_batch_at_once_without_logging_bodies(
    app, connections, caplog
):
    from coachkit import mail

    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=closed_port(), SMTP_STARTTLS=False)
    batch = [mail.Message(f"p{i}@example.org", "Hi", f"secret-link-{i}") for i in range(3)]
    with app.app_context():
        assert mail.send_many(batch) == set()
        app.config["SMTP_HOST"] = ""
        assert mail.send_many(batch) == set()  # not configured: nothing tried
    assert len(connections) == 1  # the later messages did not try again
    assert "p2@example.org" in caplog.text and "secret-link" not in caplog.text


def test_invite_all_sends_at_most_a_batch_oldest_first(
    app, people, make_opening, add_candidates, smtp, connections
):
    opening_id = make_opening()
    ids = add_candidates(opening_id, invitations.INVITE_BATCH + 3, CandidateStatus.NEW, text="")
    client = signed_in(app, people.recruiter)
    response = client.post(f"/hiring/openings/{opening_id}/invite-all", follow_redirects=True)
    assert (
        "Sent 100 invitations by e-mail. 3 new candidates are still to invite: "
        "press “Invite all” again." in words(response)
    )
    assert len(smtp.sent) == 100 and len(connections) == 1
    with app.app_context():
        waiting = db.session.scalars(
            select(Candidate.id).where(Candidate.status == CandidateStatus.NEW)
        )
        assert sorted(waiting) == ids[-3:]
        emailed = db.session.scalar(select(func.count()).where(Invitation.emailed))
        assert emailed == 100
    again = words(client.post(f"/hiring/openings/{opening_id}/invite-all", follow_redirects=True))
    assert "Sent 3 invitations by e-mail." in again and "still to invite" not in again
    assert len(smtp.sent) == 103 and len(connections) == 2


def test_invite_all_shows_the_links_it_could_not_send(
    app, people, make_opening, make_candidate, smtp, connections
):
    opening_id = make_opening()
    for i in range(3):
        make_candidate(opening_id, name=f"New Person{i}")
    app.config["SMTP_PORT"] = closed_port()  # the server is down
    response = signed_in(app, people.recruiter).post(f"/hiring/openings/{opening_id}/invite-all")
    text = page(response)
    assert "E-mail could not be sent to these candidates." in text
    links = LINK.findall(text)
    assert len(links) == 3 and all(f"New Person{i}" in text for i in range(3))
    assert "still to invite" not in text
    assert smtp.sent == [] and len(connections) == 1
    with app.app_context():
        for _url, token in links:
            invitation = invitations.find(token)
            assert invitation is not None and not invitation.emailed


def test_invite_all_without_smtp_shows_a_batch_and_what_remains(
    app, people, make_opening, add_candidates
):
    opening_id = make_opening()
    add_candidates(opening_id, invitations.INVITE_BATCH + 1, CandidateStatus.NEW, text="")
    response = signed_in(app, people.recruiter).post(f"/hiring/openings/{opening_id}/invite-all")
    text = words(response)
    assert len(LINK.findall(page(response))) == 100
    assert "1 new candidate is still to invite: press “Invite all” again." in text
