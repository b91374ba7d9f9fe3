"""Openings: a role being hired for, with the exercise its candidates answer.

The recruiter's pages read an opening with its candidates counted by status in one
query of the rollup `models.STATUS_COUNTS` keeps, whatever the number of candidates.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, bindparam, exists, func, select, type_coerce

from coachkit.auth.models import User
from coachkit.content.library import library
from coachkit.database import plain_rows, utcnow
from coachkit.extensions import db
from coachkit.hiring import results, versions
from coachkit.hiring.models import (
    Candidate,
    CandidateStatus,
    Opening,
    RaterScore,
    StatusCount,
    visible_openings,
)

# The fields of the opening form that map one to one onto the model.
EDITABLE = (
    "title",
    "description",
    "exercise_slug",
    "team_id",
    "time_limit_minutes",
    "invite_days",
    "raters_required",
    "contact_name",
    "contact_email",
)


@dataclass(frozen=True)
class StatusCounts:
    """How many of an opening's candidates are in each status."""

    by_status: Counter[CandidateStatus]

    def __getitem__(self, status: CandidateStatus | str) -> int:
        return self.by_status[status]  # type: ignore[index]  # a StrEnum equals its value

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def in_order(self) -> list[tuple[CandidateStatus, int]]:
        """Every status in order with its count, zeros included."""
        return [(status, self.by_status.get(status, 0)) for status in CandidateStatus]


# Statuses read as their plain values (a StrEnum member finds its value's count),
# which spares converting every row to the enum.
_STATUS_COUNTS = select(
    StatusCount.opening_id, type_coerce(StatusCount.status, String), StatusCount.candidates
).where(StatusCount.opening_id.in_(bindparam("opening_ids", expanding=True)))


def status_counts(opening_ids: Collection[int]) -> dict[int, StatusCounts]:
    """Candidates per status for each opening, in one query of the rollup (a few rows
    per opening, however many candidates)."""
    counts: dict[int, Counter[CandidateStatus]] = {id_: Counter() for id_ in opening_ids}
    if opening_ids:
        for opening_id, status, count in plain_rows(
            _STATUS_COUNTS, {"opening_ids": list(opening_ids)}
        ):
            counts[opening_id][status] = count
    return {id_: StatusCounts(counter) for id_, counter in counts.items()}


def save(opening: Opening, values: dict[str, Any], by: User | None = None) -> Opening:
    """Copy the form's `values` onto `opening` (new or existing) and flush. An exercise
    in `values` pins the opening to that exercise's current version."""
    required_before = opening.raters_required
    for name in EDITABLE:
        if name in values:
            setattr(opening, name, values[name])
    if "exercise_slug" in values:  # chosen or confirmed while no candidate has started
        versions.pin(opening, library().exercises[opening.exercise_slug])
    if opening.id is None:
        opening.created_by_id = by.id if by is not None else None
        db.session.add(opening)
    db.session.flush()
    if required_before is not None and opening.raters_required != required_before:
        results.recheck_opening(opening, versions.exercise_of(opening))
    return opening


def submitted(user: User, submission_key: str | None) -> Opening | None:
    """The opening an earlier post of the same new-opening form already created."""
    if not submission_key:
        return None
    return db.session.scalar(visible_openings(user).where(Opening.submission_key == submission_key))


def exercise_locked(opening: Opening) -> bool:
    """Whether a candidate has started the exercise: from then on it stays, so every
    candidate of the opening is compared on the same items."""
    if opening.id is None:
        return False
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    Candidate.opening_id == opening.id, Candidate.started_at.is_not(None)
                )
            )
        )
    )


def close(opening: Opening) -> bool:
    """Close an open opening; False when it was closed already."""
    if opening.closed_at is not None:
        return False
    opening.closed_at = utcnow()
    db.session.flush()
    return True


def reopen(opening: Opening) -> bool:
    """Reopen a closed opening; False when it was open already."""
    if opening.closed_at is None:
        return False
    opening.closed_at = None
    db.session.flush()
    return True


def awaiting_rating(user: User) -> int:
    """Handed-in candidates (of open or closed openings) whose written answers still
    need raters and that `user` has not rated yet."""
    rated_by_user = select(RaterScore.candidate_id).where(RaterScore.rater_id == user.id)
    return (
        db.session.scalar(
            select(func.count(Candidate.id)).where(
                Candidate.opening_id.in_(visible_openings(user).with_only_columns(Opening.id)),
                Candidate.status == CandidateStatus.SUBMITTED,
                Candidate.id.not_in(rated_by_user),
            )
        )
        or 0
    )
