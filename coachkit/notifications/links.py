"""Absolute links for e-mails, built from EXTERNAL_URL (never from a request's Host
header), in a request or in the worker alike."""

from __future__ import annotations

from typing import Any

from flask import current_app, has_request_context, request

# Where links point when EXTERNAL_URL is unset: only in debug and tests (the app refuses
# to serve without it), and the worker refuses to send without it.
LOCAL = "http://127.0.0.1:5000"


def base() -> str:
    configured: str = current_app.config.get("EXTERNAL_URL") or ""
    if configured:
        return configured
    return request.host_url.rstrip("/") if has_request_context() else LOCAL


def external(path: str) -> str:
    """The absolute URL of a path on this site."""
    return base() + path


def path_for(endpoint: str, **values: Any) -> str:
    """The path of an endpoint (as `url_for`), without needing a request."""
    return current_app.url_map.bind("localhost").build(endpoint, values)


def for_endpoint(endpoint: str, **values: Any) -> str:
    """The absolute URL of an endpoint, without needing a request."""
    return external(path_for(endpoint, **values))
