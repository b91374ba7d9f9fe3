"""`flask worker` (long-running, for production) and `flask send` (one pass, for cron)."""

from __future__ import annotations

import signal
import threading
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from coachkit import mail
from coachkit.database import utcnow
from coachkit.notifications import centre, outbox, worker
from coachkit.notifications.models import OutboxState


def _check_configuration() -> None:
    config = current_app.config
    if mail.configured() and not config["EXTERNAL_URL"] and not current_app.debug:
        raise click.UsageError(
            "EXTERNAL_URL is not set: e-mails link to coachkit through it. Set it to the "
            "address people use, e.g. https://coachkit.example.com"
        )


@click.command("worker")
@with_appcontext
def worker_command() -> None:
    """Send the outbox's e-mails and the reminders as they fall due, until stopped
    (SIGTERM or Ctrl+C). Several may run at once on PostgreSQL; one on SQLite."""
    _check_configuration()
    stop = threading.Event()

    def request_stop(_signal: int, _frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    if not mail.configured():
        click.echo("SMTP_HOST is not set: the worker writes reminders but sends no e-mail.")
    click.echo("coachkit worker started.")
    worker.run_forever(stop)
    click.echo("coachkit worker stopped.")


@click.command("send")
@with_appcontext
def send_command() -> None:
    """Send every e-mail and HTTP delivery due now and look for due reminders, once
    (for cron)."""
    _check_configuration()
    result = worker.run_pass()
    click.echo(f"Sent {result.sent}, failed {result.failed}.")
    sent = result.deliveries
    if sent.sent or sent.failed or sent.retrying or sent.unreachable:
        click.echo(f"HTTP deliveries: sent {sent.sent}, failed {sent.failed}.")
    if sent.retrying or sent.unreachable:
        click.echo(f"{sent.retrying + sent.unreachable} HTTP deliveries will be tried again later.")
    if result.retrying:
        click.echo(f"{result.retrying} will be tried again later.")
    if result.unreachable:
        click.echo("The mail server could not be reached; the rest will be tried again.")
    if not mail.configured():
        waiting = outbox.counts()[OutboxState.WAITING]
        click.echo(f"SMTP_HOST is not set: nothing was sent ({waiting} waiting).")


def prune() -> tuple[int, int]:
    """Delete read notifications and sent e-mails past NOTIFICATION_RETENTION_DAYS
    (part of `flask prune`); the caller commits."""
    days = current_app.config["NOTIFICATION_RETENTION_DAYS"]
    outbox.expire(utcnow())
    return centre.prune(days), outbox.prune(days)
