"""Outgoing e-mail through SMTP, when a server is configured: only the outbox worker
sends, never a web request.

Within `connection()` every message shares one connection (one STARTTLS, one login).
Recipients and errors are logged, never bodies: they may hold one-time links.

The outbox worker (coachkit.notifications.worker) hands whole messages to
`_Link.send_email`, which says what became of each (`Outcome`), so the worker can tell
a message to try again later from one refused for good, and a server that cannot be
reached from a message it refused.
"""

from __future__ import annotations

import enum
import smtplib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from flask import current_app

TIMEOUT_SECONDS = 10


class Outcome(enum.StrEnum):
    SENT = "sent"
    RETRY = "retry"  # a temporary refusal (4xx) or a connection lost while sending
    REFUSED = "refused"  # refused for good (5xx): sending it again would not help
    UNREACHABLE = "unreachable"  # no connection (or login) to the server: not tried


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    error: str = ""


def configured() -> bool:
    return bool(current_app.config.get("SMTP_HOST"))


class _Link:
    """One SMTP connection, opened for the first message. When the server cannot be
    reached (or refuses the login), the messages after it fail at once instead of each
    waiting for a timeout; a connection lost mid-batch is opened afresh for the next."""

    def __init__(self, config: Any) -> None:
        self.config = config
        self.stack = ExitStack()
        self.smtp: smtplib.SMTP | None = None
        self.unreachable = False

    def send_email(self, email: EmailMessage) -> Result:
        """Send one message; what became of it. Logs the recipient and the error."""
        log = current_app.logger.warning
        to = email["To"]
        if self.smtp is None:
            if self.unreachable:
                log("mail to %s not sent: the mail server could not be reached", to)
                return Result(Outcome.UNREACHABLE, "the mail server could not be reached")
            try:
                self.smtp = self._open()
            except (OSError, smtplib.SMTPException) as error:
                log("mail to %s failed: %s", to, error)
                self.unreachable = True
                self.close()
                return Result(Outcome.UNREACHABLE, _describe(error))
        try:
            self.smtp.send_message(email)
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
            # This message was refused; the connection is still good for the next.
            log("mail to %s failed: %s", to, error)
            return Result(_refusal(error), _describe(error))
        except (OSError, smtplib.SMTPException) as error:
            log("mail to %s failed: %s", to, error)
            self.close()  # connection lost: the next message tries a fresh one
            return Result(Outcome.RETRY, _describe(error))
        return Result(Outcome.SENT)

    def _open(self) -> smtplib.SMTP:
        config = self.config
        smtp = self.stack.enter_context(
            smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=TIMEOUT_SECONDS)
        )
        if config["SMTP_STARTTLS"]:
            smtp.starttls()
        if config.get("SMTP_USERNAME"):
            smtp.login(config["SMTP_USERNAME"], config.get("SMTP_PASSWORD", ""))
        return smtp

    def close(self) -> None:
        self.smtp = None
        with suppress(OSError, smtplib.SMTPException):
            self.stack.close()
        self.stack = ExitStack()


def _refusal(error: smtplib.SMTPRecipientsRefused | smtplib.SMTPResponseException) -> Outcome:
    """A 4xx reply means "not now", a 5xx one "never"."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in error.recipients.values()]
    else:
        codes = [error.smtp_code]
    return Outcome.REFUSED if codes and all(code >= 500 for code in codes) else Outcome.RETRY


def _describe(error: Exception) -> str:
    """The error in one line for the outbox (the server's reply, without the body)."""
    if isinstance(error, smtplib.SMTPResponseException):
        text = (
            error.smtp_error.decode(errors="replace")
            if isinstance(error.smtp_error, bytes)
            else str(error.smtp_error)
        )
        return f"{error.smtp_code} {text}"[:500]
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = [
            f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
            for code, text in error.recipients.values()
        ]
        return "; ".join(replies)[:500]
    return f"{type(error).__name__}: {error}"[:500]


_current: ContextVar[_Link | None] = ContextVar("coachkit_mail_link", default=None)


@contextmanager
def connection() -> Iterator[_Link]:
    """Within this block, messages share one SMTP connection, closed at
    the end (a block inside another shares the outer one)."""
    outer = _current.get()
    if outer is not None:
        yield outer
        return
    link = _Link(current_app.config)
    token = _current.set(link)
    try:
        yield link
    finally:
        _current.reset(token)
        link.close()
