"""What hiring tells people in daily scans the worker finds from the data: the
written answers waiting for each rater's rating, the candidates who handed in or
ran out of time the day before (to the opening's owner), and one reminder to a
candidate who has not started, 3 days before their link expires.

Every recruiter and admin may see and rate every opening (`visible_openings`), so
those are the raters; anyone else hears nothing. Rating is blind: a message gives
counts and the opening's title, never a candidate's name or code. One message per
person per opening per day at most (the occasion names the day).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager

from coachkit.auth.models import User
from coachkit.extensions import db
from coachkit.hiring import invitations
from coachkit.hiring.models import HIRERS, Candidate, CandidateStatus, Invitation, Opening
from coachkit.hiring.rating.queue import overview
from coachkit.notifications import reminders
from coachkit.notifications.kinds import Kind
from coachkit.notifications.links import path_for
from coachkit.notifications.outbox import About
from coachkit.notifications.reminders import Reminder

# A candidate who has not started hears once, this many days before the link expires
# (not when the link was issued within the last day: the invitation just said it).
REMIND_DAYS = 3


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def raters() -> list[User]:
    """The active people who may rate every opening's answers."""
    return list(
        db.session.scalars(
            select(User).where(User.role.in_(HIRERS), User.active.is_(True)).order_by(User.id)
        )
    )


@reminders.daily
def answers_waiting(now: datetime) -> int:
    """Tell each rater, per open opening, how many written answers wait for them (one
    query per rater: a daily scan over the hiring desk's few dozen people)."""
    openings = db.session.scalars(
        select(Opening).where(Opening.closed_at.is_(None)).order_by(Opening.id)
    ).all()
    if not openings:
        return 0
    day = now.date().isoformat()
    due = [
        Reminder(
            recipient_id=rater.id,
            subject=f"{_plural(progress.waiting, 'answer')} to rate for {progress.opening.title}",
            path=path_for("hiring.rating.queue", opening_id=progress.opening.id),
            details=(
                f"{_plural(progress.waiting, 'written answer')} for {progress.opening.title} "
                "still need your rating."
            ),
            about=About("opening", progress.opening.id),
            occasion=f"opening:{progress.opening.id}:{day}",
        )
        for rater in raters()
        for progress in overview(openings, rater)
        if progress.waiting
    ]
    return reminders.send(Kind.ANSWERS_WAITING, due)


@reminders.daily
def handed_in(now: datetime) -> int:
    """Tell each opening's owner how many candidates handed in, and how many ran out of
    time, on the day before."""
    end = datetime.combine(now.date(), datetime.min.time(), tzinfo=now.tzinfo)
    start = end - timedelta(days=1)
    timed_out = func.sum(case((Candidate.timed_out.is_(True), 1), else_=0))
    rows = db.session.execute(
        select(Opening.id, Opening.title, Opening.created_by_id, func.count(), timed_out)
        .join(Candidate, Candidate.opening_id == Opening.id)
        .join(User, User.id == Opening.created_by_id)
        .where(
            Candidate.submitted_at >= start,
            Candidate.submitted_at < end,
            User.role.in_(HIRERS),
        )
        .group_by(Opening.id, Opening.title, Opening.created_by_id)
    ).all()
    due = []
    for opening_id, title, owner_id, count, ran_out in rows:
        ran_out = int(ran_out or 0)
        parts = [_plural(count - ran_out, "candidate") + " handed in"] if count > ran_out else []
        if ran_out:
            parts.append(f"{ran_out} ran out of time")
        due.append(
            Reminder(
                recipient_id=owner_id,
                subject=f"{', '.join(parts)} on {title}",
                path=path_for("hiring.openings.show", opening_id=opening_id),
                details=f"On {start:%-d %B %Y}: {', '.join(parts)}.",
                about=About("opening", opening_id),
                occasion=f"opening:{opening_id}:{start.date().isoformat()}",
            )
        )
    return reminders.send(Kind.CANDIDATES_HANDED_IN, due)


@reminders.daily
def expiring_links(now: datetime) -> int:
    """Remind each candidate who has not started, once, when their link expires within
    REMIND_DAYS, on openings that ask for it; return how many."""
    due = db.session.scalars(
        select(Invitation)
        .join(Invitation.candidate)
        .join(Candidate.opening)
        .where(
            Candidate.status == CandidateStatus.INVITED,
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
            Invitation.expires_at <= now + timedelta(days=REMIND_DAYS),
            Invitation.issued_at < now - timedelta(days=1),
            Opening.remind_before_expiry.is_(True),
            Opening.closed_at.is_(None),
        )
        .options(contains_eager(Invitation.candidate).contains_eager(Candidate.opening))
        .order_by(Invitation.id)
    ).all()
    return sum(invitations.remind(invitation) for invitation in due)
