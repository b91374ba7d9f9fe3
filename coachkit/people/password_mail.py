"""The e-mail that carries a set-password link, written to the outbox in the
transaction that issues the link: the worker sends it, never the web request."""

from __future__ import annotations

from flask import current_app

from coachkit import mail
from coachkit.auth.models import PasswordLink, User
from coachkit.notifications import outbox
from coachkit.notifications.kinds import Kind
from coachkit.notifications.outbox import SECRET_LINK, About


def send(user: User, url: str, link: PasswordLink) -> bool:
    """Put the link's e-mail in the outbox, replacing one not sent yet (whose link no
    longer works). True when it will be e-mailed: SMTP is configured and the person
    has not turned these e-mails off."""
    about = About("user", user.id)
    outbox.cancel_waiting(Kind.PASSWORD_LINK, about)
    hours = current_app.config["SET_PASSWORD_LINK_HOURS"]
    body = (
        f"Hello {user.name},\n\nSet your coachkit password here (the link works once, "
        f"for {hours} hours):\n\n{SECRET_LINK}\n\n"
        "If you did not expect this message, you can ignore it.\n"
    )
    message = outbox.email(
        user,
        Kind.PASSWORD_LINK,
        "Set your coachkit password",
        body,
        about=about,
        secret_link=url,
        expires_at=link.expires_at,
    )
    return message is not None and mail.configured()
