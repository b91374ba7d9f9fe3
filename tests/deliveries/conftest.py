"""A real HTTP receiver on loopback for the deliveries' tests, started once per session."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Received:
    method: str
    path: str
    body: Any
    authorization: str | None


@dataclass
class Receiver:
    """Keeps every request; answers each with the next of `answers` (then 200)."""

    server: ThreadingHTTPServer
    received: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def reset(self) -> None:
        self.received.clear()
        self.answers.clear()


@pytest.fixture(scope="session")
def receiver() -> Iterator[Receiver]:
    keeper: Receiver

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            keeper.received.append(
                Received(
                    self.command,
                    self.path,
                    json.loads(raw) if raw else None,
                    self.headers.get("Authorization"),
                )
            )
            status = keeper.answers.pop(0) if keeper.answers else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        do_POST = do_PATCH = do_PUT = _handle

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    keeper = Receiver(server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield keeper
    server.shutdown()
    server.server_close()


@pytest.fixture
def inbox(receiver: Receiver) -> Iterator[Receiver]:
    receiver.reset()
    yield receiver
    receiver.reset()
