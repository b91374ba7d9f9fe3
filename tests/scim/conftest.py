"""SCIM helpers: a bearer token made the way an admin makes one, requests with it, and
coachkit served for real on loopback for the compliance checker."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from coachkit.extensions import db
from coachkit.scim import tokens

SCIM_JSON = "application/scim+json"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


def make_token(app: Flask, name: str = "Entra ID") -> str:
    with app.app_context():
        plain, _ = tokens.create(name, by="tests")
        db.session.commit()
        db.session.remove()
    return plain


@pytest.fixture
def token(app) -> str:
    return make_token(app)


class Scim:
    """Requests to /scim/v2 with a bearer token, through the test client."""

    def __init__(self, app: Flask, token: str) -> None:
        self.client = app.test_client()
        self.token = token

    def __call__(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self.client.open(
            "/scim/v2" + path,
            method=method,
            json=body,
            headers={"Authorization": f"Bearer {self.token}"},
            **kwargs,
        )

    def user(self, user_name: str, email: str | None = None, **extra: Any) -> Any:
        body = {"schemas": [USER], "userName": user_name, **extra}
        if email is not None:
            body["emails"] = [{"value": email, "type": "work", "primary": True}]
        return self("POST", "/Users", body)

    def group(self, name: str, members: list[str] = (), **extra: Any) -> Any:  # type: ignore[assignment]
        body = {"schemas": [GROUP], "displayName": name, **extra}
        if members:
            body["members"] = [{"value": member} for member in members]
        return self("POST", "/Groups", body)

    def patch(self, path: str, *operations: dict[str, Any]) -> Any:
        return self("PATCH", path, {"schemas": [PATCH], "Operations": list(operations)})


@pytest.fixture
def scim(app, token) -> Scim:
    return Scim(app, token)


@pytest.fixture
def live_scim(app) -> Iterator[str]:
    """coachkit on a free loopback port (werkzeug's server in a thread): its SCIM base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["EXTERNAL_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/scim/v2"
    server.shutdown()
    thread.join()
    server.server_close()
