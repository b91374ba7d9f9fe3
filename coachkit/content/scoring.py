"""What a module's scoring allows, checked over every path (`content.paths`): every
listed skill is scored, conditions can both hold and fail where they stand, loops
cannot pile up points, changes and totals stay within bounds, every skill separates a
strong conversation from a weak one, and the best reply cannot be found by its place or
its length.

The measures need every path to end: a module whose nodes do not connect yet
(`graph.check_module` reports why) is not measured.
"""

from __future__ import annotations

from collections import Counter

from coachkit.content.graph import measurable
from coachkit.content.modules import MAX_SCORE_CHANGE, MAX_SKILL_TOTAL, Module, Node
from coachkit.content.paths import Analysis, TooManyStates, analysis
from coachkit.content.problems import Collector, Problem

ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")
LOOP_SCORES = (
    "a reply on a loop (a way back to where the learner was) scores points: it could be "
    "taken again and again to pile them up; replies on a loop may set flags and give "
    "feedback only"
)


def _check_skills(module: Module, paths: Analysis, problems: Collector) -> None:
    scored = {
        change.skill for node in module.nodes.values() for c in node.choices for change in c.scores
    }
    for skill in module.skills:
        if skill not in scored:
            problems.add(
                module.skills_line,
                f"'{skill}' is listed in skills but no reply scores it: everyone would get 0",
            )
            continue
        worst, strongest = paths.skill_range(skill)
        if worst == strongest:
            problems.warn(
                module.skills_line,
                f"every path gives '{skill}' the same total ({worst:+d}), so it cannot tell "
                "a strong conversation from a weak one",
            )
        elif max(-worst, strongest) > MAX_SKILL_TOTAL:
            problems.add(
                module.skills_line,
                f"'{skill}' can total from {worst:+d} to {strongest:+d} over a conversation; "
                f"keep every skill within -{MAX_SKILL_TOTAL} to +{MAX_SKILL_TOTAL}",
            )


def _check_conditions(
    node: Node, flag_sets: list[frozenset[str]], settable: set[str], problems: Collector
) -> None:
    """Each condition must hold on some path to the node and fail on another, or it is
    dead text (a flag that is never set is reported by `graph`)."""
    flags_set = {flag for flags in flag_sets for flag in flags}
    for choice in node.choices:
        for condition, line in [(c.condition, c.line) for c in choice.scores] + [
            (f.condition, f.line) for f in choice.feedback
        ]:
            if condition.flag is None or condition.flag not in settable:
                continue
            holds = {condition.holds(flags) for flags in flag_sets}
            word = "unless" if condition.unless else "if"
            if holds == {False}:
                why = (
                    f"every path sets '{condition.flag}' before this step"
                    if condition.unless
                    else f"no path sets '{condition.flag}' before this step"
                )
                problems.add(line, f"'{word} {condition.flag}' can never hold here: {why}")
            elif holds == {True} and condition.flag not in flags_set:
                problems.warn(
                    line,
                    f"'{word} {condition.flag}' always holds here: no path sets "
                    f"'{condition.flag}' before this step (is it only set later?)",
                )


def _check_moves(module: Module, paths: Analysis, problems: Collector) -> None:
    """Replies that score on a loop, or change a skill by more than the bound at once
    (several score lines add up)."""
    reported: set[tuple[int, str]] = set()
    for moves in paths.moves.values():
        for move in moves:
            if move.choice is None:
                continue
            line = module.nodes[move.source.node].choices[move.choice].line
            if paths.in_loop(move) and any(move.changes.values()):
                reported.add((line, LOOP_SCORES))
            reported.update(
                (
                    line,
                    f"this reply changes '{skill}' by {delta:+d} at once; one reply "
                    f"changes a skill by at most {MAX_SCORE_CHANGE}",
                )
                for skill, delta in move.changes.items()
                if abs(delta) > MAX_SCORE_CHANGE
            )
    for line, reason in sorted(reported):
        problems.add(line, reason)


def _best_replies(module: Module, paths: Analysis) -> dict[str, set[int]]:
    """Per step where replies differ, the replies that keep the highest total reachable."""
    by_node: dict[str, set[int]] = {}
    for state in paths.moves:
        values = paths.reply_values(state)
        if values:
            top = max(values.values())
            by_node.setdefault(state.node, set()).update(i for i, v in values.items() if v == top)
    return {
        node_id: best
        for node_id, best in by_node.items()
        if len(best) < len(module.nodes[node_id].choices)
    }


def _check_giveaways(module: Module, paths: Analysis, problems: Collector) -> None:
    steps = len([node for node in module.nodes.values() if node.kind == "step"])
    best = _best_replies(module, paths)
    places = Counter(place for replies in best.values() for place in replies)
    if places:
        place, count = places.most_common(1)[0]
        if count * 2 > steps:
            ordinal = ORDINALS[place] if place < len(ORDINALS) else f"number {place + 1}"
            problems.warn(
                1,
                f"the best reply is the {ordinal} in {count} of {steps} steps: "
                "vary where it sits, or learners can find it by its place",
            )
    longest = 0
    for node_id, replies in best.items():
        lengths = [len(choice.text) for choice in module.nodes[node_id].choices]
        longest += any(lengths[i] == max(lengths) for i in replies)
    if longest * 2 > steps:
        problems.warn(
            1,
            f"the best reply is also the longest in {longest} of {steps} steps: vary the "
            "length of replies, or learners can find the best one by its length",
        )


def check_scoring(module: Module) -> list[Problem]:
    """Every problem with how the module scores, over all its paths."""
    problems = Collector(module.path)
    if not measurable(module):
        return problems.problems
    try:
        paths = analysis(module)
    except TooManyStates as error:
        problems.add(1, f"the module is too complex to measure: {error}")
        return problems.problems
    flag_sets: dict[str, list[frozenset[str]]] = {}
    for state in paths.moves:
        flag_sets.setdefault(state.node, []).append(state.flags)
    settable = {flag for node in module.nodes.values() for c in node.choices for flag in c.sets}
    for node_id, sets in flag_sets.items():
        _check_conditions(module.nodes[node_id], sets, settable, problems)
    _check_skills(module, paths, problems)
    _check_moves(module, paths, problems)
    _check_giveaways(module, paths, problems)
    return problems.problems
