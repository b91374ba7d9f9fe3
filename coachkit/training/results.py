"""What an attempt amounted to: the path taken with its feedback, and the strongest path."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from coachkit.content.modules import Choice, Module, Node
from coachkit.content.paths import Route, strongest_route
from coachkit.training.models import Attempt


@dataclass(frozen=True)
class TakenStep:
    node: Node
    choice: Choice | None
    reflection: str | None
    feedback: list[Markup]
    changes: dict[str, int]


def path_taken(attempt: Attempt, module: Module) -> list[TakenStep]:
    """The steps the learner took, each with the feedback they earned at that point."""
    flags: frozenset[str] = frozenset()
    taken = []
    for step in attempt.steps:
        node = module.nodes[step.node_id]
        if step.choice_index is None:
            taken.append(TakenStep(node, None, step.reflection, [], {}))
            continue
        choice = node.choices[step.choice_index]
        taken.append(
            TakenStep(node, choice, None, choice.feedback_for(flags), dict(step.score_changes))
        )
        flags |= set(choice.sets)
    return taken


def strongest_path(module: Module) -> Route:
    """The path from the start to an ending with the highest total score: exact, by
    dynamic programming over the module's nodes and flags (`content.paths`)."""
    return strongest_route(module)
