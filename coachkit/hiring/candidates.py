"""Candidates of an opening: adding them one by one or from a CSV file, their neutral
codes, invitations in bulk, decisions, deletion and the retention purge.

Deleting a candidate row removes their invite, answers, raters' scores, skill results
and self-identification through ON DELETE CASCADE; a hand-over made on hire keeps its
copy of the profile (its link to the candidate is set to NULL).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import cast

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.orm import selectinload

from coachkit.auth.forms import email_key
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring import invitations, results
from coachkit.hiring.models import (
    DECISIONS,
    Candidate,
    CandidateStatus,
    Handover,
    Opening,
    candidates_deleted,
)

# Codes such as "KFM-473": no letters or digits that are easily mistaken for each other
# (0/O, 1/I/L, 2/Z, 5/S, 8/B), so a code read out over the phone arrives intact.
CODE_LETTERS = "ACDEFGHJKMNPQRTUVWXY"
CODE_DIGITS = "34679"
CODE_ATTEMPTS = 50
MAX_NAME = 120
MAX_EMAIL = 254
# Invitations sent by one "Invite all": enough for a busy day, few enough to e-mail well
# within a request (over one SMTP connection) and to show on one page when not e-mailed.
INVITE_BATCH = 100


class AlreadyCandidate(ValueError):
    """The e-mail address is already a candidate's in this opening."""


class NotAnswered(ValueError):
    """A decision about a candidate who has not handed in their answers."""


def new_code(taken: set[str]) -> str:
    """A random neutral code not in `taken` (which it is added to)."""
    for _ in range(CODE_ATTEMPTS):
        letters = "".join(secrets.choice(CODE_LETTERS) for _ in range(3))
        digits = "".join(secrets.choice(CODE_DIGITS) for _ in range(3))
        code = f"{letters}-{digits}"
        if code not in taken:
            taken.add(code)
            return code
    raise RuntimeError("no free candidate code found")  # 1M codes: practically unreachable


def codes_in_use(opening_id: int) -> set[str]:
    return set(db.session.scalars(select(Candidate.code).where(Candidate.opening_id == opening_id)))


def emails_in_use(opening_id: int) -> set[str]:
    return set(
        db.session.scalars(select(Candidate.email).where(Candidate.opening_id == opening_id))
    )


def email_problem(address: str) -> str | None:
    """Why `address` (already normalised) is not a usable e-mail address, or None."""
    if not address:
        return "The e-mail address is missing"
    if len(address) > MAX_EMAIL:
        return f"The e-mail address is longer than {MAX_EMAIL} characters"
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return f"“{address}” is not a valid e-mail address"
    return None


def add(opening: Opening, name: str, email: str) -> Candidate:
    """Add a candidate with a fresh neutral code; AlreadyCandidate for a known e-mail."""
    email = email_key(email)
    if email in emails_in_use(opening.id):
        raise AlreadyCandidate(email)
    candidate = Candidate(
        opening=opening, name=name.strip(), email=email, code=new_code(codes_in_use(opening.id))
    )
    db.session.add(candidate)
    db.session.flush()
    return candidate


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
    db.session.expunge(candidate)


def decide(candidate: Candidate, decision: CandidateStatus) -> bool:
    """Shortlist, reject or hire a candidate who has handed in their answers; True when
    this withdrew the hand-over of a hire who is no longer hired."""
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
    candidate.status = decision
    candidate.decided_at = candidate.last_activity_at = utcnow()
    db.session.flush()
    return withdrawn


@dataclass(frozen=True)
class Invited:
    """Links issued by `invite_new`, and how many new candidates still wait for one."""

    issued: list[tuple[Candidate, str]]
    remaining: int


def invite_new(opening: Opening, limit: int = INVITE_BATCH) -> Invited:
    """Issue links for up to `limit` candidates of `opening` still waiting for one,
    oldest first; return each candidate with their link (the token is not stored, so
    this is the only copy) and how many are left for the next batch."""
    waiting = select(Candidate).where(
        Candidate.opening_id == opening.id, Candidate.status == CandidateStatus.NEW
    )
    batch = db.session.scalars(
        waiting.options(selectinload(Candidate.invitation))
        .order_by(Candidate.created_at, Candidate.id)
        .limit(limit)
    ).all()
    issued = [(candidate, invitations.issue(candidate)) for candidate in batch]
    remaining = db.session.scalar(select(func.count()).select_from(waiting.subquery()))
    return Invited(issued, remaining or 0)


def purge(days: int, now: datetime | None = None) -> int:
    """Delete candidates nobody has done anything with for `days` days; return how many.
    Hand-overs stay: they are the new starter's records now."""
    cutoff = (now or utcnow()) - timedelta(days=days)
    removed = (
        db.session.execute(
            delete(Candidate)
            .where(Candidate.last_activity_at < cutoff)
            .returning(Candidate.opening_id, Candidate.status)
            .execution_options(synchronize_session=False)
        )
        .tuples()
        .all()
    )
    candidates_deleted(removed)
    db.session.expire_all()
    return len(removed)


def time_taken(candidate: Candidate) -> str:
    """How long the candidate took, for people: "11 min 40 s", "timed out"."""
    seconds = candidate.seconds_taken
    if seconds is None:
        return "timed out" if candidate.timed_out else ""
    if seconds >= 3600:
        text = f"{seconds // 3600} h {seconds % 3600 // 60} min"
    elif seconds >= 60:
        text = f"{seconds // 60} min {seconds % 60} s"
    else:
        text = f"{seconds} s"
    return f"{text}, timed out" if candidate.timed_out else text


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str


@dataclass
class ImportReport:
    added: list[Candidate] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def import_rows(opening: Opening, rows: Iterable[tuple[int, str, str]]) -> ImportReport:
    """Add a candidate for every good (line, name, e-mail) row; report the others."""
    report = ImportReport()
    known, codes = emails_in_use(opening.id), codes_in_use(opening.id)
    seen: dict[str, int] = {}
    for line, raw_name, raw_email in rows:
        name, email = " ".join(raw_name.split()), email_key(raw_email)
        if reason := _row_problem(name, email, seen, known):
            report.problems.append(RowProblem(line, reason))
            continue
        seen[email] = line
        candidate = Candidate(opening=opening, name=name, email=email, code=new_code(codes))
        report.added.append(candidate)
    db.session.add_all(report.added)
    db.session.flush()
    return report


def _row_problem(name: str, email: str, seen: dict[str, int], known: set[str]) -> str | None:
    if not name:
        return "The name is missing"
    if len(name) > MAX_NAME:
        return f"The name is longer than {MAX_NAME} characters"
    if problem := email_problem(email):
        return problem
    if email in seen:
        return f"{email} is already on line {seen[email]} of this file"
    if email in known:
        return f"{email} is already a candidate for this opening"
    return None
