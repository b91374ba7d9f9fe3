"""Replies shown in an order shuffled per attempt: the same on every reload, different
between attempts, and no help to someone who always takes the first reply."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from math import sqrt
from pathlib import Path

import pytest

from coachkit.content.library import load
from coachkit.content.paths import strongest_route
from coachkit.training.order import reply_order, shown_replies

CONTENT = Path(__file__).resolve().parents[2] / "content"
SHIPPED = sorted(p.stem for p in (CONTENT / "modules").glob("*.md"))


def test_the_same_attempt_sees_the_same_order_on_every_reload():
    module = load(CONTENT).modules["charged-twice"]
    for node in module.decision_points:
        first = shown_replies(node, 41)
        assert shown_replies(node, 41) == first
        assert sorted(index for index, _choice in first) == list(range(len(node.choices)))
        assert all(choice is node.choices[index] for index, choice in first)


def test_two_attempts_see_different_orders_over_a_module():
    module = load(CONTENT).modules["charged-twice"]

    def orders(attempt_id):
        nodes = module.decision_points
        return [reply_order(attempt_id, node.id, len(node.choices)) for node in nodes]

    assert orders(1) != orders(2)
    same = sum(orders(n) == orders(n + 1) for n in range(1, 200))
    assert same < 10  # 5 steps of 2 or 3 replies: about 1 pair in 300 by chance


def test_every_reply_is_shown_first_about_equally_often():
    counts = Counter(reply_order(attempt_id, "opening", 3)[0] for attempt_id in range(3000))
    assert set(counts) == {0, 1, 2}
    assert all(abs(count - 1000) < 100 for count in counts.values())


def chance_of_strongest(module):
    """The chance that picking uniformly at random at every step ends with the strongest
    path's total (shipped modules have no loops)."""
    best = strongest_route(module).total

    def walk(node_id, flags, total):
        node = module.nodes[node_id]
        if node.kind == "end":
            return Fraction(int(total == best))
        if node.kind == "reflect":
            return walk(node.next, flags, total)
        share = Fraction(1, len(node.choices))
        return sum(
            share
            * walk(
                choice.target,
                flags | set(choice.sets),
                total + sum(choice.score_changes(flags).values()),
            )
            for choice in node.choices
        )

    return walk(module.start, frozenset(), 0)


def first_shown_total(module, attempt_id):
    node, flags, total = module.nodes[module.start], frozenset(), 0
    while node.kind != "end":
        if node.kind == "reflect":
            node = module.nodes[node.next]
            continue
        _index, choice = shown_replies(node, attempt_id)[0]
        total += sum(choice.score_changes(flags).values())
        flags |= set(choice.sets)
        node = module.nodes[choice.target]
    return total


ATTEMPTS = range(1, 301)


@pytest.mark.parametrize("slug", SHIPPED)
def test_always_taking_the_first_reply_is_no_better_than_chance(slug):
    module = load(CONTENT).modules[slug]
    best = strongest_route(module).total
    chance = float(chance_of_strongest(module))
    hits = sum(first_shown_total(module, attempt_id) == best for attempt_id in ATTEMPTS)
    spread = sqrt(chance * (1 - chance) / len(ATTEMPTS))
    assert hits / len(ATTEMPTS) <= chance + 3 * spread + 0.01, (hits, chance)


def test_the_first_reply_as_written_is_not_the_strongest_path_either():
    """Even read in the file's order, taking the first reply never plays a module's
    strongest path: authors vary where the best reply sits (content check warns)."""
    for module in load(CONTENT).modules.values():
        node, flags, total = module.nodes[module.start], frozenset(), 0
        while node.kind != "end":
            if node.kind == "step":
                total += sum(node.choices[0].score_changes(flags).values())
                flags |= set(node.choices[0].sets)
            node = module.nodes[node.choices[0].target if node.kind == "step" else node.next]
        assert total < strongest_route(module).total, module.slug
