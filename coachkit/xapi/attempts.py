"""The statements of one training attempt, cmi5-like in shape: `launched` and
`initialized` when it starts, `answered` per reply (a `cmi.interaction` of type
`choice` whose choices are the step's replies), `responded` per reflection (its text
only when XAPI_REFLECTION_TEXT is on) and `completed` with the per-skill results on
the 1-5 scale and the overall score.

Every statement carries the attempt's registration, and its id is fixed by it (uuid5
of the registration and the statement's place), so the same statement made twice (a
backfill over sent history) has the same id and is queued once.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from flask import current_app

from coachkit.content.modules import Module, Node, opening_words
from coachkit.training.models import Attempt, AttemptStep
from coachkit.training.results import overall
from coachkit.training.scale import skill_results
from coachkit.xapi.vocabulary import (
    Statement,
    activity_type,
    base,
    duration,
    extension,
    statement,
)


def statement_id(registration: str, place: str) -> str:
    """The id of the statement at `place` ("launched", "step/3", ...) of an attempt."""
    return str(uuid.uuid5(uuid.UUID(registration), place))


def module_activity(module: Module) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": f"{base()}/training/{module.slug}",
        "definition": {
            "type": activity_type("module"),
            "name": {"en-US": module.title},
            "extensions": {extension("module-version"): module.version},
        },
    }


def _context(attempt: Attempt, module: Module, *, within: bool) -> dict[str, Any]:
    context: dict[str, Any] = {
        "registration": attempt.registration,
        "platform": "coachkit",
        "language": "en",
        "extensions": {extension("module-version"): module.version},
    }
    if within:  # a step: its module is the parent
        context["contextActivities"] = {"parent": [{"id": module_activity(module)["id"]}]}
    return context


def started(attempt: Attempt, module: Module, who: dict[str, Any]) -> list[Statement]:
    """`launched` then `initialized`, both when the learner began."""
    registration = str(attempt.registration)
    return [
        statement(
            statement_id(registration, verb),
            who,
            verb,
            module_activity(module),
            attempt.started_at,
            context=_context(attempt, module, within=False),
        )
        for verb in ("launched", "initialized")
    ]


def step_activity(module: Module, node: Node) -> dict[str, Any]:
    name = node.title or (opening_words(node.prompt) if node.kind == "reflect" else node.heading)
    definition: dict[str, Any] = {
        "type": activity_type("cmi.interaction"),
        "name": {"en-US": name or node.id},
    }
    if node.kind == "reflect":
        definition["interactionType"] = "long-fill-in"
        if node.prompt:
            definition["description"] = {"en-US": node.prompt}
    else:
        definition["interactionType"] = "choice"
        definition["choices"] = [
            {"id": choice_id(index), "description": {"en-US": choice.text}}
            for index, choice in enumerate(node.choices)
        ]
    return {
        "objectType": "Activity",
        "id": f"{base()}/training/{module.slug}/steps/{node.id}",
        "definition": definition,
    }


def choice_id(index: int) -> str:
    """A reply's id among its step's choices: its authored position."""
    return f"reply-{index + 1}"


def answered(attempt: Attempt, module: Module, step: AttemptStep, who: dict[str, Any]) -> Statement:
    """`answered` for a reply, `responded` for a reflection."""
    node = module.nodes[step.node_id]
    place = f"step/{step.position}"
    context = _context(attempt, module, within=True)
    if step.choice_index is None:
        text = current_app.config["XAPI_REFLECTION_TEXT"] and step.reflection
        return statement(
            statement_id(str(attempt.registration), place),
            who,
            "responded",
            step_activity(module, node),
            step.created_at,
            context=context,
            result={"response": text} if text else {"completion": True},
        )
    result: dict[str, Any] = {"response": choice_id(step.choice_index)}
    if step.score_changes:
        result["extensions"] = {extension("score-changes"): dict(step.score_changes)}
    return statement(
        statement_id(str(attempt.registration), place),
        who,
        "answered",
        step_activity(module, node),
        step.created_at,
        context=context,
        result=result,
    )


def completed(attempt: Attempt, module: Module, who: dict[str, Any]) -> Statement:
    """`completed`: the skills on the 1-5 scale (None where a module cannot tell), the
    overall score and how long it took."""
    assert attempt.completed_at is not None  # noqa: S101 - only for completed attempts
    figure = overall(module, attempt.scores)
    score: dict[str, Any] = {"raw": figure.total, "min": figure.lowest, "max": figure.strongest}
    if figure.percent is not None:
        score = {"scaled": figure.percent / 100, "raw": figure.percent, "min": 0, "max": 100}
    taken: datetime = attempt.completed_at
    skills = skill_results(module, attempt.scores)
    return statement(
        statement_id(str(attempt.registration), "completed"),
        who,
        "completed",
        module_activity(module),
        taken,
        context=_context(attempt, module, within=False),
        result={
            "completion": True,
            "score": score,
            "duration": duration((taken - attempt.started_at).total_seconds()),
            "extensions": {
                extension("skill-ratings"): {each.skill: each.rating for each in skills},
                extension("skill-points"): {each.skill: each.points for each in skills},
                extension("ending"): attempt.ending,
            },
        },
    )


def of_attempt(attempt: Attempt, module: Module, who: dict[str, Any]) -> list[Statement]:
    """Every statement a stored attempt has made so far, in the order they were made."""
    made = started(attempt, module, who)
    made.extend(answered(attempt, module, step, who) for step in attempt.steps)
    if attempt.completed_at is not None:
        made.append(completed(attempt, module, who))
    return made
