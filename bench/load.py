"""Serving the app with gunicorn on loopback and loading it with wrk.

gunicorn runs with the project's gunicorn.conf.py (its logger and timeouts) and two
workers on a free 127.0.0.1 port; access lines go to /dev/null so the terminal stays
readable (they are still formatted, as in production). wrk is given a session cookie
and reports requests per second and the latency distribution.
"""

from __future__ import annotations

import http.client
import math
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.store import ROOT

WORKERS = 2
CONNECTIONS = 4  # two per worker: one served, one waiting, so no worker idles
MAX_SECONDS = 40
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class Measurement:
    rps: float
    p50_ms: float | None
    p99_ms: float | None
    requests: int


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving the database at `url` until `stop()`."""

    def __init__(self, url: str, secret_key: str, log: Path, access_log: str = "/dev/null") -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": secret_key,
            "EXTERNAL_URL": self.base,
            "SESSION_COOKIE_SECURE": "false",
        }
        env.pop("FLASK_DEBUG", None)
        command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--workers", str(WORKERS)]
        command += ["--access-logfile", access_log, "--error-logfile", str(log)]
        command += ["--no-control-socket", "wsgi:app"]  # none in ~/.gunicorn to collide
        self.log = log
        log.unlink(missing_ok=True)
        self.process = subprocess.Popen(command, cwd=ROOT, env=env)
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log}")
            if len(self.workers()) == WORKERS and get(self.port, "/healthz")[0] == 200:
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer /healthz; see {self.log}")

    def workers(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def peak_rss_mb(self) -> float:
        """The highest peak resident set (VmHWM) among the workers."""
        peaks = []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
            if match:
                peaks.append(int(match.group(1)) / 1024)
        return max(peaks, default=0.0)

    def wait_idle(self, timeout: float = 120) -> None:
        """Wait until the workers stop using CPU. When wrk stops, requests it had in
        flight or queued are still served to a client that has gone; the next
        measurement must not pay for them."""
        deadline = time.monotonic() + timeout
        last, quiet = self._cpu_ticks(), 0
        while quiet < 3 and time.monotonic() < deadline:
            time.sleep(0.1)
            now = self._cpu_ticks()
            quiet = quiet + 1 if now == last else 0
            last = now

    def _cpu_ticks(self) -> int:
        total = 0
        for pid in self.workers():
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def get(port: int, path: str, cookie: str | None = None) -> tuple[int, float]:
    """One GET (redirects not followed): its status and seconds taken (0 if refused)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": f"session={cookie}"} if cookie else {}
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    except OSError:
        return 0, 0.0
    finally:
        connection.close()


@dataclass(frozen=True)
class Plan:
    seconds: int
    connections: int


def plan_for(single_request_seconds: float, minimum: int) -> Plan:
    """How to load a page: `minimum` seconds with CONNECTIONS connections. A page that
    takes over a second per request gets one connection per worker (nothing queues
    behind a slow request, so stopping leaves little to drain) and time for about one
    request per worker, up to MAX_SECONDS: it misses its goal by far anyway."""
    if single_request_seconds <= 1:
        return Plan(minimum, CONNECTIONS)
    seconds = min(MAX_SECONDS, max(minimum, math.ceil(1.2 * single_request_seconds)))
    return Plan(seconds, WORKERS)


def wrk(url: str, cookie: str | None, plan: Plan) -> Measurement:
    command = ["wrk", "-t1", f"-c{plan.connections}", f"-d{plan.seconds}s"]
    command += ["--timeout", "60s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: session={cookie}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=plan.seconds + 120
    ).stdout
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        raise RuntimeError(f"{url}: {match.group(1)} error responses under load\n{output}")
    if "Socket errors" in output:  # refused, reset (a worker killed) or timed out
        raise RuntimeError(f"{url}: connection errors under load\n{output}")
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    if requests == 0:  # slower than the whole run: no latency to report
        return Measurement(0.0, None, None, 0)
    return Measurement(rps, _percentile(output, "50"), _percentile(output, "99"), requests)


def _percentile(output: str, which: str) -> float | None:
    match = re.search(rf"^\s+{which}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.MULTILINE)
    if match is None:
        return None
    return float(match.group(1)) * UNITS[match.group(2)]
