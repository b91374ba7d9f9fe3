"""Pinning an opening to the exact exercise version its candidates take."""

from __future__ import annotations

from sqlalchemy import select

from coachkit.content.exercise_parser import parse_exercise
from coachkit.content.exercises import Exercise
from coachkit.content.library import UnreadableVersion, library, parse_stored
from coachkit.database import stored_once
from coachkit.extensions import db
from coachkit.hiring.models import ExerciseVersion, Opening


class ExerciseMissing(LookupError):
    """The opening's exercise is neither in the library nor stored."""


def snapshot(exercise: Exercise) -> ExerciseVersion:
    """The stored copy of this exact exercise version, created on first use."""
    return stored_once(
        select(ExerciseVersion).where(
            ExerciseVersion.slug == exercise.slug, ExerciseVersion.version == exercise.version
        ),
        lambda: ExerciseVersion(
            slug=exercise.slug,
            version=exercise.version,
            title=exercise.title,
            source=exercise.path.read_text(encoding="utf-8"),
        ),
    )


def pin(opening: Opening, exercise: Exercise) -> None:
    """Point the opening at `exercise` as it is now."""
    snapshot(exercise)
    opening.exercise_slug = exercise.slug
    opening.exercise_version = exercise.version


def exercise_of(opening: Opening) -> Exercise:
    """The exercise exactly as the opening's candidates see it: the library's file when
    it is unchanged (no query), else the stored snapshot (parsed once per process).
    Raises ExerciseMissing, or UnreadableVersion when the snapshot no longer parses."""
    current = library().exercises.get(opening.exercise_slug)
    if current is not None and opening.exercise_version in (None, current.version):
        return current
    stored = db.session.scalar(
        select(ExerciseVersion).where(
            ExerciseVersion.slug == opening.exercise_slug,
            ExerciseVersion.version == opening.exercise_version,
        )
    )
    if stored is None:
        raise ExerciseMissing(opening.exercise_slug)
    return parse_stored(parse_exercise, stored.slug, stored.version, stored.source)


def exercise_or_none(opening: Opening) -> Exercise | None:
    """`exercise_of`, or None when the exercise is gone (pages say so instead of failing)."""
    try:
        return exercise_of(opening)
    except (ExerciseMissing, UnreadableVersion):
        return None
