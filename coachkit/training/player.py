"""Playing a module: start or resume an attempt, answer one step, finish at an ending.

Domain code adds and flushes; the view commits.
"""

from __future__ import annotations

from sqlalchemy import select

from coachkit.auth.models import User
from coachkit.content.library import library, parse_stored
from coachkit.content.module_parser import parse_module
from coachkit.content.modules import Module, Node
from coachkit.database import stored_once, utcnow
from coachkit.extensions import db
from coachkit.training import events
from coachkit.training.models import (
    Attempt,
    AttemptStatus,
    AttemptStep,
    ModuleVersion,
    SkillScore,
)
from coachkit.training.scale import rating_tenths

MAX_REFLECTION = 4000


class StaleAnswer(Exception):
    """The answer was for a step the attempt has already moved past (e.g. sent twice)."""


def snapshot(module: Module) -> ModuleVersion:
    """The stored copy of this exact module version, created on first use."""
    return stored_once(
        select(ModuleVersion).where(
            ModuleVersion.slug == module.slug, ModuleVersion.version == module.version
        ),
        lambda: ModuleVersion(
            slug=module.slug,
            version=module.version,
            title=module.title,
            source=module.path.read_text(encoding="utf-8"),
        ),
    )


def module_of(attempt: Attempt) -> Module:
    """The module exactly as this attempt saw it (the current file, or its snapshot)."""
    current = library().modules.get(attempt.module_slug)
    stored = attempt.module_version
    if current is not None and current.version == stored.version:
        return current
    return parse_stored(parse_module, stored.slug, stored.version, stored.source)


def start(user: User, module: Module) -> Attempt:
    """Resume the user's unfinished attempt at this module, or begin a new one."""
    # The learner's row is the lock: two Starts at once (a double click) take turns, so
    # the second resumes the attempt the first began instead of opening another.
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    unfinished = db.session.scalar(
        select(Attempt)
        .where(
            Attempt.user_id == user.id,
            Attempt.module_slug == module.slug,
            Attempt.status == AttemptStatus.IN_PROGRESS,
        )
        .order_by(Attempt.id.desc())
    )
    if unfinished is not None:
        return unfinished
    attempt = Attempt(
        user_id=user.id,
        module_slug=module.slug,
        module_version=snapshot(module),
        current_node=module.start,
        flags=[],
        scores={},
        step_count=0,
    )
    db.session.add(attempt)
    db.session.flush()
    events.attempt_started.send(attempt, module=module)
    return attempt


def answer(
    attempt: Attempt, module: Module, *, position: int, choice: int | None, reflection: str | None
) -> None:
    """Apply one answer to the current step. Raises StaleAnswer or ValueError."""
    if attempt.status != AttemptStatus.IN_PROGRESS or position != attempt.step_count:
        raise StaleAnswer
    node = module.nodes[attempt.current_node]
    step = AttemptStep(
        attempt=attempt, module_slug=attempt.module_slug, position=position, node_id=node.id
    )
    if node.kind == "reflect":
        step.reflection = checked_reflection(reflection)
        target = node.next
    else:
        if choice is None or not 0 <= choice < len(node.choices):
            raise ValueError("Choose one of the replies.")
        picked = node.choices[choice]
        changes = picked.score_changes(frozenset(attempt.flags))
        step.choice_index, step.score_changes = choice, changes
        step.outcome = sum(changes.values())
        attempt.scores = _add(attempt.scores, changes)
        attempt.flags = sorted(set(attempt.flags) | set(picked.sets))
        target = picked.target
    db.session.add(step)  # its flush adds it to the reply tallies (models.CHOICE_TALLIES)
    step.created_at = utcnow()  # when the learner answered, for whoever records it
    attempt.step_count = position + 1
    _move(attempt, module, module.nodes[target])
    events.step_answered.send(attempt, module=module, step=step)
    if attempt.status == AttemptStatus.COMPLETED:
        events.attempt_completed.send(attempt, module=module)


def checked_reflection(text: str | None) -> str:
    """A reflection as saved, or ValueError saying what to change."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise ValueError("Write a few words before you continue.")
    if len(cleaned) > MAX_REFLECTION:
        raise ValueError(f"Keep it under {MAX_REFLECTION} characters.")
    return cleaned


def _add(scores: dict[str, int], changes: dict[str, int]) -> dict[str, int]:
    totals = dict(scores)
    for skill, delta in changes.items():
        totals[skill] = totals.get(skill, 0) + delta
    return totals


def _move(attempt: Attempt, module: Module, node: Node) -> None:
    attempt.current_node = node.id
    if node.kind == "end":
        attempt.status = AttemptStatus.COMPLETED
        attempt.ending, attempt.outcome = node.id, node.outcome
        attempt.completed_at = utcnow()
        for skill in sorted(module.skills):  # every trained skill, zero included, for fair
            points = attempt.scores.get(skill, 0)  # averages; sorted: no deadlock on totals
            rating = rating_tenths(module, skill, points)
            db.session.add(
                SkillScore(
                    attempt=attempt,
                    user_id=attempt.user_id,
                    module_slug=attempt.module_slug,
                    skill=skill,
                    points=points,
                    rating_tenths=rating,
                    completed_at=attempt.completed_at,
                )
            )
