"""Outgoing e-mail through SMTP, when a server is configured."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import current_app


def configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


def send(to: str, subject: str, body: str) -> bool:
    """Send a plain-text message; False when SMTP is not configured or refuses it."""
    config = current_app.config
    if not configured():
        return False
    message = EmailMessage()
    message["From"] = config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=10) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config.get("SMTP_USERNAME"):
                smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD", ""))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        # The recipient is logged, never the body: it may hold a one-time link.
        current_app.logger.warning("mail to %s failed: %s", to, error)
        return False
    return True
