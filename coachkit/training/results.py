"""What an attempt amounted to: each skill on the 1-5 scale with its anchor, the overall
figure, the path taken with its feedback, and the strongest path."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import Markup

from coachkit.content.modules import Choice, Module, Node
from coachkit.content.paths import Route, analysis, strongest_route
from coachkit.content.skills import Skill
from coachkit.training.models import Attempt
from coachkit.training.scale import SkillResult, anchor, overall_percent, skill_results


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


@dataclass(frozen=True)
class SkillLine:
    """A skill's result as the results page shows it: the rating with the catalogue's
    words for it first, the points and the range they were placed in beside."""

    result: SkillResult
    name: str
    anchor: str  # "" when the skill has no rating or is not in the catalogue


@dataclass(frozen=True)
class Overall:
    """The attempt's total over all skills placed between the module's lowest total (0%)
    and its strongest path's (100%)."""

    percent: int | None
    total: int
    lowest: int
    strongest: int


def skill_lines(
    module: Module, scores: Mapping[str, int], catalogue: Mapping[str, Skill]
) -> list[SkillLine]:
    """Every skill the module trains, in its order, on the 1-5 scale."""
    lines = []
    for result in skill_results(module, scores):
        skill = catalogue.get(result.skill)
        words = anchor(skill, result.rating) if skill and result.rating is not None else ""
        lines.append(SkillLine(result, skill.name if skill else result.skill, words))
    return lines


def overall(module: Module, scores: Mapping[str, int]) -> Overall:
    lowest, strongest = analysis(module).total_range()
    total = sum(scores.get(skill, 0) for skill in module.skills)
    return Overall(overall_percent(module, scores), total, lowest, strongest)
