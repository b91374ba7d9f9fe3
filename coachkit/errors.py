"""Friendly error pages; a 500 rolls back the unit of work it interrupted."""

from __future__ import annotations

from flask import Flask, Response, render_template
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from coachkit.extensions import db

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
    return render_template("errors/error.html", code=code, title=title, message=message), code


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
