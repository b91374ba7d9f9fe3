"""The README's first command works from a fresh clone: `make run` serves /login."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
        return response.status, response.read().decode()


@pytest.mark.slow
def test_make_run_from_a_fresh_clone_serves_login(tmp_path):
    clone = tmp_path / "coachkit"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("COACHKIT_", "FLASK_", "VIRTUAL_ENV"))
        and key not in {"DATABASE_URL", "SECRET_KEY", "EXTERNAL_URL"}
    }
    env["PATH"] = os.pathsep.join(
        part
        for part in env.get("PATH", "").split(os.pathsep)
        if not part.startswith(str(Path(sys.prefix)))
    )
    log = (tmp_path / "make-run.log").open("w+")
    process = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=clone,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 420
        status, body = 0, ""
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status, body = fetch(f"http://127.0.0.1:{port}/login")
                break
            except OSError:
                time.sleep(1)
        log.seek(0)
        output = log.read()
        assert status == 200, f"make run did not serve /login:\n{output[-3000:]}"
        assert "Sign in to coachkit" in body
        assert "admin      alex.morgan@demo.coachkit.example" in output
        assert f"http://127.0.0.1:{port}" in output
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
