"""The worker against a real SMTP server on loopback: what arrives (headers, body,
calendar attachment), exactly once; retries, permanent failure, an unreachable
server, stale claims, expired links; `flask send`."""

from __future__ import annotations

import socket
from datetime import date, timedelta

import icalendar
from sqlalchemy import select, update

from coachkit.auth.models import Role, User
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.notifications import ical, outbox, unsubscribe
from coachkit.notifications.kinds import Kind
from coachkit.notifications.models import OutboxMessage, OutboxState
from coachkit.notifications.outbox import SECRET_LINK, About
from coachkit.notifications.preferences import address_hash
from tests.notifications.conftest import PATH, SUBJECT


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_committed_notification_is_sent_once_with_its_headers(
    app, make_user, notify_person, run_pass, mailbox, outbox_rows
):
    employee = make_user(name="Eli Employee")
    notify_person(employee, details="Due on 3 December 2026.")
    result = run_pass()
    assert (result.sent, result.failed) == (1, 0)
    assert run_pass().sent == 0  # nothing twice
    [email] = mailbox.received
    [stored] = outbox_rows()
    assert stored.state == "sent" and stored.attempts == 1
    assert email["Message-ID"] == stored.message_id
    assert email["To"] == employee.email
    assert email["Subject"] == SUBJECT
    assert email["From"] == "coachkit <coachkit@localhost>"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = email["List-Unsubscribe"].strip("<>")
    assert url.startswith("https://coachkit.test/unsubscribe/")
    with app.app_context():
        token = url.rsplit("/", 1)[1]
        assert unsubscribe.read(token) == unsubscribe.Subscription(
            Kind.MODULE_ASSIGNED, user_id=employee.id
        )
    body = email.get_body(("plain",)).get_content()
    assert f"https://coachkit.test{PATH}" in body and "Due on 3 December 2026." in body
    assert url in body and "https://coachkit.test/notifications/preferences" in body


def test_the_calendar_invitation_arrives_as_an_ics_attachment(
    app, make_user, notify_person, run_pass, mailbox
):
    employee = make_user()
    with app.app_context():
        invite = ical.all_day_event(
            "coaching-session-12-next@coachkit",
            date(2026, 12, 14),
            "Coaching session with Morgan Manager",
            url="https://coachkit.test/coaching/mine/12",
        )
    notify_person(
        employee,
        Kind.NEXT_SESSION_DUE,
        "Your next coaching session is today",
        "/coaching/mine/12",
        ical=invite,
    )
    run_pass()
    [email] = mailbox.received
    [attachment] = list(email.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "invite.ics"
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    [event] = calendar.walk("VEVENT")
    assert str(event["UID"]) == "coaching-session-12-next@coachkit"
    assert event.decoded("DTSTART") == date(2026, 12, 14)
    assert str(event["SUMMARY"]) == "Coaching session with Morgan Manager"


def test_a_secret_link_is_sent_then_forgotten(app, run_pass, mailbox, outbox_rows):
    link = "https://coachkit.test/screening/Zm9vYmFyLXNlY3JldC10b2tlbg"
    with app.app_context():
        outbox.email(
            "cand@example.org",
            Kind.CANDIDATE_INVITE,
            "Your screening exercise",
            f"Start here:\n{SECRET_LINK}\n",
            secret_link=link,
            about=About("candidate", 3),
        )
        db.session.commit()
    [waiting] = outbox_rows()
    assert waiting.secret_link == link and link not in waiting.body
    run_pass()
    [email] = mailbox.received
    assert link in email.get_body(("plain",)).get_content()
    [sent] = outbox_rows()
    assert sent.state == "sent" and sent.secret_link is None
    assert "Zm9vYmFy" not in repr(sent)
    # The candidate's unsubscribe link names the address only by its digest.
    token = email["List-Unsubscribe"].strip("<>").rsplit("/", 1)[1]
    with app.app_context():
        assert unsubscribe.read(token).address_hash == address_hash("cand@example.org")
    assert "cand@example.org" not in token


def test_a_temporary_refusal_is_retried_later_then_fails_for_good(
    app, make_user, notify_person, run_pass, mailbox, outbox_rows
):
    app.config.update(MAIL_MAX_ATTEMPTS=3, MAIL_RETRY_SECONDS=60)
    employee = make_user()
    mailbox.refuse[employee.email] = "451 4.3.0 Mailbox busy, try again later"
    notify_person(employee)
    before = utcnow()
    result = run_pass()
    assert (result.sent, result.failed, result.retrying) == (0, 0, 1)
    [stored] = outbox_rows()
    assert stored.state == "waiting" and stored.attempts == 1
    assert stored.last_error.startswith("451")
    assert stored.next_attempt_at >= before + timedelta(seconds=60)
    assert run_pass().retrying == 0  # not due yet
    for expected_wait in (120, 0):
        _make_due(app)
        result = run_pass()
        [stored] = outbox_rows()
        if expected_wait:
            assert stored.attempts == 2 and stored.next_attempt_at >= utcnow() + timedelta(
                seconds=100
            )
    assert result.failed == 1
    assert (stored.state, stored.attempts) == ("failed", 3)
    assert mailbox.received == []


def _make_due(app) -> None:
    with app.app_context():
        db.session.execute(
            update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()
        db.session.remove()


def test_a_permanent_refusal_fails_at_once_and_others_still_go(
    app, make_user, notify_person, run_pass, mailbox, outbox_rows
):
    unknown, fine = make_user(), make_user()
    mailbox.refuse[unknown.email] = "550 5.1.1 No such user"
    notify_person(unknown)
    notify_person(fine)
    result = run_pass()
    assert (result.sent, result.failed) == (1, 1)
    states = {m.to_address: (m.state, m.last_error) for m in outbox_rows()}
    assert states[unknown.email] == ("failed", "550 5.1.1 No such user")
    assert states[fine.email] == ("sent", None)
    assert [email["To"] for email in mailbox.received] == [fine.email]


def test_an_unreachable_server_costs_no_attempt_and_nothing_is_lost(
    app, make_user, notify_person, run_pass, mailbox, outbox_rows
):
    people = [make_user() for _ in range(3)]
    for person in people:
        notify_person(person)
    real_port = app.config["SMTP_PORT"]
    app.config["SMTP_PORT"] = closed_port()
    result = run_pass()
    assert result.unreachable and (result.sent, result.failed) == (0, 0)
    assert {(m.state, m.attempts) for m in outbox_rows()} == {("waiting", 0)}
    app.config["SMTP_PORT"] = real_port
    assert run_pass().sent == 3
    assert sorted(e["To"] for e in mailbox.received) == sorted(p.email for p in people)


def test_a_stale_claim_is_sent_again_after_the_timeout(
    app, make_user, notify_person, run_pass, mailbox, outbox_rows
):
    employee = make_user()
    notify_person(employee)
    with app.app_context():
        # A worker claimed it and died before recording what happened.
        db.session.execute(
            update(OutboxMessage).values(
                state=OutboxState.SENDING, claimed_at=utcnow() - timedelta(minutes=5)
            )
        )
        db.session.commit()
    assert run_pass().sent == 0  # still within the claim timeout: left alone
    with app.app_context():
        db.session.execute(
            update(OutboxMessage).values(claimed_at=utcnow() - timedelta(minutes=16))
        )
        db.session.commit()
    assert run_pass().sent == 1
    [stored] = outbox_rows()
    assert stored.state == "sent" and stored.attempts == 2
    [email] = mailbox.received
    assert email["Message-ID"] == stored.message_id  # the same message, for the receiver to spot


def test_a_link_that_expired_before_sending_is_not_sent(app, run_pass, mailbox, outbox_rows):
    with app.app_context():
        outbox.email(
            "late@example.org",
            Kind.CANDIDATE_INVITE,
            "Invite",
            f"{SECRET_LINK}\n",
            secret_link="https://coachkit.test/screening/expired-token",
            expires_at=utcnow() - timedelta(minutes=1),
        )
        db.session.commit()
    assert run_pass().sent == 0
    [stored] = outbox_rows()
    assert stored.state == "failed" and stored.secret_link is None
    assert "expired" in stored.last_error
    assert mailbox.received == []


def test_a_deactivated_account_is_not_sent_what_waited(
    app, make_user, notify_person, run_pass, mailbox, outbox_rows
):
    employee = make_user()
    notify_person(employee)
    with app.app_context():
        db.session.execute(update(User).where(User.id == employee.id).values(active=False))
        db.session.commit()
    run_pass()
    assert mailbox.received == []
    assert [m.state for m in outbox_rows()] == ["failed"]


def test_retry_sends_a_failed_message_again(
    app, make_user, notify_person, run_pass, mailbox, outbox_rows
):
    employee = make_user()
    mailbox.refuse[employee.email] = "550 5.2.1 Mailbox disabled"
    notify_person(employee)
    run_pass()
    mailbox.refuse.clear()
    with app.app_context():
        message = db.session.scalar(select(OutboxMessage))
        assert outbox.retry(message)
        db.session.commit()
    assert run_pass().sent == 1
    assert len(mailbox.received) == 1


def test_batch_progress_counts_what_was_sent(app, run_pass, mailbox):
    with app.app_context():
        batch = outbox.new_batch()
        for number in range(5):
            outbox.email(
                f"c{number}@example.org", Kind.CANDIDATE_INVITE, "Invite", "Hi", batch=batch
            )
        outbox.email("other@example.org", Kind.CANDIDATE_INVITE, "Invite", "Hi")
        db.session.commit()
        assert outbox.progress(batch).total == 5
    mailbox.refuse["c4@example.org"] = "550 5.1.1 No such user"
    run_pass()
    with app.app_context():
        assert outbox.progress(batch) == outbox.Progress(sent=4, waiting=0, failed=1)


def test_send_command_prints_what_it_sent(app, make_user, notify_person, mailbox):
    people = [make_user() for _ in range(2)]
    for person in people:
        notify_person(person)
    result = app.test_cli_runner().invoke(args=["send"])
    assert result.exit_code == 0, result.output
    assert "Sent 2, failed 0." in result.output
    assert len(mailbox.received) == 2
    again = app.test_cli_runner().invoke(args=["send"])
    assert again.exit_code == 0 and "Sent 0, failed 0." in again.output


def test_send_without_smtp_sends_nothing_and_says_so(app, make_user, notify_person):
    notify_person(make_user(Role.EMPLOYEE))
    result = app.test_cli_runner().invoke(args=["send"])
    assert result.exit_code == 0
    assert "Sent 0, failed 0." in result.output and "SMTP_HOST is not set" in result.output
    assert "(1 waiting)" in result.output


def test_a_message_that_cannot_be_written_fails_alone(app, run_pass, mailbox, outbox_rows):
    with app.app_context():
        outbox.email("broken\nBcc: someone@example.org", Kind.CANDIDATE_INVITE, "Invite", "Hi")
        outbox.email("fine@example.org", Kind.CANDIDATE_INVITE, "Invite", "Hi")
        db.session.commit()
    result = run_pass()
    assert result.sent == 1
    assert [e["To"] for e in mailbox.received] == ["fine@example.org"]
    broken = next(m for m in outbox_rows() if m.to_address.startswith("broken"))
    assert broken.state == "failed" and broken.last_error.startswith("Not a valid e-mail")
