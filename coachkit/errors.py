"""Friendly error pages; a 500 rolls back the unit of work it interrupted."""

from __future__ import annotations

from flask import Flask, Response, make_response, render_template, request
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from coachkit import security
from coachkit.extensions import db

# Addresses that carry a secret token: their error pages must not leak it onward either
# (the candidate's blueprint answers most of its own errors; this covers the rest, such
# as a method the route does not take).
SECRET_PATHS = ("/screening/",)

TITLES = {
    400: "That request could not be understood",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "That action is not available here",
    410: "This link is no longer valid",
    413: "That upload is too large",
    429: "Too many requests",
    500: "Something went wrong on our side",
}


def _render(code: int, message: str | None = None) -> tuple[str | Response, int]:
    title = TITLES.get(code, "Something went wrong")
    if request_ctx.url_adapter is None:
        # The request never reached routing (an untrusted Host): no links can be built.
        return Response(title + "\n", mimetype="text/plain"), code
    page = render_template("errors/error.html", code=code, title=title, message=message)
    if request.path.startswith(SECRET_PATHS):
        return security.no_referrer(make_response(page)), code
    return page, code


def handle_http(error: HTTPException) -> tuple[str | Response, int] | HTTPException:
    if error.code is None or error.code < 400:
        return error
    return _render(error.code)


def handle_csrf(error: CSRFError) -> tuple[str | Response, int]:
    return _render(
        400,
        "The form had expired or came from another site. Go back, reload "
        "the page and send it again.",
    )


def handle_server_error(error: InternalServerError) -> tuple[str | Response, int]:
    db.session.rollback()
    return _render(500)


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf)
    app.register_error_handler(HTTPException, handle_http)
    app.register_error_handler(InternalServerError, handle_server_error)
