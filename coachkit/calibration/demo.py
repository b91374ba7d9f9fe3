"""Demo data: one finished calibration round, so the page shows ratings side by side,
agreement and each manager's lean on first run."""

from __future__ import annotations

from sqlalchemy import select

from coachkit.auth.models import User
from coachkit.calibration import rounds
from coachkit.calibration.models import CalibrationRound
from coachkit.extensions import db
from coachkit.training.models import Attempt, AttemptStatus
from coachkit.training.player import module_of

TITLE = "Calibration: the double charge call"
# Each rater's ratings, as offsets from 3 in the module's skill order (cycled): one
# manager a shade lenient, one severe, so the page has something to talk about.
LEANINGS = ((1, 0, 1, 0), (0, -1, 0, -1), (1, 0, 0, -1))
NOTES = (
    "Good acknowledgement early; the fix came before the customer felt heard.",
    "",
    "I rated ownership down: the reply about policy sounded like passing the blame.",
)


def create(organiser: User, raters: list[User], learner: User) -> None:
    """A closed round on `learner`'s latest finished attempt, rated by `organiser` and
    `raters` (skipped when it exists, or when there is no finished attempt)."""
    if db.session.scalar(select(CalibrationRound.id).where(CalibrationRound.title == TITLE)):
        return
    attempt = db.session.scalar(
        select(Attempt)
        .where(Attempt.user_id == learner.id, Attempt.status == AttemptStatus.COMPLETED)
        .order_by(Attempt.completed_at.desc())
        .limit(1)
    )
    if attempt is None:
        return
    skills = module_of(attempt).skills
    round_ = rounds.create(TITLE, attempt, skills, raters, organiser)
    for seat, leaning, note in zip(round_.seats, LEANINGS, NOTES, strict=False):
        ratings = {
            skill: max(1, min(5, 3 + leaning[i % len(leaning)])) for i, skill in enumerate(skills)
        }
        rounds.hand_in(seat, ratings, note)
