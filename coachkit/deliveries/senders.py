"""Who performs each target's requests: a registry of senders per app, and the one way
an HTTP answer becomes an outcome (sent, try again, refused for good)."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import requests
from flask import Flask, current_app

TIMEOUT = (5, 20)  # seconds to connect, to read the answer
EXTENSION = "coachkit.deliveries"


class Outcome(enum.Enum):
    SENT = "sent"
    RETRY = "retry"  # the other side failed or was busy: try again later
    REFUSED = "refused"  # the request itself was refused: trying again cannot help
    UNREACHABLE = "unreachable"  # nothing answered: not counted as an attempt


@dataclass(frozen=True)
class Request:
    """A claimed delivery as its sender gets it (no database row: sent outside any
    transaction)."""

    id: int
    key: str
    target: str
    method: str
    url: str
    body: Any
    attempts: int = 0  # tries already counted against it


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    error: str | None = None


Sender = Callable[[Request], Result]


def register(app: Flask, target: str, sender: Sender) -> None:
    """Let the worker send `target`'s deliveries through `sender` (which adds the
    target's credentials); called while the app is set up."""
    app.extensions.setdefault(EXTENSION, {})[target] = sender


def sender_for(target: str) -> Sender | None:
    registry: Mapping[str, Sender] = current_app.extensions.get(EXTENSION, {})
    return registry.get(target)


def send_json(
    request: Request,
    *,
    auth: tuple[str, str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Result:
    """Perform `request` with its JSON body and map the answer to an outcome."""
    try:
        response = requests.request(
            request.method,
            request.url,
            json=request.body,
            auth=auth,
            headers=dict(headers or {}),
            timeout=TIMEOUT,
            allow_redirects=False,
        )
    except requests.Timeout:
        return Result(Outcome.UNREACHABLE, f"No answer from {request.url} in time.")
    except requests.ConnectionError:
        return Result(Outcome.UNREACHABLE, f"Could not connect to {request.url}.")
    except requests.RequestException as error:
        return Result(Outcome.REFUSED, f"Could not send: {error}"[:500])
    return result_of(response.status_code, response.text)


def result_of(status: int, text: str) -> Result:
    """2xx is sent; 408, 429 and 5xx are worth another try; any other answer is final."""
    if 200 <= status < 300:
        return Result(Outcome.SENT)
    error = f"HTTP {status}: {' '.join(text.split())}"[:500]
    if status in (408, 429) or status >= 500:
        return Result(Outcome.RETRY, error)
    return Result(Outcome.REFUSED, error)
