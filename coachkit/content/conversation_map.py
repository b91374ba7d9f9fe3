"""A module's conversation map: its steps as boxes in layers by depth (the fewest
answers from the start), its replies as lettered arrows, its endings coloured by
outcome and the strongest path picked out; laid out here, drawn by a template as SVG
beside the same facts as a list.

The layout is deterministic: a layer keeps the file's order, then one pass orders each
layer by where the boxes leading to it stand, so the same file always draws the same
map (tests and reviewers can compare it).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from string import ascii_uppercase

from coachkit.content.graph import links, measurable
from coachkit.content.modules import Module, Node, opening_words
from coachkit.content.paths import strongest_route

BOX_WIDTH, BOX_HEIGHT = 168, 48
COLUMN, ROW = 200, 150  # the room each box takes across and down
MARGIN = 24
LOOP_BULGE = 56  # how far an arrow back up the map swings out to the side
LABEL_CHARACTERS = 20
THINNEST, THICKEST = 1.5, 9.0  # arrow widths in the report, by how often it was taken


@dataclass(frozen=True)
class MapNode:
    id: str
    kind: str  # step, reflect or end
    outcome: str  # an ending's outcome, else ""
    label: str  # short, for the box
    heading: str  # in full, for the list and the box's tooltip
    detail: str  # a second line for the box: an ending's or a reflection's first words
    depth: int
    x: int  # the box's top-left corner
    y: int
    strongest: bool


@dataclass(frozen=True)
class MapEdge:
    source: str
    target: str
    letter: str  # A, B, C... in the order the replies are written; "" after a reflection
    reply: str  # the reply in full ("" after a reflection)
    path: str  # SVG path data
    label_x: int
    label_y: int
    strongest: bool
    back: bool  # leads back up the map (a loop)
    taken: int | None  # how often learners took it (module report only)
    width: float


@dataclass(frozen=True)
class ConversationMap:
    nodes: tuple[MapNode, ...]
    edges: tuple[MapEdge, ...]
    width: int
    height: int

    @property
    def endings(self) -> tuple[MapNode, ...]:
        return tuple(node for node in self.nodes if node.kind == "end")

    def edges_from(self, node_id: str) -> list[MapEdge]:
        return [edge for edge in self.edges if edge.source == node_id]

    def node(self, node_id: str) -> MapNode:
        return next(node for node in self.nodes if node.id == node_id)


def _depths(module: Module) -> dict[str, int]:
    """The fewest answers from the start to each node; unreachable ones below the rest."""
    forward, _backward = links(module)
    depth = {module.start: 0}
    queue = deque([module.start])
    while queue:
        node_id = queue.popleft()
        for target in forward[node_id]:
            if target not in depth:
                depth[target] = depth[node_id] + 1
                queue.append(target)
    lowest = max(depth.values(), default=-1) + 1
    return {node_id: depth.get(node_id, lowest) for node_id in module.nodes}


def _layers(module: Module, depth: Mapping[str, int]) -> list[list[str]]:
    """Each depth's node ids, ordered by the mean place of the nodes leading to them."""
    _forward, backward = links(module)
    layers: list[list[str]] = [[] for _ in range(max(depth.values()) + 1)]
    for node_id in module.nodes:  # file order first
        layers[depth[node_id]].append(node_id)
    place: dict[str, float] = {}
    for layer in layers:
        known = {n: [place[s] for s in backward.get(n, []) if s in place] for n in layer}
        layer.sort(key=lambda n: sum(known[n]) / len(known[n]) if known[n] else 0.0)
        for index, node_id in enumerate(layer):
            place[node_id] = index - (len(layer) - 1) / 2
    return layers


def _label(node: Node) -> str:
    if node.kind == "end":
        return f"{node.outcome.capitalize() or 'An'} ending"
    if node.kind == "reflect":
        return "Reflection"
    return _shortened(node.title or node.customer_html.striptags() or node.id)


def _heading(node: Node) -> str:
    """A step's heading, a reflection's prompt, an ending's first sentences."""
    if node.kind == "end":
        return opening_words(node.body_html.striptags()) or _label(node)
    return node.heading if node.kind == "step" else node.prompt or _label(node)


def _shortened(text: str) -> str:
    """The words of `text` that fit on a box, with an ellipsis when some are left out."""
    words = text.split()
    kept = ""
    for word in words:
        if len(f"{kept} {word}".strip()) > LABEL_CHARACTERS - 1:
            return f"{kept.rstrip(',;:.')}…" if kept else f"{word[: LABEL_CHARACTERS - 1]}…"
        kept = f"{kept} {word}".strip()
    return kept


def _strongest(module: Module) -> tuple[set[str], set[tuple[str, int | None]]]:
    """The nodes and the (node, reply) moves on the strongest path."""
    route = strongest_route(module)
    nodes: set[str] = set()
    moves: set[tuple[str, int | None]] = set()
    target = module.start
    for node, choice in route.steps:
        nodes.add(node.id)
        index = None if choice is None else node.choices.index(choice)
        moves.add((node.id, index))
        target = node.next if choice is None else choice.target
    nodes.add(target)
    return nodes, moves


def _point(t: float, *points: tuple[float, float]) -> tuple[int, int]:
    """A point on a cubic Bézier curve."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points
    u = 1 - t
    x = u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3
    y = u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3
    return round(x), round(y)


def _curve(
    source: MapNode, target: MapNode, out_offset: float, in_offset: float
) -> tuple[str, tuple[int, int], bool]:
    """The arrow's path, where its letter goes, and whether it leads back up."""
    Point = tuple[float, float]
    start: Point
    end: Point
    points: tuple[Point, Point, Point, Point]
    if target.depth > source.depth:
        start = (source.x + BOX_WIDTH / 2 + out_offset, source.y + BOX_HEIGHT)
        end = (target.x + BOX_WIDTH / 2 + in_offset, target.y - 4)
        bend = (end[1] - start[1]) / 2
        points = (start, (start[0], start[1] + bend), (end[0], end[1] - bend), end)
        back = False
    elif target.depth == source.depth:  # across a layer: side to side
        rightwards = target.x > source.x
        start = (source.x + (BOX_WIDTH if rightwards else 0), source.y + BOX_HEIGHT / 2)
        end = (target.x + (-4 if rightwards else BOX_WIDTH + 4), target.y + BOX_HEIGHT / 2)
        middle = (start[0] + end[0]) / 2
        points = (start, (middle, start[1] - 14), (middle, end[1] - 14), end)
        back = True
    else:  # back up the map: swing out to the right
        start = (source.x + BOX_WIDTH, source.y + BOX_HEIGHT / 2 + out_offset / 3)
        end = (target.x + BOX_WIDTH + 4, target.y + BOX_HEIGHT / 2 + in_offset / 3)
        side = max(start[0], end[0]) + LOOP_BULGE
        points = (start, (side, start[1]), (side, end[1]), end)
        back = True
    numbers = [f"{x:.0f} {y:.0f}" for x, y in points]
    path = f"M {numbers[0]} C {numbers[1]}, {numbers[2]}, {numbers[3]}"
    return path, _point(0.5 if back else 0.28, *points), back


def _spread(count: int, index: int) -> float:
    gap = min(28.0, BOX_WIDTH / (count + 1))
    return (index - (count - 1) / 2) * gap


def _width(taken: int | None, most: int) -> float:
    if taken is None or most == 0:
        return 2.0
    return round(THINNEST + (THICKEST - THINNEST) * taken / most, 1)


def _boxes(module: Module, layers: list[list[str]], on_path: set[str]) -> dict[str, MapNode]:
    """Each node's box: a row per layer, left-aligned (so the start is in view at the
    top left on a phone)."""
    boxes: dict[str, MapNode] = {}
    for row, layer in enumerate(layers):
        for column, node_id in enumerate(layer):
            node = module.nodes[node_id]
            boxes[node_id] = MapNode(
                node.id,
                node.kind,
                node.outcome if node.kind == "end" else "",
                _label(node),
                _heading(node),
                "" if node.kind == "step" else _shortened(_heading(node)),
                row,
                round(MARGIN + column * COLUMN + (COLUMN - BOX_WIDTH) / 2),
                MARGIN + row * ROW,
                node_id in on_path,
            )
    return boxes


def _exits(node: Node, module: Module) -> list[tuple[int | None, str, str]]:
    """A node's ways on: (reply index or None after a reflection, target, reply)."""
    exits: list[tuple[int | None, str, str]] = (
        [(None, node.next, "")]
        if node.kind == "reflect"
        else [(i, c.target, c.text) for i, c in enumerate(node.choices)]
    )
    return [exit_ for exit_ in exits if exit_[1] in module.nodes]


def _edges(
    module: Module,
    boxes: dict[str, MapNode],
    strong_moves: set[tuple[str, int | None]],
    taken: Mapping[tuple[str, int], int] | None,
) -> list[MapEdge]:
    _forward, backward = links(module)
    arriving = {n: sorted(backward.get(n, []), key=lambda s: boxes[s].x) for n in module.nodes}
    most = max(taken.values(), default=0) if taken is not None else 0
    edges: list[MapEdge] = []
    for node_id in boxes:
        exits = _exits(module.nodes[node_id], module)
        for place, (reply_index, target, reply) in enumerate(exits):
            sources = arriving[target]
            path, (lx, ly), back = _curve(
                boxes[node_id],
                boxes[target],
                _spread(len(exits), place),
                _spread(len(sources), sources.index(node_id)),
            )
            count = None
            if taken is not None and reply_index is not None:
                count = taken.get((node_id, reply_index), 0)
            letter = "" if reply_index is None else ascii_uppercase[reply_index % 26]
            strong = (node_id, reply_index) in strong_moves
            edges.append(
                MapEdge(
                    node_id, target, letter, reply, path, lx, ly, strong, back, count,
                    _width(count, most),
                )
            )  # fmt: skip
    return edges


def conversation_map(
    module: Module, taken: Mapping[tuple[str, int], int] | None = None
) -> ConversationMap | None:
    """The module's map, or None when its links are broken (nothing sound to draw).
    With `taken` (how often each (node, reply index) was chosen), arrows are as thick
    as their share of the most-taken reply."""
    if not measurable(module):
        return None
    layers = _layers(module, _depths(module))
    on_path, strong_moves = _strongest(module)
    boxes = _boxes(module, layers, on_path)  # in layer order
    width = max(len(layer) for layer in layers) * COLUMN + 2 * MARGIN + LOOP_BULGE
    height = 2 * MARGIN + (len(layers) - 1) * ROW + BOX_HEIGHT
    edges = _edges(module, boxes, strong_moves, taken)
    return ConversationMap(tuple(boxes.values()), tuple(edges), width, height)


_maps: dict[tuple[str, str], ConversationMap | None] = {}
MAX_KEPT = 512


def plain_map(module: Module) -> ConversationMap | None:
    """The map without counts, laid out once per module version (a version never
    changes)."""
    key = (module.slug, module.version)
    if key not in _maps:
        if len(_maps) >= MAX_KEPT:
            _maps.clear()
        _maps[key] = conversation_map(module)
    return _maps[key]
