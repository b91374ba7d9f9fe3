"""A real LRS for the xAPI tests: Ralph on loopback (its file-system backend, made to
append by `ralph_lrs.py`, and HTTP Basic), started once per test session; `stop()`
and `start()` take it down and bring it back on the same port with what it stored."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask

LRS_USER, LRS_PASSWORD = "coachkit", "lrs-test-password"
HERE = Path(__file__).resolve().parent


class Lrs:
    def __init__(self, directory: Path) -> None:
        import bcrypt

        self.directory = directory
        (directory / "data").mkdir()
        credentials = [
            {
                "agent": {"account": {"homePage": "http://127.0.0.1", "name": LRS_USER}},
                "scopes": ["all"],
                "username": LRS_USER,
                "hash": bcrypt.hashpw(LRS_PASSWORD.encode(), bcrypt.gensalt(4)).decode(),
            }
        ]
        (directory / "auth.json").write_text(json.dumps(credentials))
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI"

    def start(self) -> None:
        env = {
            **os.environ,
            "RALPH_APP_DIR": str(self.directory),
            "RALPH_AUTH_FILE": str(self.directory / "auth.json"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.directory / "data"),
        }
        with (self.directory / "ralph.log").open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(HERE / "ralph_lrs.py"), str(self.port)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.1)
        raise RuntimeError((self.directory / "ralph.log").read_text()[-2000:])

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def statement(self, statement_id: str) -> list[dict[str, Any]]:
        """What the LRS answers for `statementId`: the statements it holds with that id."""
        response = requests.get(
            self.endpoint + "/statements",
            params={"statementId": statement_id},
            auth=(LRS_USER, LRS_PASSWORD),
            headers={"X-Experience-API-Version": "1.0.3"},
            timeout=10,
        )
        if response.status_code == 404:
            return []
        response.raise_for_status()
        found = response.json()
        return list(found["statements"]) if "statements" in found else [found]


@pytest.fixture(scope="session")
def lrs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lrs]:
    server = Lrs(tmp_path_factory.mktemp("ralph"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def live_lrs(lrs: Lrs) -> Iterator[Lrs]:
    """The LRS, running (a test that stops it gets it back afterwards)."""
    if lrs.process is None:
        lrs.start()
    yield lrs
    if lrs.process is None:
        lrs.start()


@pytest.fixture
def xapi_settings() -> dict[str, Any]:
    """Settings over the LRS's for `app` (a test parametrizes it to change them)."""
    return {}


@pytest.fixture
def app(app_factory: Callable[..., Flask], live_lrs: Lrs, xapi_settings: dict[str, Any]) -> Flask:
    """An app that sends statements to the LRS (with `xapi_settings` over that)."""
    settings = {
        "XAPI_ENDPOINT": live_lrs.endpoint,
        "XAPI_USERNAME": LRS_USER,
        "XAPI_PASSWORD": LRS_PASSWORD,
        **xapi_settings,
    }
    return app_factory(**settings)
