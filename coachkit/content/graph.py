"""How a module's nodes connect: targets exist, every node is reachable, every path ends,
and scores name known skills and flags; and the loops among nodes (or any states)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TypeVar

from coachkit.content.modules import Module, Node
from coachkit.content.problems import Collector, Problem

V = TypeVar("V", bound=Hashable)


def successors(node: Node) -> list[str]:
    if node.kind == "step":
        return [choice.target for choice in node.choices]
    if node.kind == "reflect":
        return [node.next] if node.next else []
    return []


def links(module: Module) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Each node's existing successors, and each node's predecessors."""
    forward = {
        node_id: [t for t in successors(node) if t in module.nodes]
        for node_id, node in module.nodes.items()
    }
    backward: dict[str, list[str]] = {}
    for source, targets in forward.items():
        for target in targets:
            backward.setdefault(target, []).append(source)
    return forward, backward


def components(vertices: Iterable[V], following: Callable[[V], Iterable[V]]) -> list[list[V]]:
    """Strongly connected components (Tarjan's, without recursion), each component after
    every component it leads to."""
    index: dict[V, int] = {}
    low: dict[V, int] = {}
    stack: list[V] = []
    on_stack: set[V] = set()
    found: list[list[V]] = []
    for root in vertices:
        if root in index:
            continue
        work = [(root, iter(following(root)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            vertex, pending = work[-1]
            for nxt in pending:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(following(nxt))))
                    break
                if nxt in on_stack:
                    low[vertex] = min(low[vertex], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[vertex])
                if low[vertex] == index[vertex]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == vertex:
                            break
                    found.append(component)
    return found


def _reach(starts: Iterable[str], edges: Mapping[str, list[str]]) -> set[str]:
    seen, queue = set(starts), deque(starts)
    while queue:
        for following in edges.get(queue.popleft(), []):
            if following not in seen:
                seen.add(following)
                queue.append(following)
    return seen


def _check_links(module: Module, problems: Collector) -> bool:
    """Whether the start and every target exist."""
    found = len(problems.problems)
    if module.start not in module.nodes:
        problems.add(module.start_line, f"start node '{module.start}' does not exist")
    for node in module.nodes.values():
        for choice in node.choices:
            if choice.target not in module.nodes:
                problems.add(
                    choice.line, f"choice leads to '{choice.target}', which does not exist"
                )
        if node.kind == "reflect" and node.next and node.next not in module.nodes:
            problems.add(
                node.line, f"reflect '{node.id}' continues to '{node.next}', which does not exist"
            )
    return len(problems.problems) == found


def _check_paths(module: Module, problems: Collector) -> bool:
    """Whether every node reachable from the start can reach an ending."""
    if module.start not in module.nodes:
        return False
    forward, backward = links(module)
    reachable = _reach([module.start], forward)
    can_end = _reach([n.id for n in module.endings], backward)
    ends = reachable <= can_end
    for node in module.nodes.values():
        if node.id not in reachable:
            problems.add(node.line, f"'{node.id}' is unreachable from the start node")
        elif node.id not in can_end:
            problems.add(
                node.line,
                f"from '{node.id}' no path reaches an end: the conversation would never finish",
            )
    if not module.endings:
        problems.add(1, "the module has no '## end' node")
    return ends


def _check_scores(module: Module, skill_ids: set[str], problems: Collector) -> None:
    for skill in module.skills:
        if skill not in skill_ids:
            problems.add(module.skills_line, f"unknown skill '{skill}' in skills")
    flags_set = {
        flag for node in module.nodes.values() for choice in node.choices for flag in choice.sets
    }
    for node in module.nodes.values():
        for choice in node.choices:
            for change in choice.scores:
                if change.skill not in skill_ids:
                    problems.add(change.line, f"unknown skill '{change.skill}'")
                elif change.skill not in module.skills:
                    problems.add(
                        change.line,
                        f"'{change.skill}' is scored but not listed in the front matter's skills",
                    )
            conditions = [(c.condition, c.line) for c in choice.scores] + [
                (f.condition, f.line) for f in choice.feedback
            ]
            for condition, line in conditions:
                if condition.flag and condition.flag not in flags_set:
                    problems.add(
                        line, f"flag '{condition.flag}' is never set by any choice ('sets: ...')"
                    )


def check_module(module: Module, skill_ids: set[str]) -> list[Problem]:
    """Every structural problem of a parsed module."""
    problems = Collector(module.path)
    _check_links(module, problems)
    _check_paths(module, problems)
    _check_scores(module, skill_ids, problems)
    return problems.problems


def measurable(module: Module) -> bool:
    """The start and every target exist and every path can end, so every path can be
    measured (`scoring`, `paths`)."""
    quiet = Collector(module.path)
    return _check_links(module, quiet) and _check_paths(module, quiet)
