"""A candidate answering their exercise: consent and start, saving answers as they go,
the time limit, and handing in.

Starting keeps the link alive for the whole attempt, and once started an attempt is
never stranded: when its time or its link runs out, the next request hands in what was
saved (`lapsed`). Only a link the recruiter revoked leaves a started attempt as it is.

Every write here runs after `lock` has taken the candidate's row (`SELECT ... FOR
UPDATE` on PostgreSQL; SQLite's `BEGIN IMMEDIATE` serialises writers already), so two
saves of the same answer (autosave racing "Save and continue", two tabs) queue one
behind the other: the second finds the first's row and updates it, and a double-clicked
"Submit" hands in once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from coachkit.content.exercises import Exercise, Item, score_best_worst, score_ratings
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.hiring import results
from coachkit.hiring.models import Answer, Candidate, CandidateStatus, Invitation
from coachkit.hiring.versions import exercise_of

# Saves already on their way when the clock runs out are still accepted.
GRACE = timedelta(seconds=30)
# Starting an exercise without a time limit keeps the link working at least this long,
# however close it was to expiring: a day is ample for an exercise of a few minutes.
UNTIMED_LINK_MINIMUM = timedelta(days=1)
# A hard ceiling on stored text, far above any item's word limit.
MAX_TEXT_CHARACTERS = 20_000


def begin(
    candidate: Candidate, time_limit_minutes: int | None, now: datetime | None = None
) -> None:
    """Record consent and start the attempt (the clock starts only the first time), and
    keep the link working until the attempt can end by itself."""
    now = now or utcnow()
    if candidate.consented_at is None:
        candidate.consented_at = now
    if candidate.started_at is None:
        candidate.started_at = now
        if time_limit_minutes:
            candidate.deadline_at = now + timedelta(minutes=time_limit_minutes)
        candidate.last_position = 1
    if candidate.status in (CandidateStatus.NEW, CandidateStatus.INVITED):
        candidate.status = CandidateStatus.STARTED
    candidate.last_activity_at = now
    if candidate.invitation is not None:
        _keep_link_for_attempt(candidate.invitation, candidate, now)
    db.session.flush()


def _keep_link_for_attempt(invitation: Invitation, candidate: Candidate, now: datetime) -> None:
    """Push the link's expiry past the deadline (and its grace), or with no time limit to
    at least `UNTIMED_LINK_MINIMUM` from now; never bring it forward."""
    if candidate.deadline_at is not None:
        needed = candidate.deadline_at + GRACE
    else:
        needed = now + UNTIMED_LINK_MINIMUM
    invitation.expires_at = max(invitation.expires_at, needed)


def started(candidate: Candidate) -> bool:
    return candidate.started_at is not None


def time_up(candidate: Candidate, now: datetime | None = None) -> bool:
    """Whether the time limit has run out, grace for in-flight saves included."""
    if candidate.deadline_at is None or candidate.submitted_at is not None:
        return False
    return (now or utcnow()) > candidate.deadline_at + GRACE


def lapsed(candidate: Candidate, invitation: Invitation, now: datetime | None = None) -> bool:
    """Whether a started attempt is over because its time or its link ran out, so what was
    saved should be handed in. A revoked link is not a lapse: the recruiter stopped it on
    purpose, and its saved answers stay as they are."""
    if not started(candidate) or candidate.submitted_at is not None:
        return False
    if invitation.revoked_at is not None:
        return False
    now = now or utcnow()
    return time_up(candidate, now) or invitation.expires_at <= now


def ran_out_of_time(candidate: Candidate) -> bool:
    """Whether a timed-out attempt ended by its clock; False when its link expired first
    (an attempt started before links were kept alive, or one without a time limit)."""
    if not candidate.timed_out or candidate.deadline_at is None:
        return False
    invitation = candidate.invitation
    return invitation is None or candidate.deadline_at + GRACE <= invitation.expires_at


def seconds_left(candidate: Candidate, now: datetime | None = None) -> int | None:
    """Whole seconds until the deadline (0 once it has passed); None without a limit."""
    if candidate.deadline_at is None:
        return None
    return max(0, int((candidate.deadline_at - (now or utcnow())).total_seconds()))


def count_words(text: str) -> int:
    return len(text.split())


def answers_of(candidate: Candidate) -> dict[str, Answer]:
    """The candidate's saved answers by item id."""
    rows = db.session.scalars(select(Answer).where(Answer.candidate_id == candidate.id))
    return {answer.item_id: answer for answer in rows}


def answer_to(candidate: Candidate, item: Item) -> Answer | None:
    return db.session.scalar(
        select(Answer).where(Answer.candidate_id == candidate.id, Answer.item_id == item.id)
    )


def is_answered(item: Item, answer: Answer | None) -> bool:
    """A judgement item is answered once it can be scored; an open one once it has text."""
    if answer is None:
        return False
    return answer.credit is not None if item.keyed else bool(results.answered_text(answer))


def credit_for(item: Item, value: Mapping[str, Any]) -> float | None:
    """The keyed credit (0-1) of a complete judgement answer; None for an open item.

    Raises ValueError when the answer does not fit the item."""
    if not item.keyed:
        return None
    if item.answer == "best-worst":
        return score_best_worst(item, int(value["best"]), int(value["worst"]))
    return score_ratings(item, [int(rating) for rating in value["ratings"]])


def save(
    candidate: Candidate, item: Item, value: dict[str, Any], now: datetime | None = None
) -> Answer:
    """Store the candidate's answer to `item` (one row per item, updated in place) and
    note the activity. Call after `lock`."""
    now = now or utcnow()
    credit = credit_for(item, value)
    answer = answer_to(candidate, item)
    if answer is None:
        answer = Answer(candidate_id=candidate.id, item_id=item.id)
        db.session.add(answer)
    answer.value, answer.credit, answer.updated_at = value, credit, now
    candidate.last_activity_at = now
    db.session.flush()
    return answer


def move_to(candidate: Candidate, position: int, exercise: Exercise) -> None:
    """Remember where the candidate carries on when they come back (their activity)."""
    candidate.last_position = min(max(position, 1), len(exercise.items))
    candidate.last_activity_at = utcnow()


def hand_in(
    candidate: Candidate,
    exercise: Exercise,
    *,
    timed_out: bool = False,
    now: datetime | None = None,
) -> bool:
    """Hand in what is saved and compute the results; False if it was handed in before.

    `timed_out` marks an attempt handed in because its time or its link ran out (see
    `lapsed`); it counts the time up to its deadline or its link's expiry, whichever came
    first, however late it is closed.
    """
    if candidate.submitted_at is not None:
        return False
    now = now or utcnow()
    ended = now
    if timed_out:
        limits = [candidate.deadline_at]
        if candidate.invitation is not None:
            limits.append(candidate.invitation.expires_at)
        ended = min([now, *(limit for limit in limits if limit is not None)])
    candidate.submitted_at = now
    candidate.timed_out = timed_out
    started_at = candidate.started_at or now
    candidate.seconds_taken = max(0, int((ended - started_at).total_seconds()))
    if not candidate.status.decided:
        candidate.status = CandidateStatus.SUBMITTED
    candidate.last_activity_at = now
    db.session.flush()
    results.refresh(candidate, exercise)
    return True


def hand_in_lapsed(now: datetime | None = None) -> int:
    """Hand in every attempt that lapsed while its candidate was away (time or link ran
    out, link not revoked), so recruiters never wait on an attempt that cannot go on;
    return how many. Run daily with `flask prune` (candidates who come back meanwhile
    are handed in on their visit)."""
    now = now or utcnow()
    stalled = db.session.scalars(
        select(Candidate)
        .join(Invitation, Invitation.candidate_id == Candidate.id)
        .where(
            Candidate.started_at.is_not(None),
            Candidate.submitted_at.is_(None),
            Invitation.revoked_at.is_(None),
            (Invitation.expires_at <= now) | (Candidate.deadline_at <= now - GRACE),
        )
        .options(joinedload(Candidate.opening), joinedload(Candidate.invitation))
        .order_by(Candidate.id)
    ).all()
    handed_in = 0
    for candidate in stalled:
        results.lock(candidate)
        if candidate.invitation is not None and lapsed(candidate, candidate.invitation, now):
            handed_in += hand_in(candidate, exercise_of(candidate.opening), timed_out=True, now=now)
    return handed_in
