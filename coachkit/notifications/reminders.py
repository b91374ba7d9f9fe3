"""Reminders of things falling due, for features' scans: due soon (once per due date),
and overdue (once as the person prefers, then once a week in the digest at most).

A scan gathers its `Reminder`s as plain values from one query of the data and hands
them over; those already sent are looked up a few hundred at a time, so a scan costs a
few statements whatever it finds. Due dates are days, so a reminder scan looks at the
data once a day (`daily`), on the worker's first pass after midnight UTC:

    @reminders.daily
    def due_soon(now: datetime) -> int:
        return reminders.send(Kind.MODULE_DUE_SOON, [Reminder(...), ...])
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from coachkit.auth.models import User
from coachkit.extensions import db
from coachkit.notifications import occasions
from coachkit.notifications.kinds import Delivery, Kind
from coachkit.notifications.notify import Draft, notify

# "Due soon" is due within this many days (today included).
DUE_SOON_DAYS = 2


@dataclass(frozen=True, kw_only=True)
class Reminder(Draft):
    """One reminder to one person. `occasion` names the thing and its due date (e.g.
    "assignment:42:2026-12-05"), so a new due date reminds again."""

    occasion: str


def due_soon_until(today: date) -> date:
    """The last due date that counts as due soon today."""
    return today + timedelta(days=DUE_SOON_DAYS)


def daily(scan: Callable[[datetime], int]) -> Callable[[datetime], int]:
    """`scan`, run once a day: later passes the same day (UTC) do nothing. The day is
    recorded in the scan's transaction, so a scan that fails runs again."""
    name = f"{scan.__module__}.{scan.__qualname__}"

    @functools.wraps(scan)
    def once_a_day(now: datetime) -> int:
        if not occasions.claim([occasions.key("scan", now.date().isoformat(), name)]):
            return 0
        return scan(now)

    return once_a_day


def send(kind: Kind, reminders: Sequence[Reminder]) -> int:
    """Notify each reminder's recipient once per occasion; return how many."""
    return _notify(kind, [(r, r.occasion, None) for r in _not_sent(kind, reminders, _occasion)])


def send_overdue(kind: Kind, reminders: Sequence[Reminder], today: date) -> int:
    """Notify each overdue reminder once as its recipient prefers; after that once per
    ISO week while it stays overdue, in the digest at most. Return how many."""
    year, week, _day = today.isocalendar()

    def weekly(reminder: Reminder) -> str:
        return f"{reminder.occasion}:{year}-W{week:02d}"

    first = _not_sent(kind, reminders, _occasion)
    # Told for the first time: that is this week's reminder too.
    occasions.claim([occasions.key(kind, weekly(r), f"u{r.recipient_id}") for r in first])
    told = set(first)
    again = _not_sent(kind, [r for r in reminders if r not in told], weekly)
    return _notify(
        kind,
        [(r, r.occasion, None) for r in first] + [(r, weekly(r), Delivery.DIGEST) for r in again],
    )


def settle(kind: Kind, recipient_id: int, occasion: str) -> None:
    """Record `occasion` as reminded without notifying, e.g. a due-soon reminder of a
    module assigned a day before it is due: the assignment's notification said so."""
    occasions.claim([occasions.key(kind, occasion, f"u{recipient_id}")])


_CHUNK = 500


def _occasion(reminder: Reminder) -> str:
    return reminder.occasion


def _not_sent(
    kind: Kind, reminders: Sequence[Reminder], occasion: Callable[[Reminder], str]
) -> list[Reminder]:
    keys = [occasions.key(kind, occasion(r), f"u{r.recipient_id}") for r in reminders]
    used = occasions.recorded(keys, chunk=_CHUNK)
    return [r for r, key in zip(reminders, keys, strict=True) if key not in used]


def _notify(kind: Kind, sends: list[tuple[Reminder, str, Delivery | None]]) -> int:
    """Notify the active among the recipients, each reminder once for its occasion (at
    most by its delivery), all in user-id order: the order every writer adds to unread
    counts in, so this transaction and a request's never wait for each other."""
    ids = sorted({reminder.recipient_id for reminder, _once, _at_most in sends})
    people: dict[int, User] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        found = db.session.scalars(select(User).where(User.id.in_(chunk), User.active.is_(True)))
        people.update((person.id, person) for person in found)
    made = 0
    for reminder, once, at_most in sorted(sends, key=lambda each: each[0].recipient_id):
        person = people.get(reminder.recipient_id)
        if person is not None and notify(
            person,
            kind,
            reminder.subject,
            reminder.path,
            details=reminder.details,
            about=reminder.about,
            ical=reminder.ical,
            once=once,
            at_most=at_most,
        ):
            made += 1
    return made
