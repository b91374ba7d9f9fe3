"""Pieces of pages rendered once and kept by each worker, keyed by what they show.

A list page renders the same cards and rows request after request while nothing in
them changes, and a Jinja loop over 20 to 50 of them costs more than the rest of the
page. A fragment's template sees only the values it is given (and `url_for`), never
the signed-in person, a form or a CSRF token, so one copy is right for whoever asks:
the caller's key must determine every value it passes, and the site's root (in every
link) is part of the key. Each worker keeps the most recently used copies, up to
`FRAGMENTS`; nothing is shared between workers and nothing needs invalidating, since
a change of what a fragment shows changes its key.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from flask import render_template, request
from markupsafe import Markup

FRAGMENTS = 4096  # a card or row is about 1 KB: a few MB per worker at most

_kept: OrderedDict[Hashable, Markup] = OrderedDict()
_lock = threading.Lock()  # the development server answers requests in threads


def fragment(template: str, key: Hashable, **values: Any) -> Markup:
    """`template` rendered with `values`, or this worker's copy of it when the same
    `key` (which must determine every one of `values`) was rendered before."""
    full_key = (template, request.script_root, key)
    with _lock:
        kept = _kept.get(full_key)
        if kept is not None:
            _kept.move_to_end(full_key)
            return kept
    rendered = Markup(render_template(template, **values))  # noqa: S704 - autoescaped
    with _lock:
        _kept[full_key] = rendered
        if len(_kept) > FRAGMENTS:
            _kept.popitem(last=False)
    return rendered


def forget() -> None:
    """Drop every kept copy (for tests that change templates or settings)."""
    with _lock:
        _kept.clear()
