"""Measures over every path of a module (coachkit.content.paths), checked against a
plain enumeration of every path: the strongest route, each skill's worst and strongest
totals, and the answers left from any node."""

from __future__ import annotations

import random

import pytest

from coachkit.content import paths
from coachkit.content.library import load
from tests.content.conftest import CONTENT, end, module_source, parsed, reply, step

SKILLS = ("empathy", "ownership", "active-listening")


def every_path(module):
    """(points per skill, answers) for every way from the start to an ending, found by
    walking each one (modules without loops only)."""
    found = []

    def walk(node_id, flags, scores, answers):
        node = module.nodes[node_id]
        if node.kind == "end":
            found.append((scores, answers))
        elif node.kind == "reflect":
            walk(node.next, flags, scores, answers + 1)
        else:
            for choice in node.choices:
                totals = dict(scores)
                for skill, delta in choice.score_changes(flags).items():
                    totals[skill] = totals.get(skill, 0) + delta
                walk(choice.target, flags | set(choice.sets), totals, answers + 1)

    walk(module.start, frozenset(), {}, 0)
    return found


def random_fields(rng):
    """A reply's fields: one to three score changes, sometimes a flag set or tested."""
    fields = []
    for skill in rng.sample(SKILLS, rng.randint(1, 3)):
        fields.append(f"score: {skill} {rng.choice([-3, -2, -1, 1, 2, 3]):+d}")
    if rng.random() < 0.3:
        fields.append(f"sets: {rng.choice(['heard', 'owned'])}")
    if rng.random() < 0.3:
        mode, flag = rng.choice(["if", "unless"]), rng.choice(["heard", "owned"])
        fields.append(f"score {mode} {flag}: {rng.choice(SKILLS)} {rng.choice([-2, 2]):+d}")
    return fields


def chain(seed, steps=10, replies=3):
    """`steps` steps in a row, each with `replies` replies that all lead on."""
    rng = random.Random(seed)
    nodes = []
    for number in range(1, steps + 1):
        after = f"s{number + 1}" if number < steps else "done"
        options = [reply(after, f"Reply {i}.", *random_fields(rng)) for i in range(replies)]
        nodes.append(step(f"s{number}", *options))
    return parsed(module_source(*nodes, end("done"), skills=", ".join(SKILLS)))


def branching(seed, steps=8):
    """Steps whose replies jump ahead to any later step or to one of three endings."""
    rng = random.Random(seed)
    endings = ["good", "mixed", "poor"]
    nodes = []
    for number in range(1, steps + 1):
        later = [f"s{n}" for n in range(number + 1, steps + 1)] + endings
        options = [
            reply(rng.choice(later), f"Reply {i}.", *random_fields(rng))
            for i in range(rng.randint(2, 4))
        ]
        nodes.append(step(f"s{number}", *options))
    nodes += [end(outcome, outcome) for outcome in endings]
    return parsed(module_source(*nodes, skills=", ".join(SKILLS)))


def replay(route):
    """The points a learner earns taking the route's replies in order."""
    flags, totals = frozenset(), {}
    for _node, choice in route.steps:
        if choice is not None:
            for skill, delta in choice.score_changes(flags).items():
                totals[skill] = totals.get(skill, 0) + delta
            flags |= set(choice.sets)
    return totals


def assert_exact(module):
    found = every_path(module)
    route = paths.strongest_route(module)
    best = max(sum(scores.values()) for scores, _answers in found)
    assert route.total == best
    assert min(answers for scores, answers in found if sum(scores.values()) == best) == len(
        route.steps
    )
    assert replay(route) == route.scores
    assert sum(route.scores.values()) == route.total
    for skill in SKILLS:
        totals = [scores.get(skill, 0) for scores, _answers in found]
        assert paths.skill_range(module, skill) == (min(totals), max(totals))
    totals = [sum(scores.values()) for scores, _answers in found]
    assert paths.analysis(module).total_range() == (min(totals), max(totals))
    weakest = paths.weakest_route(module)
    assert weakest.total == min(totals) and replay(weakest) == weakest.scores


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_strongest_path_is_exact_on_ten_steps_of_three_replies(seed):
    """3^10 = 59,049 paths: more than the old search's 20,000 visits ever looked at."""
    module = chain(seed)
    assert len(module.decision_points) == 10
    assert_exact(module)


@pytest.mark.parametrize("seed", range(12))
def test_strongest_path_and_ranges_are_exact_with_branches_and_flags(seed):
    assert_exact(branching(seed))


def test_flags_decide_the_strongest_path():
    """Acknowledging first is worth less at once and more later: a greedy walk misses it."""
    module = parsed(
        module_source(
            step(
                "opening",
                reply("fix", "Let me look.", "score: ownership +2"),
                reply("fix", "I'm sorry, that's awful.", "sets: heard", "score: empathy +1"),
            ),
            step(
                "fix",
                reply("done", "Refunded.", "score: ownership +1", "score if heard: empathy +3"),
                reply("done", "Ticket raised.", "score: ownership -1"),
            ),
            end("done"),
        )
    )
    route = paths.strongest_route(module)
    assert [choice.text for _node, choice in route.steps] == [
        "I'm sorry, that's awful.",
        "Refunded.",
    ]
    assert route.scores == {"empathy": 4, "ownership": 1} and route.total == 5
    assert paths.skill_range(module, "empathy") == (0, 4)
    assert paths.skill_range(module, "ownership") == (-1, 3)


def test_ties_go_to_the_shorter_route_then_the_earlier_reply():
    module = parsed(
        module_source(
            step(
                "opening",
                reply("detour", "Tell me more.", "score: empathy +1"),
                reply("close", "Sorted.", "score: empathy +2"),
                reply("close", "All done.", "score: empathy +2"),
            ),
            step(
                "detour",
                reply("close", "Right.", "score: empathy +1"),
                reply("done", "Bye.", "score: empathy -1"),
            ),
            step(
                "close",
                reply("done", "Anything else?", "score: ownership +1"),
                reply("done", "Bye.", "score: ownership -1"),
            ),
            end("done"),
        )
    )
    route = paths.strongest_route(module)
    assert [choice.text for _node, choice in route.steps] == ["Sorted.", "Anything else?"]


def test_a_loop_that_scores_nothing_is_measured_and_ends():
    module = parsed(
        module_source(
            step(
                "opening",
                reply("opening", "Sorry, could you say that again?", "sets: asked"),
                reply("fix", "I'll sort it.", "score: ownership +1"),
            ),
            step(
                "fix",
                reply("done", "Done.", "score: ownership +1", "score if asked: empathy -1"),
                reply("done", "Let's leave it there.", "score: ownership -1"),
            ),
            end("done"),
        )
    )
    route = paths.strongest_route(module)
    assert route.total == 2 and len(route.steps) == 2
    assert paths.skill_range(module, "empathy") == (-1, 0)
    assert paths.skill_range(module, "ownership") == (0, 2)
    assert paths.remaining(module, "opening") == paths.Remaining(fewest=2, most=2)


def test_a_stored_module_whose_loop_scores_is_measured_as_if_the_loop_did_not():
    """content check refuses it; an older stored copy still gives finite figures."""
    module = parsed(
        module_source(
            step(
                "opening",
                reply("opening", "Sorry?", "score: empathy +1"),
                reply("done", "Sorted.", "score: ownership +1"),
            ),
            end("done"),
        )
    )
    assert paths.skill_range(module, "empathy") == (0, 0)
    route = paths.strongest_route(module)
    assert [choice.text for _node, choice in route.steps] == ["Sorted."]


def test_remaining_answers_from_any_node():
    module = parsed(
        module_source(
            step(
                "opening",
                reply("quick", "Straight to it.", "score: ownership +1"),
                reply("listen", "Tell me more.", "score: empathy +1"),
            ),
            step(
                "listen",
                reply("more", "And then?", "score: empathy +1"),
                reply("quick", "OK.", "score: empathy -1"),
            ),
            step(
                "more",
                reply("think", "I see.", "score: empathy +1"),
                reply("done", "Right.", "score: empathy -1"),
            ),
            "## reflect think\nprompt: What did you learn?\nnext: quick\n",
            step(
                "quick",
                reply("done", "Fixed.", "score: ownership +1"),
                reply("done", "Wait.", "score: ownership -1"),
            ),
            end("done"),
        )
    )
    assert paths.remaining(module, "opening") == paths.Remaining(fewest=2, most=5)
    assert paths.remaining(module, "more") == paths.Remaining(fewest=1, most=3)
    assert paths.remaining(module, "quick") == paths.Remaining(fewest=1, most=1)
    assert paths.remaining(module, "done") == paths.Remaining(fewest=0, most=0)


@pytest.mark.parametrize("slug", sorted(p.stem for p in (CONTENT / "modules").glob("*.md")))
def test_shipped_modules_are_measured_exactly(slug):
    module = load(CONTENT).modules[slug]
    found = every_path(module)
    route = paths.strongest_route(module)
    assert route.total == max(sum(scores.values()) for scores, _answers in found)
    for skill in module.skills:
        totals = [scores.get(skill, 0) for scores, _answers in found]
        assert paths.skill_range(module, skill) == (min(totals), max(totals))
    fewest = min(answers for _scores, answers in found)
    most = max(answers for _scores, answers in found)
    assert paths.remaining(module, module.start) == paths.Remaining(fewest, most)
