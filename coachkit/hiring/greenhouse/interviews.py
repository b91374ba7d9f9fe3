"""Interviews: the tests Greenhouse sends. `send` makes (or finds) the candidate on the
opening and invites them as a recruiter would; `status` tells how far they are.

One interview per candidate, and a candidate is one e-mail address per opening: the
same send_test twice (Greenhouse retrying, or a double click there) finds the same
interview instead of making a second candidate.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from coachkit.content.library import library
from coachkit.extensions import db
from coachkit.hiring import invitations
from coachkit.hiring.candidates import roster
from coachkit.hiring.greenhouse.models import Interview, PartnerKey
from coachkit.hiring.greenhouse.payloads import BadPayload, SendTest
from coachkit.hiring.models import Candidate, CandidateStatus, Opening
from coachkit.notifications import links

COMPLETE, INCOMPLETE = "complete", "incomplete"
MAX_ID_DIGITS = 9  # ids are 32-bit integers: longer numbers name nothing here


def id_in(text: str) -> int | None:
    """The row id a partner_test_id or partner_interview_id carries, or None."""
    if text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS:
        return int(text)
    return None


def open_tests() -> list[Opening]:
    """The tests Greenhouse may send: one per open opening, by title."""
    return list(
        db.session.scalars(
            select(Opening).where(Opening.closed_at.is_(None)).order_by(Opening.title, Opening.id)
        )
    )


def test_of(partner_test_id: str) -> Opening:
    """The open opening a partner_test_id names, or BadPayload."""
    opening_id = id_in(partner_test_id)
    opening = db.session.get(Opening, opening_id) if opening_id is not None else None
    if opening is None:
        raise BadPayload(f"No test has partner_test_id {partner_test_id!r}: see list_tests.", 404)
    if not opening.is_open:
        raise BadPayload(f"The test {partner_test_id!r} is closed: it takes no candidates.", 409)
    return opening


def send(request: SendTest, key: PartnerKey) -> Interview:
    """The interview for this candidate and test: found, or made with the candidate
    (added to the opening if new) and their invitation e-mail in the outbox."""
    opening = test_of(request.partner_test_id)
    candidate = db.session.scalar(
        select(Candidate)
        .where(Candidate.opening_id == opening.id, Candidate.email == request.email)
        .options(selectinload(Candidate.invitation))
    )
    if candidate is not None:
        found = db.session.scalar(select(Interview).where(Interview.candidate_id == candidate.id))
        if found is not None:
            return found
    else:
        candidate = roster.add(opening, request.name, request.email)
    interview = Interview(
        candidate=candidate,
        key_id=key.id,
        callback_url=request.callback_url,
        greenhouse_profile_url=request.greenhouse_profile_url,
    )
    db.session.add(interview)
    if candidate.status == CandidateStatus.NEW:
        invitations.queue([(candidate, invitations.issue(candidate))])
    db.session.flush()
    return interview


def find(partner_interview_id: str | None) -> Interview:
    """The interview a partner_interview_id names (with its candidate), or BadPayload."""
    if not partner_interview_id:
        raise BadPayload("partner_interview_id is missing.", 400)
    interview, interview_id = None, id_in(partner_interview_id)
    if interview_id is not None:
        interview = db.session.scalar(
            select(Interview)
            .where(Interview.id == interview_id)
            .options(
                joinedload(Interview.candidate).selectinload(Candidate.skill_results),
            )
        )
    if interview is None:
        raise BadPayload(f"No interview has partner_interview_id {partner_interview_id!r}.", 404)
    return interview


def partner_score(overall: float) -> int:
    """The 1-5 overall on Greenhouse's 0-100: 1 is 0, 3 is 50, 5 is 100."""
    return round((min(max(overall, 1.0), 5.0) - 1.0) * 25)


def is_complete(candidate: Candidate) -> bool:
    """Handed in, and every written answer has its raters: the scores are final."""
    return candidate.submitted_at is not None and candidate.fully_rated


def status(interview: Interview) -> dict[str, Any]:
    """The test_status answer: complete once the scores are final; the score and each
    skill's (1-5) as soon as there are any, marked provisional until then."""
    candidate = interview.candidate
    answer: dict[str, Any] = {
        "partner_status": COMPLETE if is_complete(candidate) else INCOMPLETE,
        "partner_profile_url": links.for_endpoint(
            "hiring.candidates.show", opening_id=candidate.opening_id, candidate_id=candidate.id
        ),
    }
    metadata: dict[str, Any] = {"Stage": candidate.status.label}
    if candidate.submitted_at is not None:
        metadata["Handed in at"] = candidate.submitted_at.strftime("%Y-%m-%d %H:%M UTC")
    if candidate.overall is not None:
        answer["partner_score"] = partner_score(candidate.overall)
        metadata["Scores"] = "final" if is_complete(candidate) else "provisional"
        metadata["Overall (1-5)"] = round(candidate.overall, 2)
        skills = library().skills
        for result in candidate.skill_results:
            name = skills[result.skill].name if result.skill in skills else result.skill
            metadata[f"{name} (1-5)"] = round(result.score, 2)
    answer["metadata"] = metadata
    return answer
