"""Rounds: who may set one up and see it, setting it up, handing in, and closing.

Scope lives here: a round is visible to its raters and to admins; the other raters'
ratings only to a rater who has handed in their own (and to admins who are not raters
in it), so nobody's first judgement is anchored by anyone else's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask import abort
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload

from coachkit.auth.models import Role, User
from coachkit.calibration.models import CalibrationRating, CalibrationRound, CalibrationSeat
from coachkit.database import utcnow
from coachkit.extensions import db
from coachkit.notifications.kinds import Kind
from coachkit.notifications.notify import notify_all
from coachkit.training.models import Attempt, AttemptStatus, readable_attempts

RATERS = (Role.MANAGER, Role.ADMIN)
SOURCE_CHOICES = 50  # the most recent completed attempts offered as a round's source


def visible_rounds(user: User) -> Select[tuple[CalibrationRound]]:
    """Rounds `user` may open: all for admins, else those they rate in."""
    rounds = select(CalibrationRound)
    if user.role != Role.ADMIN:
        rounds = rounds.where(
            CalibrationRound.id.in_(
                select(CalibrationSeat.round_id).where(CalibrationSeat.user_id == user.id)
            )
        )
    return rounds


def round_or_404(round_id: int, user: User) -> CalibrationRound:
    found = db.session.scalar(
        visible_rounds(user)
        .where(CalibrationRound.id == round_id)
        .options(
            selectinload(CalibrationRound.seats).joinedload(CalibrationSeat.user),
            selectinload(CalibrationRound.seats).selectinload(CalibrationSeat.ratings),
            joinedload(CalibrationRound.attempt).joinedload(Attempt.module_version),
            joinedload(CalibrationRound.attempt).selectinload(Attempt.steps),
        )
    )
    if found is None:
        abort(404)
    return found


def seat_of(round_: CalibrationRound, user: User) -> CalibrationSeat | None:
    return next((seat for seat in round_.seats if seat.user_id == user.id), None)


def sees_results(round_: CalibrationRound, user: User) -> bool:
    """A rater once they have handed in; an admin who is not rating this round."""
    seat = seat_of(round_, user)
    if seat is not None:
        return seat.submitted_at is not None
    return user.role == Role.ADMIN


def may_close(round_: CalibrationRound, user: User) -> bool:
    return round_.is_open and (user.role == Role.ADMIN or round_.created_by_id == user.id)


def eligible_raters(by: User) -> list[User]:
    """Active managers and admins other than the one setting the round up."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_(RATERS), User.active.is_(True), User.id != by.id)
            .order_by(User.name, User.id)
        )
    )


def source_attempts(by: User) -> list[tuple[Attempt, str]]:
    """Completed attempts `by` may read (their team's, or everyone's for admins), each
    with its learner's name (for the organiser only: raters never see it)."""
    rows = db.session.execute(
        readable_attempts(by)
        .add_columns(User.name)
        .join(User, User.id == Attempt.user_id)
        .where(Attempt.status == AttemptStatus.COMPLETED)
        .options(joinedload(Attempt.module_version))
        .order_by(Attempt.completed_at.desc(), Attempt.id.desc())
        .limit(SOURCE_CHOICES)
    )
    return [(attempt, name) for attempt, name in rows]


def create(
    title: str, attempt: Attempt, skills: Sequence[str], raters: Sequence[User], by: User
) -> CalibrationRound:
    """A round on `attempt` rated by `by` and `raters` (the learner never rates their own
    conversation); each invited rater is notified."""
    round_ = CalibrationRound(
        title=title,
        attempt=attempt,
        module_slug=attempt.module_slug,
        skills=list(skills),
        created_by=by,
    )
    others = [user for user in raters if user.id not in (by.id, attempt.user_id)]
    round_.seats = [CalibrationSeat(user=user) for user in [by, *others]]
    db.session.add(round_)
    db.session.flush()
    notify_all(
        others,
        Kind.CALIBRATION_INVITED,
        f"Rate a practice conversation for calibration: {title}",
        f"/calibration/{round_.id}",
        details=(
            f"{by.name} asks you to rate a practice conversation on its skills, before "
            "seeing anyone else's ratings."
        ),
    )
    return round_


def hand_in(seat: CalibrationSeat, ratings: Mapping[str, int], note: str) -> None:
    """Record a rater's ratings once; the round closes when the last rater hands in."""
    seat.ratings = [CalibrationRating(skill=skill, rating=r) for skill, r in ratings.items()]
    seat.note = note
    seat.submitted_at = utcnow()
    round_ = seat.round
    if all(other.submitted_at is not None for other in round_.seats):
        round_.closed_at = seat.submitted_at
    db.session.flush()


def close(round_: CalibrationRound) -> None:
    round_.closed_at = utcnow()
    db.session.flush()
