"""Deciding about a candidate who has handed in: shortlist, reject or hire, with the
reason kept on the candidate and in their notes (the history of decisions)."""

from __future__ import annotations

from typing import cast

from sqlalchemy import CursorResult, delete

from coachkit.auth.models import User
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring import results
from coachkit.hiring.candidates import notes
from coachkit.hiring.models import DECISIONS, Candidate, CandidateStatus, Handover


class NotAnswered(ValueError):
    """A decision about a candidate who has not handed in their answers."""


def decide(
    candidate: Candidate, decision: CandidateStatus, reason: str = "", by: User | None = None
) -> bool:
    """Shortlist, reject or hire a candidate who has handed in their answers, for
    `reason` (kept with the decision and in the history); True when this withdrew the
    hand-over of a hire who is no longer hired."""
    if decision not in DECISIONS:
        raise ValueError(f"{decision} is not a decision")
    results.lock(candidate)
    if not candidate.answered:
        raise NotAnswered(candidate.code)
    withdrawn = False
    if candidate.status == CandidateStatus.HIRED and decision != CandidateStatus.HIRED:
        # No longer a new starter: the team's copy of their profile goes too.
        result = db.session.execute(delete(Handover).where(Handover.candidate_id == candidate.id))
        withdrawn = bool(cast(CursorResult, result).rowcount)
    candidate.status, candidate.decision_reason = decision, reason.strip() or None
    notes.add(candidate, by, reason, decision=decision)
    candidate.decided_at = candidate.last_activity_at = utcnow()
    db.session.flush()
    return withdrawn
