"""Request logs: one JSON object per request, without secrets.

The app logs every request on the `coachkit.requests` logger (`install`): time, level,
method, path, endpoint, status, duration_ms, user_id, remote_addr, request_id and size.
It never logs query strings, headers, cookies, form bodies or user names: only the
path, with the tokens in invite, set-password and unsubscribe links replaced by
`[redacted]`. Each response carries its id in `X-Request-ID`.

Under gunicorn (gunicorn.conf.py) `RedactingLogger` sends those lines wherever the
access log goes (`accesslog`, `--access-logfile`, syslog or a logging config), so the
app's line is the access log; gunicorn writes its own JSON line, from what it knows,
only for a request the app did not log.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sys
import time
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, request
from gunicorn.glogging import Logger
from sqlalchemy import inspect

LOGGER = "coachkit.requests"
# Set in the WSGI environ once the app has logged a request, so gunicorn does not.
LOGGED = "coachkit.request_logged"
# Every request line holds exactly these fields (readers such as bench/loadtest.py
# check lines against them).
FIELDS = frozenset(
    {
        "time",
        "level",
        "method",
        "path",
        "endpoint",
        "status",
        "duration_ms",
        "user_id",
        "remote_addr",
        "request_id",
        "size",
    }
)

# URL segments that carry a secret token: the segment after the prefix is replaced.
_SECRET_SEGMENT = re.compile(r"(/set-password/|/screening/|/unsubscribe/)[^/?#\s]+")


def redact(text: str) -> str:
    """`text` with every secret URL token replaced by `[redacted]`."""
    return _SECRET_SEGMENT.sub(r"\1[redacted]", text)


def level_for(status: int) -> int:
    """Server errors are errors, refusals warnings, the rest information."""
    if status >= 500:
        return logging.ERROR
    return logging.WARNING if status >= 400 else logging.INFO


def line(level: int, **fields: Any) -> str:
    """One log line: a JSON object starting with the time and the level."""
    now = datetime.now(UTC).isoformat(timespec="milliseconds")
    record = {"time": now, "level": logging.getLevelName(level).lower(), **fields}
    return json.dumps(record, separators=(",", ":"))


class _StdoutHandler(logging.StreamHandler):
    """Writes each record to the current `sys.stdout` (a server or a test runner may
    replace it after the handler is made)."""

    def __init__(self) -> None:
        super().__init__(sys.stdout)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stdout.write(self.format(record) + "\n")
            sys.stdout.flush()
        except Exception:
            self.handleError(record)


def _start() -> None:
    g.log_started = time.perf_counter()
    g.request_id = secrets.token_hex(8)


def _user_id() -> int | None:
    """The signed-in user's id, if this request loaded one: never a query of its own
    (`/healthz` stays off the database) and never the name or e-mail."""
    user = g.get("_login_user")
    state = inspect(user, raiseerr=False) if user is not None else None
    if state is None or state.identity is None:
        return None  # anonymous, or no sign-in looked at
    return int(state.identity[0])


def _log(status: int, size: int | None) -> None:
    if request.environ.get(LOGGED):
        return
    request.environ[LOGGED] = True
    started = g.get("log_started")
    level = level_for(status)
    logging.getLogger(LOGGER).log(
        level,
        line(
            level,
            method=request.method,
            path=redact(request.path),
            endpoint=request.endpoint,
            status=status,
            duration_ms=None
            if started is None
            else round(1000 * (time.perf_counter() - started), 1),
            user_id=_user_id(),
            remote_addr=request.remote_addr,
            request_id=g.get("request_id"),
            size=size,
        ),
    )


def _after(response: Response) -> Response:
    if request_id := g.get("request_id"):
        response.headers["X-Request-ID"] = request_id
    size = response.content_length
    if size is None and response.is_sequence:  # never buffer a streamed body to count it
        size = response.calculate_content_length()
    _log(response.status_code, size)
    return response


def _teardown(error: BaseException | None) -> None:
    # An exception that escaped every handler (the server answers 500): still one line.
    if error is not None:
        _log(500, None)


def install(app: Flask) -> None:
    """Log every request of `app` as JSON, and redact the app's own log (e.g.
    "Exception on /set-password/...") and the development server's request log."""
    # First of the before-request hooks: an earlier one may answer (a redirect to
    # sign in) and skip the rest.
    app.before_request_funcs.setdefault(None, []).insert(0, _start)
    app.after_request(_after)
    app.teardown_request(_teardown)
    requests = logging.getLogger(LOGGER)
    if requests.level == logging.NOTSET:
        requests.setLevel(logging.INFO)
    # Its own lines, not copies in the app's log (Flask's handler on `coachkit`, to stderr).
    requests.propagate = False
    if not requests.handlers:  # gunicorn or a logging config may have given it some
        requests.addHandler(_StdoutHandler())
    for logger in (app.logger, logging.getLogger("werkzeug")):
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())


class RedactingLogger(Logger):
    """gunicorn's logger: the app's request lines go to the access log; gunicorn's own
    access lines are JSON too, and secret URL tokens are removed from every atom."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        requests = logging.getLogger(LOGGER)
        requests.handlers = list(self.access_log.handlers) if self.access_log_enabled else []
        if not requests.handlers:
            requests.addHandler(logging.NullHandler())  # access log off: request lines too
        requests.setLevel(logging.INFO)
        requests.propagate = False

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> Any:
        """gunicorn's atoms (for any `access_log_format`) without secrets: no query
        strings, credential headers or cookies, and no URL tokens in the rest."""
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: _clean_atom(key, value) for key, value in atoms.items()}

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not self.access_log_enabled or environ.get(LOGGED):
            return
        atoms = self.atoms(resp, req, environ, request_time)
        status = int(atoms["s"])
        level = level_for(status)
        self.access_log.log(
            level,
            line(
                level,
                method=atoms["m"],
                path=atoms["U"],
                endpoint=None,
                status=status,
                duration_ms=round(request_time.total_seconds() * 1000, 1),
                user_id=None,
                remote_addr=atoms["h"],
                request_id=atoms.get("{x-request-id}o"),
                size=atoms["B"],
            ),
        )


# Atoms that hold credentials or a query string: request headers ({...}i), response
# headers ({...}o) and environ values ({...}e).
_SECRET_ATOMS = re.compile(
    r"\{(cookie|authorization|proxy-authorization|x-csrftoken|x-csrf-token)\}i"
    r"|\{set-cookie\}o"
    r"|\{(query_string|http_cookie|http_(proxy_)?authorization|http_x_csrf_?token)\}e"
)
_QUERY = re.compile(r"\?[^\s\"]*")


def _clean_atom(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if value and (key == "q" or _SECRET_ATOMS.fullmatch(key)):
        return "[redacted]"
    return redact(_QUERY.sub("?[redacted]", value))


class RedactingFilter(logging.Filter):
    """A logging filter that redacts secret URL tokens from any record's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
