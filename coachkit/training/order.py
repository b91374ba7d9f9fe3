"""The order a step's replies are shown in: shuffled for each attempt, so the best reply
has no habitual place, and the same every time that attempt shows the step (a reload
or a resumed attempt sees what it saw before).

The order comes from a hash of the attempt, the step and each reply's authored index,
not from Python's `hash()` (salted per process) or `random` (whose shuffle may change
between Python versions). Answers are stored by the authored index, never by the place
a reply was shown in, so reports and results do not depend on the order.
"""

from __future__ import annotations

import hashlib

from coachkit.content.modules import Choice, Node


def reply_order(attempt_id: int, node_id: str, count: int) -> list[int]:
    """The authored indexes 0..count-1 in the order this attempt shows them at this node."""

    def rank(index: int) -> bytes:
        return hashlib.sha256(f"{attempt_id}:{node_id}:{index}".encode()).digest()

    return sorted(range(count), key=rank)


def shown_replies(node: Node, attempt_id: int) -> list[tuple[int, Choice]]:
    """A step's replies as this attempt shows them, each with its authored index (the
    value a form posts back and an answer stores)."""
    return [
        (index, node.choices[index])
        for index in reply_order(attempt_id, node.id, len(node.choices))
    ]
