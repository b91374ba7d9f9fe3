"""Deleting candidates: one at a recruiter's request, or every candidate nobody has
done anything with for the retention period (`flask hiring purge`, `flask prune`).

Deleting a candidate row removes their invite, answers, raters' scores, skill results
and self-identification through ON DELETE CASCADE; a hand-over made on hire keeps its
copy of the profile (its link to the candidate is set to NULL). E-mails to the
candidate not sent yet are withdrawn (`forget`): nothing goes out to a deleted person.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete

from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring.models import Candidate, candidates_deleted
from coachkit.notifications.notify import forget
from coachkit.notifications.outbox import About


def delete_candidate(candidate: Candidate) -> None:
    """Delete the candidate and, by cascade, everything recorded about them. One DELETE
    that returns what it removed: the status counts lose the status the row held when
    it went (another request may have changed it since this one read it), and nothing
    when another request deleted it first."""
    removed = (
        db.session.execute(
            delete(Candidate)
            .where(Candidate.id == candidate.id)
            .returning(Candidate.opening_id, Candidate.status)
            .execution_options(synchronize_session=False)
        )
        .tuples()
        .all()
    )
    candidates_deleted(removed)
    forget(About("candidate", candidate.id))
    db.session.expunge(candidate)


def purge(days: int, now: datetime | None = None) -> int:
    """Delete candidates nobody has done anything with for `days` days; return how many.
    Hand-overs stay: they are the new starter's records now."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    removed = (
        db.session.execute(
            delete(Candidate)
            .where(Candidate.last_activity_at < cutoff)
            .returning(Candidate.id, Candidate.opening_id, Candidate.status)
            .execution_options(synchronize_session=False)
        )
        .tuples()
        .all()
    )
    candidates_deleted([(opening_id, status) for _id, opening_id, status in removed])
    for candidate_id, _opening_id, _status in removed:
        forget(About("candidate", candidate_id))
    db.session.expire_all()
    return len(removed)
