"""Notes on a candidate for the people who decide: written on the candidate's page,
listed newest first with who wrote them and when, decisions and their reasons among
them. Plain text (escaped by Jinja, line breaks kept); the rating pages never read
them, so raters score blind of them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coachkit.auth.models import User
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring.models import Candidate, CandidateNote, CandidateStatus


def add(
    candidate: Candidate,
    author: User | None,
    text: str,
    decision: CandidateStatus | None = None,
) -> CandidateNote:
    """Write a note on `candidate` (with `decision`: the reason for that decision)."""
    now = utcnow()
    note = CandidateNote(
        candidate_id=candidate.id,
        author_id=author.id if author is not None else None,
        text=text.strip(),
        decision=decision,
        created_at=now,
    )
    db.session.add(note)
    candidate.last_activity_at = now
    db.session.flush()
    return note


def of(candidate: Candidate) -> Sequence[CandidateNote]:
    """The candidate's notes and decisions, newest first, with their authors (one query)."""
    return db.session.scalars(
        select(CandidateNote)
        .where(CandidateNote.candidate_id == candidate.id)
        .options(joinedload(CandidateNote.author))
        .order_by(CandidateNote.created_at.desc(), CandidateNote.id.desc())
    ).all()
