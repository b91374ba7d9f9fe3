"""Moments as a candidate reads them: a relative phrase ("in 13 days") that needs no
JavaScript, beside the exact time that `static/local_time.js` puts in their own zone."""

from __future__ import annotations

from datetime import datetime

from coachkit.database import utcnow

UNITS = ((86400, "day"), (3600, "hour"), (60, "minute"))


def _amount(seconds: float) -> str:
    for size, unit in UNITS:
        if seconds >= size:
            count = round(seconds / size)
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return "less than a minute"


def relative(moment: datetime, now: datetime | None = None) -> str:
    """`moment` from `now` in words: "in 13 days", "in 5 hours", "3 days ago"."""
    seconds = (moment - (now or utcnow())).total_seconds()
    if abs(seconds) < 60:
        return "in less than a minute" if seconds >= 0 else "just now"
    amount = _amount(abs(seconds))
    return f"in {amount}" if seconds > 0 else f"{amount} ago"


def minutes_left(seconds: int) -> str:
    """Time left on the clock, rounded up to whole minutes: "about 7 minutes"."""
    minutes = (seconds + 59) // 60
    if minutes <= 0:
        return "no time"
    return f"about {minutes} minute{'' if minutes == 1 else 's'}"
