"""Calendar invitations (iCalendar, RFC 5545) attached to e-mails, e.g. the next
coaching session's date."""

from __future__ import annotations

from datetime import date, timedelta

from icalendar import Calendar, Event

from coachkit.database import utcnow


def all_day_event(
    uid: str, day: date, summary: str, *, description: str = "", url: str = ""
) -> bytes:
    """One all-day event as an .ics file. `uid` stays the same for the same thing (e.g.
    "coaching-session-12-next@coachkit"), so a calendar updates rather than duplicates
    it when a changed date is sent again."""
    calendar = Calendar()
    calendar.add("prodid", "-//coachkit//notifications//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", utcnow())
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    calendar.add_component(event)
    return calendar.to_ical()
