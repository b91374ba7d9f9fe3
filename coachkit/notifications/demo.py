"""Notifications for the demo organisation, so the notification centre, the header's
count and the admin's outbox have something to show (`flask demo`, safe to repeat)."""

from __future__ import annotations

from sqlalchemy import select

from coachkit.auth.models import Role, User
from coachkit.extensions import db
from coachkit.notifications import centre, preferences
from coachkit.notifications.kinds import Delivery, Kind
from coachkit.notifications.links import path_for
from coachkit.notifications.models import Notification
from coachkit.notifications.notify import notify

# An employee who reads training news in a daily digest.
DIGEST_READER = "Priya Nair"


def create(
    people: list[User], *, module_slug: str, module_title: str, overdue: tuple[str, ...]
) -> None:
    """A few notifications per person, each made once however often the demo runs."""
    digest_reader = next((p for p in people if p.name == DIGEST_READER), None)
    if digest_reader is not None:
        preferences.save(
            digest_reader,
            {Kind.MODULE_ASSIGNED: Delivery.DIGEST, Kind.MODULE_DUE_SOON: Delivery.DIGEST},
        )
    module_page = path_for("training.show", slug=module_slug)
    for person in people:
        if person.role is Role.EMPLOYEE:
            notify(
                person,
                Kind.MODULE_ASSIGNED,
                f"{module_title} is assigned to you",
                module_page,
                details="Your manager assigned it to the whole team.",
                once="demo:assigned",
            )
            if person.name in overdue:
                notify(
                    person,
                    Kind.MODULE_OVERDUE,
                    f"{module_title} is overdue",
                    module_page,
                    once="demo:overdue",
                )
        elif person.role is Role.MANAGER:
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
                path_for("rating.index"),
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
