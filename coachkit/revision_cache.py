"""Reusing an expensive result while the data behind it is unchanged.

The key names a revision stored in the database (a counter the writers bump in the same
transaction as their change), so every worker process keeps its own small copy and all
of them agree on when it is stale: the cache is only a shortcut, never the truth, and
nothing depends on which worker answers.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from coachkit.extensions import db

Value = TypeVar("Value")


class RevisionCache(Generic[Value]):
    """The `size` most recently used results, keyed by the database and a revision key."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[tuple[str, Hashable], Value] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], Value]) -> Value:
        full_key = (db.engine.url.render_as_string(), key)
        with self._lock:
            if full_key in self._entries:
                self._entries.move_to_end(full_key)
                return self._entries[full_key]
        value = compute()  # outside the lock: a slow report never blocks another's
        with self._lock:
            self._entries[full_key] = value
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value
