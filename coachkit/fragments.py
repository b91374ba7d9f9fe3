"""Pieces of pages rendered once and kept by each worker, keyed by what they show.

A list page renders the same cards and rows request after request while nothing in
them changes, and a Jinja loop over 20 to 50 of them costs more than the rest of the
page. A fragment's template sees only the values it is given (and `url_for` and
`request`), never the signed-in person, so one copy is right for whoever asks: the
caller's key must determine every value it passes and everything it reads from the
request, and the site's root (in every link) is part of the key. Each worker keeps the
most recently used copies, up to `FRAGMENT_BYTES` of them per app; nothing is shared
between workers and nothing needs invalidating, since a change of what a fragment
shows changes its key. Keys that would hold long texts hold a digest of them instead
(`digest`).

A fragment may hold forms: in it `csrf_token()` writes a mark, never a token, and
each request's copy has the mark replaced by that request's token. The mark holds NUL
characters, which forms and query strings cannot bring in (`security.refuse_nul_bytes`
refuses them), so typed text does not pass for it; and were some stored text to hold
it, the worst it could show is the viewer's own token, in the viewer's own page.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app, render_template, request
from markupsafe import Markup

from coachkit.security import csrf_token

FRAGMENT_BYTES = 16 * 1024 * 1024  # per app and worker: the least recently used go first
_KEY = "coachkit.fragments"
_lock = threading.Lock()  # the development server answers requests in threads
CSRF_MARK = "\x00csrf-token\x00"


def _csrf_mark() -> str:
    return CSRF_MARK


class _Copy:
    """A rendered fragment and whether it holds the CSRF mark."""

    __slots__ = ("html", "has_form")

    def __init__(self, html: Markup) -> None:
        self.html = html
        self.has_form = CSRF_MARK in html

    def for_request(self) -> Markup:
        if not self.has_form:
            return self.html
        return Markup(self.html.replace(CSRF_MARK, csrf_token()))  # noqa: S704 - a token


class _Kept:
    """One app's copies, least recently used first, and their total size."""

    def __init__(self) -> None:
        self.copies: OrderedDict[Hashable, _Copy] = OrderedDict()
        self.size = 0

    def add(self, key: Hashable, copy: _Copy) -> None:
        if key in self.copies:
            return
        self.copies[key] = copy
        self.size += len(copy.html)
        while self.size > FRAGMENT_BYTES and self.copies:
            _, dropped = self.copies.popitem(last=False)
            self.size -= len(dropped.html)


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
        copy = kept.copies.get(full_key)
        if copy is not None:
            kept.copies.move_to_end(full_key)
    if copy is None:
        if build is not None:
            values.update(build())
        values["csrf_token"] = _csrf_mark  # in place of the template global
        copy = _Copy(Markup(render_template(template, **values)))  # noqa: S704 - autoescaped
        with _lock:
            kept.add(full_key, copy)
    return copy.for_request()


def _kept() -> _Kept:
    """This app's copies (each app, with its own content and settings, has its own)."""
    extensions = current_app.extensions
    if _KEY not in extensions:
        with _lock:
            extensions.setdefault(_KEY, _Kept())
    kept: _Kept = extensions[_KEY]
    return kept


def forget() -> None:
    """Drop every copy this app keeps (for tests that count renders)."""
    kept = _kept()
    with _lock:
        kept.copies.clear()
        kept.size = 0


def digest(*texts: str | None) -> bytes:
    """A short fingerprint of `texts` for a key, instead of keeping the texts in it."""
    hashed = hashlib.blake2b(digest_size=16)
    for text in texts:  # each as its length and bytes: no two lists read the same
        data = b"" if text is None else text.encode()
        hashed.update(b"-" if text is None else len(data).to_bytes(8, "big") + data)
    return hashed.digest()
