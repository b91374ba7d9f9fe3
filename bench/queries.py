"""Counting the SQL statements each page runs, through the Flask test client.

Each page is requested once, as its person, with a fresh client (as the test suite
counts them). Every statement the engine sends counts except SQLite's BEGIN, which the
app issues itself to choose the lock (PostgreSQL sends none).
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event

from bench.pages import Page
from bench.signin import close_sessions, cookie, open_sessions
from bench.store import app_config
from coachkit import create_app
from coachkit.extensions import db
from coachkit.request_log import LOGGER


class PageFailed(RuntimeError):
    pass


def count(url: str, pages: list[Page]) -> dict[str, int]:
    """Statements per page name for the database at `url`."""
    app = create_app(app_config(url))
    tokens = open_sessions(app, [page.user_id for page in pages])
    statements: list[str] = []

    def record(_connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.startswith("BEGIN"):
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    counts = {}
    event.listen(engine, "before_cursor_execute", record)
    request_log = logging.getLogger(LOGGER)
    was_disabled, request_log.disabled = request_log.disabled, True  # no access lines here
    try:
        for page in pages:
            client = app.test_client()
            client.set_cookie("session", cookie(app, tokens[page.user_id]))
            statements.clear()
            response = client.get(page.path)
            if response.status_code != 200:
                raise PageFailed(f"{page.name}: GET {page.path} answered {response.status}")
            counts[page.name] = len(statements)
    finally:
        request_log.disabled = was_disabled
        event.remove(engine, "before_cursor_execute", record)
        close_sessions(app, tokens.values())
    return counts
