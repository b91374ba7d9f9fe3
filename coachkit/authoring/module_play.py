"""Playing a previewed module as a learner would, with the answers kept in the preview
only: the same steps, reply order, feedback and results as the player
(`coachkit.training`), and no attempt, step, tally or skill score written."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from coachkit.authoring.models import Preview
from coachkit.content.modules import Module, Node
from coachkit.training.player import StaleAnswer, checked_reflection
from coachkit.training.results import TakenStep


@dataclass
class Replay:
    """Where the preview's answers have led: the node now, the way there, the points."""

    node: Node
    taken: list[TakenStep] = field(default_factory=list)
    scores: dict[str, int] = field(default_factory=dict)
    flags: frozenset[str] = frozenset()

    @property
    def ended(self) -> bool:
        return self.node.kind == "end"


def steps_of(preview: Preview) -> list[list[Any]]:
    return list(preview.progress.get("steps", []))


def replay(module: Module, steps: list[list[Any]]) -> Replay:
    """Follow the saved answers from the start; one that no longer fits the file (it
    was edited since) ends the replay there."""
    state = Replay(module.nodes[module.start])
    for node_id, choice, reflection in steps:
        node = state.node
        if node.id != node_id or node.kind == "end":
            break
        if node.kind == "reflect":
            state.taken.append(TakenStep(node, None, reflection, [], {}))
            state.node = module.nodes[node.next]
            continue
        if not isinstance(choice, int) or not 0 <= choice < len(node.choices):
            break
        picked = node.choices[choice]
        changes = picked.score_changes(state.flags)
        state.taken.append(TakenStep(node, picked, None, picked.feedback_for(state.flags), changes))
        for skill, delta in changes.items():
            state.scores[skill] = state.scores.get(skill, 0) + delta
        state.flags |= set(picked.sets)
        state.node = module.nodes[picked.target]
    return state


def answer(
    preview: Preview, module: Module, *, position: int, choice: int | None, reflection: str | None
) -> Replay:
    """Add one answer to the preview (and nowhere else). Raises StaleAnswer or
    ValueError, as the player does."""
    steps = steps_of(preview)
    state = replay(module, steps)
    if state.ended or position != len(state.taken):
        raise StaleAnswer
    node = state.node
    if node.kind == "reflect":
        steps = [*steps[: len(state.taken)], [node.id, None, checked_reflection(reflection)]]
    else:
        if choice is None or not 0 <= choice < len(node.choices):
            raise ValueError("Choose one of the replies.")
        steps = [*steps[: len(state.taken)], [node.id, choice, None]]
    preview.progress = {**preview.progress, "steps": steps}  # a new value, so it is saved
    preview.touch()
    return replay(module, steps)


def restart(preview: Preview) -> None:
    preview.progress = {**preview.progress, "steps": []}
    preview.touch()
