"""An outbox row as the e-mail it becomes: headers (Message-ID, one-click
unsubscribe), the body with its footer, and the calendar attachment."""

from __future__ import annotations

from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime

from flask import current_app, render_template

from coachkit.database import utcnow
from coachkit.notifications import links, preferences, unsubscribe
from coachkit.notifications.models import OutboxMessage
from coachkit.notifications.outbox import SECRET_LINK

# What the admin's preview shows in place of a one-time link.
HIDDEN_LINK = "[one-time link: only in the e-mail itself]"


def unsubscribe_url(message: OutboxMessage) -> str:
    if message.recipient_id is not None:
        subscription = unsubscribe.Subscription(message.kind, user_id=message.recipient_id)
    else:
        subscription = unsubscribe.Subscription(
            message.kind, address_hash=preferences.address_hash(message.to_address)
        )
    return links.for_endpoint("notifications.unsubscribe", token=unsubscribe.token(subscription))


def compose(
    message: OutboxMessage, *, now: datetime | None = None, preview: bool = False
) -> EmailMessage:
    """The e-mail to send for `message` (with `preview`, its one-time link hidden)."""
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = message.message_id
    email["Date"] = format_datetime(now or utcnow())
    url = unsubscribe_url(message)
    email["List-Unsubscribe"] = f"<{url}>"
    email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email["Auto-Submitted"] = "auto-generated"
    link = HIDDEN_LINK if preview or message.secret_link is None else message.secret_link
    footer = render_template(
        "notifications/mail/footer.txt",
        unsubscribe_url=url,
        what=message.kind.label,
        preferences_url=(
            links.for_endpoint("notifications.preferences")
            if message.recipient_id is not None
            else None
        ),
    )
    email.set_content(message.body.replace(SECRET_LINK, link).rstrip() + "\n\n" + footer)
    if message.ical:
        email.add_attachment(
            message.ical,
            maintype="text",
            subtype="calendar",
            filename="invite.ics",
            params={"method": "PUBLISH"},
        )
    return email
