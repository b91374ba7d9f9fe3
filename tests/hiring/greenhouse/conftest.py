"""Greenhouse's side, on loopback: coachkit served by werkzeug in a thread, a client
that calls it as Greenhouse does (the Assessment Partner API's documented requests,
HTTP Basic with the partner key and an empty password), and a receiver for the
completion PATCH that records what it gets and can be taken down and brought back."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests
from flask import Flask
from werkzeug.serving import make_server

from coachkit.extensions import db
from coachkit.hiring.greenhouse import keys

TIMEOUT = 10


@pytest.fixture
def app(app_factory) -> Flask:
    """The callback receiver listens on plain http at 127.0.0.1."""
    return app_factory(ALLOW_HTTP_CALLBACK_HOSTS=("127.0.0.1",))


def make_key(app: Flask, name: str = "Greenhouse") -> str:
    with app.app_context():
        plain, _ = keys.create(name)
        db.session.commit()
        db.session.remove()
    return plain


@pytest.fixture
def live(app: Flask) -> Iterator[str]:
    """coachkit on a free loopback port: its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


class Greenhouse:
    """Greenhouse calling an assessment partner: the four documented requests."""

    def __init__(self, base: str, key: str | None) -> None:
        self.base = base + "/api/greenhouse"
        self.key = key

    def call(self, method: str, name: str, **kwargs: Any) -> requests.Response:
        auth = (self.key, "") if self.key is not None else None
        return requests.request(method, f"{self.base}/{name}", auth=auth, timeout=TIMEOUT, **kwargs)

    def list_tests(self) -> requests.Response:
        return self.call("GET", "list_tests")

    def send_test(self, body: Any = None, **kwargs: Any) -> requests.Response:
        return self.call("POST", "send_test", json=body, **kwargs)

    def test_status(self, partner_interview_id: str) -> requests.Response:
        return self.call(
            "GET", "test_status", params={"partner_interview_id": partner_interview_id}
        )

    def response_error(self, body: Any) -> requests.Response:
        return self.call("POST", "response_error", json=body)


def send_test_body(
    partner_test_id: str, url: str, email: str = "hpotter@hogwarts.example", **candidate: str
) -> dict[str, Any]:
    """A send_test body as the documentation shows it."""
    return {
        "partner_test_id": partner_test_id,
        "candidate": {
            "first_name": "Harry",
            "last_name": "Potter",
            "resume_url": "https://hogwarts.example/resume",
            "phone_number": "123-456-7890",
            "email": email,
            "greenhouse_profile_url": "https://app.greenhouse.io/people/17681532?application_id=26234709",
            **candidate,
        },
        "url": url,
    }


@pytest.fixture
def key(app: Flask) -> str:
    return make_key(app)


@pytest.fixture
def greenhouse(live: str, key: str) -> Greenhouse:
    return Greenhouse(live, key)


@dataclass
class Received:
    method: str
    path: str
    authorization: str | None
    body: bytes


@dataclass
class Receiver:
    """Greenhouse's end of the completion PATCH, at a fixed loopback port."""

    port: int = 0
    received: list[Received] = field(default_factory=list)
    busy: int = 0  # how many of the next requests to answer 503 (and not record)
    server: ThreadingHTTPServer | None = None
    thread: threading.Thread | None = None

    def url(self, path: str = "/integrations/testing_partners/take_home_tests/12345") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> None:
        if self.server is not None:
            return
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_PATCH(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                if receiver.busy:
                    receiver.busy -= 1
                    self.send_response(503)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                receiver.received.append(
                    Received(
                        "PATCH",
                        self.path,
                        self.headers.get("Authorization"),
                        self.rfile.read(length),
                    )
                )
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self.server.server_port
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """Down: nothing listens on the port (connections are refused)."""
        if self.server is None:
            return
        self.server.shutdown()
        self.server.server_close()
        assert self.thread is not None
        self.thread.join()
        self.server = self.thread = None


@pytest.fixture(scope="session")
def receiver_server() -> Iterator[Receiver]:
    receiver = Receiver()
    receiver.start()
    yield receiver
    receiver.stop()


@pytest.fixture
def receiver(receiver_server: Receiver) -> Receiver:
    """The session's receiver, up and with nothing received yet."""
    receiver_server.start()
    receiver_server.received.clear()
    receiver_server.busy = 0
    return receiver_server
