"""Taking a previewed exercise as a candidate would: the candidate's pages and forms,
with the answers kept in the preview only (no candidate, invitation or answer row).

An author previews a file they uploaded; a recruiter previews the exercise an opening
pins, exactly as its candidates get it (`hiring.versions.exercise_of`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_login import current_user

from coachkit.authoring.checking import check
from coachkit.authoring.models import Preview
from coachkit.content.exercises import Exercise, Item
from coachkit.hiring import versions
from coachkit.hiring.models import Opening
from coachkit.hiring.scope import opening_or_404
from coachkit.hiring.screening.answering import credit_for


@dataclass(frozen=True)
class StandInOpening:
    """What the candidate's pages show of an opening, for a file with none: the author
    as the contact, and no time limit."""

    title: str
    contact_name: str
    contact_email: str
    time_limit_minutes: int | None = None


def opening_of(preview: Preview, exercise: Exercise) -> Opening | StandInOpening:
    if preview.opening_id is not None:
        return opening_or_404(preview.opening_id)
    return StandInOpening(f"Preview: {exercise.title}", current_user.name, current_user.email)


def exercise_of(preview: Preview) -> Exercise | None:
    """The exercise to take: the opening's (when its pinned version can be read) or the
    checked file's (when it has no errors)."""
    if preview.opening_id is not None:
        return versions.exercise_or_none(opening_or_404(preview.opening_id))
    return check(preview).exercise


def answers(preview: Preview) -> dict[str, Any]:
    return dict(preview.progress.get("answers", {}))


def save(preview: Preview, item: Item, value: Mapping[str, Any]) -> None:
    preview.progress = {**preview.progress, "answers": {**answers(preview), item.id: dict(value)}}
    preview.touch()


def begin(preview: Preview) -> None:
    preview.progress = {"started": True, "answers": {}}  # each start is a fresh take
    preview.touch()


def hand_in(preview: Preview) -> None:
    preview.progress = {**preview.progress, "handed_in": True}
    preview.touch()


def restart(preview: Preview) -> None:
    preview.progress = {}
    preview.touch()


def is_answered(item: Item, value: Mapping[str, Any] | None) -> bool:
    """As the candidate's review page counts it: a judgement that can be scored, or a
    written reply with some text."""
    if not value:
        return False
    if not item.keyed:
        return bool(str(value.get("text", "")).strip())
    try:
        return credit_for(item, value) is not None
    except (KeyError, TypeError, ValueError):
        return False
