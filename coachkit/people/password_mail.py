"""The e-mail that carries a set-password link, written to the outbox in the
transaction that issues the link: the worker sends it, never the web request."""

from __future__ import annotations

from flask import current_app

from coachkit import mail
from coachkit.auth.models import PasswordLink, User
from coachkit.notifications import outbox
from coachkit.notifications.kinds import Kind
from coachkit.notifications.models import OutboxMessage
from coachkit.notifications.outbox import SECRET_LINK, About


def send(user: User, url: str, link: PasswordLink) -> bool:
    """Put the link's e-mail in the outbox, replacing one not sent yet (whose link no
    longer works). True when it will be e-mailed: SMTP is configured and the person
    has not turned these e-mails off."""
    hours = current_app.config["SET_PASSWORD_LINK_HOURS"]
    body = (
        f"Hello {user.name},\n\nSet your coachkit password here (the link works once, "
        f"for {hours} hours):\n\n{SECRET_LINK}\n\n"
        "If you did not expect this message, you can ignore it.\n"
    )
    message = _replace(user, "Set your coachkit password", body, url, link, asked=False)
    return message is not None and mail.configured()


def send_reset(user: User, url: str, link: PasswordLink) -> None:
    """Put a password reset e-mail in the outbox, replacing one not sent yet."""
    minutes = current_app.config["PASSWORD_RESET_LINK_MINUTES"]
    body = (
        f"Hello {user.name},\n\nSomeone, probably you, asked to reset your coachkit "
        f"password. Choose a new one here (the link works once, for {minutes} minutes):"
        f"\n\n{SECRET_LINK}\n\nChoosing a new password signs you out everywhere else. "
        "If you did not ask for this, ignore this message: your password stays as it is.\n"
    )
    _replace(user, "Reset your coachkit password", body, url, link, asked=True)


def _replace(
    user: User, subject: str, body: str, url: str, link: PasswordLink, *, asked: bool
) -> OutboxMessage | None:
    """Withdraw the person's unsent link e-mail and queue this one. A link the person
    `asked` for on the page a moment ago goes whatever they chose for admins' links
    (turned off, those would leave them no way back in)."""
    about = About("user", user.id)
    outbox.cancel_waiting(Kind.PASSWORD_LINK, about)
    queue = outbox.enqueue if asked else outbox.email
    return queue(
        user,
        Kind.PASSWORD_LINK,
        subject,
        body,
        about=about,
        secret_link=url,
        expires_at=link.expires_at,
    )
