"""Response headers and redirect checks from the quality bar."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
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
_UNCACHED_EXEMPT = frozenset({"static", "home.healthz"})


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


_SIGNED_TOKENS = "coachkit.signed_csrf_tokens"
SIGNED_TOKENS_KEPT = 10_000  # per app and worker, about a megabyte


def csrf_token() -> str:
    """The template's `csrf_token()`: Flask-WTF's token for this session, signed once
    per worker rather than on every page (the sign-out form is on all of them). Its
    tokens never expire (WTF_CSRF_TIME_LIMIT is None), so an earlier signature of the
    session's token is as good as a new one; with a time limit set, each page signs
    afresh."""
    config = current_app.config
    field = config["WTF_CSRF_FIELD_NAME"]
    if field in g or config["WTF_CSRF_TIME_LIMIT"] is not None:
        return generate_csrf()
    signed: dict[str, str] = current_app.extensions[_SIGNED_TOKENS]
    raw = session.get(field)
    if isinstance(raw, str) and (token := signed.get(raw)) is not None:
        setattr(g, field, token)
        return token
    token = generate_csrf()
    if len(signed) >= SIGNED_TOKENS_KEPT:
        signed.clear()  # signing again is all it costs
    signed[session[field]] = token
    return token


def install_csrf_token(app: Flask) -> None:
    """Use `csrf_token` in templates, in place of Flask-WTF's `generate_csrf` (which it
    installs both as a global and through a context processor; this one runs later)."""
    app.extensions[_SIGNED_TOKENS] = {}
    app.jinja_env.globals["csrf_token"] = csrf_token
    app.context_processor(lambda: {"csrf_token": csrf_token})


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
