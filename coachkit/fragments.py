"""Pieces of pages rendered once and kept by each worker, keyed by what they show.

A list page renders the same cards and rows request after request while nothing in
them changes, and a Jinja loop over 20 to 50 of them costs more than the rest of the
page. A fragment's template sees only the values it is given (and `url_for`), never
the signed-in person, a form or a CSRF token, so one copy is right for whoever asks:
the caller's key must determine every value it passes, and the site's root (in every
link) is part of the key. Each worker keeps the most recently used copies, up to
`FRAGMENTS` per app; nothing is shared between workers and nothing needs
invalidating, since a change of what a fragment shows changes its key.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app, render_template, request
from markupsafe import Markup

FRAGMENTS = 4096  # per app; a card or row is about 1 KB: a few MB per worker at most
_KEY = "coachkit.fragments"
_lock = threading.Lock()  # the development server answers requests in threads


def fragment(
    template: str,
    key: Hashable,
    build: Callable[[], dict[str, Any]] | None = None,
    **values: Any,
) -> Markup:
    """`template` rendered with `values` (and what `build()` returns, asked only when
    there is no copy yet), or this worker's copy of it when the same `key` (which must
    determine every value) was rendered before."""
    kept = _kept()
    full_key = (template, request.script_root, key)
    with _lock:
        copy = kept.get(full_key)
        if copy is not None:
            kept.move_to_end(full_key)
            return copy
    if build is not None:
        values.update(build())
    rendered = Markup(render_template(template, **values))  # noqa: S704 - autoescaped
    with _lock:
        kept[full_key] = rendered
        if len(kept) > FRAGMENTS:
            kept.popitem(last=False)
    return rendered


def _kept() -> OrderedDict[Hashable, Markup]:
    """This app's copies (each app, with its own content and settings, has its own)."""
    extensions = current_app.extensions
    if _KEY not in extensions:
        with _lock:
            extensions.setdefault(_KEY, OrderedDict())
    return extensions[_KEY]


def forget() -> None:
    """Drop every copy this app keeps (for tests that count renders)."""
    with _lock:
        _kept().clear()
