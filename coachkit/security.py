"""Response headers and redirect checks from the quality bar."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Response, abort, request
from flask_login import current_user
from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite's is larger
MAX_PAGE = 100_000

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# Endpoints that never show personal data (and should not load the user to decide).
_UNCACHED_EXEMPT = frozenset(
    {"static", "home.healthz", "organisation.logo", "organisation.brand_css"}
)


SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
_SECURE_ONLY = (("Strict-Transport-Security", "max-age=31536000"),)


def set_headers(response: Response) -> Response:
    """after_request hook: CSP and the other security headers on every response (a
    view's own value of one of them stands)."""
    headers = response.headers
    added = SECURITY_HEADERS + _SECURE_ONLY if request.is_secure else SECURITY_HEADERS
    present = {name.lower() for name, _ in headers.items()}  # one pass, not one per header
    headers.extend([(name, value) for name, value in added if name.lower() not in present])
    if request.endpoint not in _UNCACHED_EXEMPT and current_user.is_authenticated:
        # Pages behind sign-in hold HR records: never keep them in shared caches.
        headers["Cache-Control"] = "no-store"
    return response


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ord(char) < 32 or char == "\\" for char in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def no_referrer(response: Response) -> Response:
    """Mark a page whose URL holds a secret token: browsers must not leak it onward."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


class BoundedIntConverter(IntegerConverter):
    """`<int:...>` limited to the database's integer range: a huge id is a 404, not a 500."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def refuse_nul_bytes() -> None:
    """before_request hook: no text with NUL bytes reaches the database (PostgreSQL
    refuses it with an error); the request is a 400 instead. Every value of a repeated
    key counts (`?next=/&next=%00`), not only the first one a view would read."""
    sources = [request.args]
    if request.method in {"POST", "PUT", "PATCH"}:
        sources.append(request.form)
    if any("\x00" in value for source in sources for _, value in source.items(multi=True)):
        abort(400)


def page_number() -> int:
    """The `page` query parameter, within 1..MAX_PAGE (bad values mean page 1)."""
    page = request.args.get("page", 1, type=int) or 1
    return min(max(page, 1), MAX_PAGE)
