"""Fixtures for the concurrency tests: run requests in parallel and collect what they
reported.

Each writer is a thread with its own test client (its own cookie jar, connection and
unit of work), and all of them are lined up on a barrier so they hit the app at the
same moment. On SQLite the writers then queue for the database lock (`BEGIN
IMMEDIATE`, `busy_timeout`); on PostgreSQL they run side by side, as requests on
several app servers would, and only row locks, atomic updates and unique constraints
keep them apart. The tests compare the database afterwards with the writes that
reported success.

The hiring and coaching fixtures are imported so these tests build the same people,
openings, links and sessions as the feature tests.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask
from flask.testing import FlaskClient

from tests.coaching.conftest import crew, make_session, session_form  # noqa: F401
from tests.conftest import page
from tests.hiring.conftest import (  # noqa: F401
    invite,
    make_candidate,
    make_opening,
    people,
    submitted,
)

# Writers per race: enough to overlap on two cores, few enough to stay fast.
WRITERS = 8
RACE_TIMEOUT = 60
T = TypeVar("T")


@dataclass(frozen=True)
class Reply:
    """What one parallel request got back, read inside its thread."""

    status: int
    location: str
    text: str
    json: Any


def reply(response: Any) -> Reply:
    return Reply(
        response.status_code,
        response.headers.get("Location", ""),
        page(response),
        response.get_json(silent=True),
    )


def race(actions: Sequence[Callable[[], T]]) -> list[T]:
    """Run every action in its own thread, all released at once; return their results
    in order. An exception in any thread (a 500 propagates in testing) fails the test
    with that thread's traceback."""
    barrier = threading.Barrier(len(actions))
    results: list[Any] = [None] * len(actions)
    failures: list[str] = []

    def run(index: int) -> None:
        try:
            barrier.wait(timeout=RACE_TIMEOUT)
            results[index] = actions[index]()
        except BaseException:  # noqa: BLE001 - reported below, with the traceback
            failures.append(f"writer {index}:\n{traceback.format_exc()}")

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=RACE_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a writer hung (deadlock?)"
    assert not failures, "\n".join(failures)
    return results


def post(client: FlaskClient, path: str, data: Any = None, **kwargs: Any) -> Callable[[], Reply]:
    """A POST to run in a race."""
    return lambda: reply(client.post(path, data=data, **kwargs))


def same_browser(app: Flask, client: FlaskClient, count: int) -> list[FlaskClient]:
    """`count` clients carrying `client`'s cookies: one browser sending a form twice
    (a double click, a resent POST) rather than two people."""
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None, "sign in first"
    copies = []
    for _ in range(count):
        copy = app.test_client()
        copy.set_cookie(cookie.decoded_key, cookie.decoded_value)
        copies.append(copy)
    return copies
