"""Admins' view of e-mail delivery: counts and rows per state, each message (rendered
in debug mode), retrying a failed one; nobody else may see it."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from coachkit.auth.models import Role
from coachkit.extensions import db
from coachkit.notifications import outbox
from coachkit.notifications.compose import HIDDEN_LINK
from coachkit.notifications.kinds import Kind
from coachkit.notifications.models import OutboxMessage, OutboxState
from coachkit.notifications.outbox import SECRET_LINK
from tests.conftest import page, signed_in

TOKEN = "c2VjcmV0LWludml0ZS10b2tlbi1mb3ItYS1jYW5kaWRhdGU"


@pytest.fixture
def messages(app) -> dict[str, int]:
    """A waiting invitation with a one-time link, a sent and a failed message."""
    with app.app_context():
        ids = {}
        for name, state in (
            ("waiting", None),
            ("sent", OutboxState.SENT),
            ("failed", OutboxState.FAILED),
        ):
            message = outbox.email(
                f"{name}@example.org",
                Kind.CANDIDATE_INVITE,
                f"Invitation ({name})",
                f"Start here:\n{SECRET_LINK}\n",
                secret_link=f"https://coachkit.test/screening/{TOKEN}",
            )
            if state is not None:
                message.state = state
                message.last_error = (
                    "550 5.1.1 No such user" if state is OutboxState.FAILED else None
                )
            ids[name] = message.id
        db.session.commit()
        return ids


def test_admins_see_counts_and_rows_per_state(app, make_user, messages):
    client = signed_in(app, make_user(Role.ADMIN))
    everything = page(client.get("/admin/outbox/"))
    for name in ("waiting", "sent", "failed"):
        assert f"Invitation ({name})" in everything
    failed = page(client.get("/admin/outbox/?state=failed"))
    assert "Invitation (failed)" in failed and "Invitation (sent)" not in failed
    assert "550 5.1.1 No such user" in failed
    assert "SMTP_HOST is not set" in everything
    unknown = page(client.get("/admin/outbox/?state=lost"))
    assert "Invitation (sent)" in unknown  # an unknown filter shows everything


def test_with_previews_the_admin_sees_the_message_but_not_its_link(
    app_factory, make_user, messages
):
    app = app_factory(MAIL_PREVIEW=True)
    client = signed_in(app, make_user(Role.ADMIN))
    text = page(client.get(f"/admin/outbox/{messages['waiting']}"))
    assert "List-Unsubscribe" in text and "List-Unsubscribe=One-Click" in text
    assert "Message-ID" in text and "Start here:" in text
    assert HIDDEN_LINK in text and TOKEN not in text


def test_without_previews_the_body_is_not_shown(app, make_user, messages):
    client = signed_in(app, make_user(Role.ADMIN))
    text = page(client.get(f"/admin/outbox/{messages['waiting']}"))
    assert "Start here:" not in text and TOKEN not in text
    assert "shown in debug mode" in text


def test_previews_are_on_in_debug_mode(app_factory):
    assert app_factory(DEBUG=True).config["MAIL_PREVIEW"] is True
    assert app_factory().config["MAIL_PREVIEW"] is False


def test_retry_sends_a_failed_message_again(app, make_user, messages):
    client = signed_in(app, make_user(Role.ADMIN))
    response = client.post(f"/admin/outbox/{messages['failed']}/retry", follow_redirects=True)
    assert "will be sent again" in page(response)
    with app.app_context():
        message = db.session.get(OutboxMessage, messages["failed"])
        assert (message.state, message.attempts) == (OutboxState.WAITING, 0)


def test_a_sent_message_or_one_whose_link_is_gone_cannot_be_retried(app, make_user, messages):
    client = signed_in(app, make_user(Role.ADMIN))
    with app.app_context():
        db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == messages["failed"])
            .values(secret_link=None)
        )
        db.session.commit()
    for name in ("sent", "failed"):
        response = client.post(f"/admin/outbox/{messages[name]}/retry", follow_redirects=True)
        assert "Only a failed message whose link still works" in page(response)
        assert "Send it again" not in page(response)
    with app.app_context():
        states = dict(db.session.execute(select(OutboxMessage.id, OutboxMessage.state)).all())
    assert states[messages["sent"]] is OutboxState.SENT
    assert states[messages["failed"]] is OutboxState.FAILED


def test_an_unknown_message_is_a_404(app, make_user):
    client = signed_in(app, make_user(Role.ADMIN))
    assert client.get("/admin/outbox/424242").status_code == 404
    assert client.post("/admin/outbox/424242/retry").status_code == 404


@pytest.mark.parametrize("role", [Role.MANAGER, Role.EMPLOYEE, Role.RECRUITER])
def test_nobody_else_sees_the_outbox(app, make_user, messages, role):
    client = signed_in(app, make_user(role))
    assert client.get("/admin/outbox/").status_code == 403
    assert client.get(f"/admin/outbox/{messages['waiting']}").status_code == 403
    assert client.post(f"/admin/outbox/{messages['failed']}/retry").status_code == 403
    with app.app_context():
        assert db.session.get(OutboxMessage, messages["failed"]).state is OutboxState.FAILED
