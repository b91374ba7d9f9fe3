"""Notifications for the demo organisation, so the notification centre, the header's
count and the admin's outbox have something to show (`flask demo`, safe to repeat).

Most come from the demo's own changes (modules assigned, coaching sessions shared)
and from the worker's reminder scans, which the demo runs once; this adds what the
demo does not do itself."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from coachkit.auth.models import Role, User
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.notifications import centre, digest, preferences, scans
from coachkit.notifications.kinds import Delivery, Kind
from coachkit.notifications.links import path_for
from coachkit.notifications.models import Notification
from coachkit.notifications.notify import notify

# An employee who reads training news in a daily digest.
DIGEST_READER = "Priya Nair"


def choose(people: list[User]) -> None:
    """People's choices of e-mail, made before the demo's changes notify them."""
    digest_reader = next((p for p in people if p.name == DIGEST_READER), None)
    if digest_reader is not None:
        preferences.save(
            digest_reader,
            {Kind.MODULE_ASSIGNED: Delivery.DIGEST, Kind.MODULE_DUE_SOON: Delivery.DIGEST},
        )


def create(people: list[User]) -> None:
    """The reminders due today, and a few notifications per person, each made once
    however often the demo runs."""
    for name, scan in scans.registered(current_app).items():
        if name != digest.NAME:  # the digest waits for the worker, at DIGEST_HOUR
            scan(utcnow())
    for person in people:
        if person.role is Role.MANAGER:
            notify(
                person,
                Kind.SESSION_ACKNOWLEDGED,
                "Sessions you recorded were acknowledged",
                path_for("coaching.index"),
                once="demo:acknowledged",
            )
        elif person.role in (Role.RECRUITER, Role.ADMIN):
            notify(
                person,
                Kind.ANSWERS_WAITING,
                "Candidates' answers wait for your rating",
                path_for("hiring.rating.index"),
                once="demo:answers",
            )
    _read_the_oldest(people)


def _read_the_oldest(people: list[User]) -> None:
    """Mark the first notification of the first half of the people read, so the centre
    shows both kinds."""
    for person in people[: len(people) // 2]:
        oldest = db.session.scalar(
            select(Notification)
            .where(Notification.recipient_id == person.id)
            .order_by(Notification.id)
            .limit(1)
        )
        if oldest is not None and oldest.read_at is None:
            centre.mark_read(oldest)
