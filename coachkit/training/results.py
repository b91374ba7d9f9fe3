"""What an attempt amounted to: the path taken with its feedback, and the strongest path."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from coachkit.content.modules import Choice, Module, Node
from coachkit.training.models import Attempt

MAX_PATH_SEARCH = 20_000  # state visits; modules are small, this only guards loops


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


@dataclass(frozen=True)
class BestPath:
    total: int
    steps: tuple[tuple[Node, Choice | None], ...]
    scores: dict[str, int]


_strongest_cache: dict[tuple[str, str], BestPath] = {}


def strongest_path(module: Module) -> BestPath:
    """The path from the start to an ending with the highest total score (cached per
    module version: content never changes under a version)."""
    key = (module.slug, module.version)
    if key not in _strongest_cache:
        _strongest_cache[key] = _search(module)
    return _strongest_cache[key]


def _search(module: Module) -> BestPath:
    best: BestPath | None = None
    visits = 0

    def walk(
        node: Node,
        flags: frozenset[str],
        seen: frozenset[str],
        steps: tuple,
        scores: dict[str, int],
    ) -> None:
        nonlocal best, visits
        visits += 1
        if visits > MAX_PATH_SEARCH or node.id in seen:
            return
        if node.kind == "end":
            total = sum(scores.values())
            if best is None or (total, -len(steps)) > (best.total, -len(best.steps)):
                best = BestPath(total, steps, scores)
            return
        if node.kind == "reflect":
            walk(module.nodes[node.next], flags, seen | {node.id}, (*steps, (node, None)), scores)
            return
        for choice in node.choices:
            totals = dict(scores)
            for skill, delta in choice.score_changes(flags).items():
                totals[skill] = totals.get(skill, 0) + delta
            walk(
                module.nodes[choice.target],
                flags | set(choice.sets),
                seen | {node.id},
                (*steps, (node, choice)),
                totals,
            )

    walk(module.nodes[module.start], frozenset(), frozenset(), (), {})
    if best is None:
        raise ValueError(f"module {module.slug} has no path to an ending")
    return best
