"""Every way through a module, measured exactly: the strongest route, the worst and
strongest total each skill can reach, and how many answers remain from any node.

A learner's situation is a *state*: the node they are at and the flags set so far that
can still matter (a flag tested nowhere ahead of the node is dropped, which keeps the
states few without changing any score). From each state a move is a reply (or, after a
reflection, the way on) with the score changes it earns in that state. The measures are
dynamic programming over these states, strongly connected components first: a loop
(replies that lead back to where the learner was) may repeat, so its states share one
value. Valid modules never score inside a loop (`content check` refuses it); a stored
older version that does is measured as if its loop's replies scored nothing.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from coachkit.content.graph import components, links, successors
from coachkit.content.modules import Choice, Module, Node

MAX_STATES = 100_000  # node and flag combinations; content check refuses more
MAX_KEPT = 512  # analyses kept, one per module version


class TooManyStates(ValueError):
    """The flags combine into more states than a module may have."""


@dataclass(frozen=True)
class State:
    node: str
    flags: frozenset[str]


@dataclass(frozen=True)
class Move:
    """A reply (`choice` is its authored index) or, after a reflection, the way on."""

    source: State
    choice: int | None
    target: State
    changes: Mapping[str, int]


@dataclass(frozen=True)
class Route:
    """A way from the start to an ending: each node with the reply taken there (None at
    a reflection), and the points it earns per skill."""

    total: int
    steps: tuple[tuple[Node, Choice | None], ...]
    scores: dict[str, int]


@dataclass(frozen=True)
class Remaining:
    """How many answers (replies and reflections) are left from a node, this one
    included, on the shortest and on the longest way to an ending. A loop's nodes count
    once."""

    fewest: int
    most: int


def tested_flags(node: Node) -> set[str]:
    """The flags the conditions of this node's replies test."""
    conditions = [item.condition for choice in node.choices for item in choice.scores]
    conditions += [item.condition for choice in node.choices for item in choice.feedback]
    return {condition.flag for condition in conditions if condition.flag}


def _relevant_flags(module: Module) -> dict[str, frozenset[str]]:
    """Per node, the flags tested at it or anywhere after it."""
    relevant = {node_id: tested_flags(node) for node_id, node in module.nodes.items()}
    changed = True
    while changed:
        changed = False
        for node_id, node in module.nodes.items():
            ahead = set().union(*(relevant.get(t, set()) for t in successors(node)))
            if not ahead <= relevant[node_id]:
                relevant[node_id] |= ahead
                changed = True
    return {node_id: frozenset(flags) for node_id, flags in relevant.items()}


def _moves(module: Module, state: State, relevant: Mapping[str, frozenset[str]]) -> list[Move]:
    node = module.nodes[state.node]
    exits: list[tuple[int | None, str, Mapping[str, int], Iterable[str]]]
    if node.kind == "reflect":
        exits = [(None, node.next, {}, ())]
    else:
        exits = [
            (index, choice.target, choice.score_changes(state.flags), choice.sets)
            for index, choice in enumerate(node.choices)
        ]
    return [
        Move(state, index, State(target, (state.flags | set(sets)) & relevant[target]), changes)
        for index, target, changes, sets in exits
        if target in module.nodes
    ]


class Analysis:
    """A module's states and moves, with the measures computed from them."""

    def __init__(self, module: Module) -> None:
        if module.start not in module.nodes:
            raise ValueError(f"module {module.slug} has no start node '{module.start}'")
        self.module = module
        relevant = _relevant_flags(module)
        self.start = State(module.start, frozenset())
        self.moves: dict[State, list[Move]] = {}
        queue = deque([self.start])
        seen = {self.start}
        while queue:
            state = queue.popleft()
            self.moves[state] = _moves(module, state, relevant)
            for move in self.moves[state]:
                if move.target not in seen:
                    seen.add(move.target)
                    queue.append(move.target)
            if len(seen) > MAX_STATES:
                raise TooManyStates(f"its flags combine into more than {MAX_STATES:,} situations")
        self.components = components(self.moves, lambda s: (m.target for m in self.moves[s]))
        self.component_of = {
            state: number for number, members in enumerate(self.components) for state in members
        }
        self._highest: dict[tuple[str | None, int], dict[State, int]] = {}

    def in_loop(self, move: Move) -> bool:
        """The move stays inside a loop: the learner can come back and take it again."""
        return self.component_of[move.source] == self.component_of[move.target]

    def is_end(self, state: State) -> bool:
        return self.module.nodes[state.node].kind == "end"

    def weight(self, move: Move, skill: str | None) -> int:
        """Points the move earns on `skill` (None: on all skills); nothing inside a loop."""
        if self.in_loop(move):
            return 0
        if skill is None:
            return sum(move.changes.values())
        return move.changes.get(skill, 0)

    def highest(self, skill: str | None, sign: int = 1) -> dict[State, int]:
        """Per state, the highest sign x points still reachable on the way to an ending
        (sign -1: minus the lowest). States that cannot end are left out."""
        if (skill, sign) in self._highest:
            return self._highest[skill, sign]
        value: dict[State, int] = {}
        for number, members in enumerate(self.components):  # later components first
            options = [
                sign * self.weight(move, skill) + value[move.target]
                for state in members
                for move in self.moves[state]
                if self.component_of[move.target] != number and move.target in value
            ]
            if any(self.is_end(state) for state in members):
                options.append(0)
            if options:
                value.update(dict.fromkeys(members, max(options)))
        self._highest[skill, sign] = value
        return value

    @property
    def strongest_total(self) -> dict[State, int]:
        return self.highest(None)

    @cached_property
    def remaining(self) -> dict[str, Remaining]:
        return _remaining(self.module)

    def skill_range(self, skill: str) -> tuple[int, int]:
        return -self.highest(skill, -1)[self.start], self.highest(skill)[self.start]

    def total_range(self) -> tuple[int, int]:
        return -self.highest(None, -1)[self.start], self.strongest_total[self.start]

    def reply_values(self, state: State) -> dict[int, int]:
        """Per reply at this state, the highest total it still leaves reachable."""
        best = self.strongest_total
        return {
            move.choice: self.weight(move, None) + best[move.target]
            for move in self.moves[state]
            if move.choice is not None and move.target in best
        }

    @cached_property
    def strongest_route(self) -> Route:
        """The route with the highest total; of those, the fewest answers, then the
        earliest authored replies."""
        return self._extreme_route(1)

    @cached_property
    def weakest_route(self) -> Route:
        """The route with the lowest total, chosen as `strongest_route` is."""
        return self._extreme_route(-1)

    def _extreme_route(self, sign: int) -> Route:
        best = self.highest(None, sign)
        if self.start not in best:
            raise ValueError(f"module {self.module.slug} has no path to an ending")
        tight = [
            move
            for moves in self.moves.values()
            for move in moves
            if move.source in best
            and move.target in best
            and sign * self.weight(move, None) + best[move.target] == best[move.source]
        ]
        leading_to: dict[State, list[Move]] = {}
        for move in tight:
            leading_to.setdefault(move.target, []).append(move)
        distance = {state: 0 for state in best if self.is_end(state)}
        queue = deque(distance)
        while queue:
            state = queue.popleft()
            for move in leading_to.get(state, []):
                if move.source not in distance:
                    distance[move.source] = distance[state] + 1
                    queue.append(move.source)
        return self._route(tight, distance)

    def _route(self, tight: list[Move], distance: Mapping[State, int]) -> Route:
        leaving: dict[State, list[Move]] = {}
        for move in tight:
            if distance.get(move.target) == distance.get(move.source, 0) - 1:
                leaving.setdefault(move.source, []).append(move)
        state, steps, scores = self.start, [], dict[str, int]()
        while not self.is_end(state):
            move = min(leaving[state], key=lambda m: -1 if m.choice is None else m.choice)
            node = self.module.nodes[state.node]
            steps.append((node, None if move.choice is None else node.choices[move.choice]))
            for skill, delta in move.changes.items():
                scores[skill] = scores.get(skill, 0) + delta
            state = move.target
        return Route(sum(scores.values()), tuple(steps), scores)


def _remaining(module: Module) -> dict[str, Remaining]:
    """Per node that can reach an ending, the answers left on the shortest and the
    longest way there (flags never block a reply, so nodes alone decide this)."""
    forward, backward = links(module)
    fewest = {node.id: 0 for node in module.endings}
    queue = deque(fewest)
    while queue:
        node_id = queue.popleft()
        for source in backward.get(node_id, []):
            if source not in fewest:
                fewest[source] = fewest[node_id] + 1
                queue.append(source)
    most: dict[str, int] = {}
    for members in components(forward, lambda n: forward[n]):
        ahead = [most[t] for n in members for t in forward[n] if t in most and t not in members]
        answers = sum(module.nodes[n].kind != "end" for n in members)
        if ahead or any(module.nodes[n].kind == "end" for n in members):
            most.update(dict.fromkeys(members, answers + max(ahead, default=0)))
    return {node_id: Remaining(fewest[node_id], most[node_id]) for node_id in fewest}


_analyses: dict[tuple[str, str], Analysis] = {}


def analysis(module: Module) -> Analysis:
    """The module's analysis, computed once per module version (a version's content
    never changes)."""
    key = (module.slug, module.version)
    if key not in _analyses:
        if len(_analyses) >= MAX_KEPT:
            _analyses.clear()
        _analyses[key] = Analysis(module)
    return _analyses[key]


def strongest_route(module: Module) -> Route:
    """The highest-scoring way from the start to an ending (exact, for any valid module)."""
    return analysis(module).strongest_route


def weakest_route(module: Module) -> Route:
    """The lowest-scoring way from the start to an ending."""
    return analysis(module).weakest_route


def skill_range(module: Module, skill: str) -> tuple[int, int]:
    """The lowest and highest total of `skill` over every way to an ending."""
    return analysis(module).skill_range(skill)


def remaining(module: Module, node_id: str) -> Remaining:
    """The answers left from `node_id` (this one included) on the shortest and the
    longest way to an ending: what "step 3 of about 6" is made from."""
    return analysis(module).remaining[node_id]
