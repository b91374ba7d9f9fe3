"""Reading Greenhouse's JSON bodies: each request's fields checked, or a `BadPayload`
that says which field is wrong and why (answered as a 4xx JSON error)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from flask import current_app

from coachkit.auth.forms import email_key
from coachkit.hiring.candidates.roster import MAX_NAME, email_problem

MAX_URL = 1000
MAX_ERRORS = 50


class BadPayload(ValueError):
    """A request body coachkit cannot act on; `status` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.message, self.status = message, status


@dataclass(frozen=True)
class SendTest:
    partner_test_id: str
    name: str
    email: str
    callback_url: str
    greenhouse_profile_url: str | None


@dataclass(frozen=True)
class ReportedError:
    api_call: str
    errors: list[str]
    partner_test_id: str | None
    partner_test_name: str | None
    partner_interview_id: str | None


def body_object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise BadPayload("The body must be a JSON object.", 400)
    if not body:
        raise BadPayload("The body is empty: send partner_test_id, candidate and url.", 400)
    return body


def text(container: dict[str, Any], name: str, *, limit: int, required: bool = True) -> str | None:
    """A string (or number, as ids may come) field, stripped; None when absent and
    optional."""
    value = container.get(name)
    if value is None or value == "":
        if required:
            raise BadPayload(f"{name} is missing.")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise BadPayload(f"{name} must be a string.")
    value = str(value).strip()
    if required and not value:
        raise BadPayload(f"{name} is missing.")
    if len(value) > limit:
        raise BadPayload(f"{name} is longer than {limit} characters.")
    return value or None


def callback_url(url: str) -> str:
    """`url` when coachkit may call it: https, or http to a host listed in
    ALLOW_HTTP_CALLBACK_HOSTS (for tests and local trials)."""
    parts = urlsplit(url)
    allowed = current_app.config["ALLOW_HTTP_CALLBACK_HOSTS"]
    if not parts.hostname or parts.username or parts.password:
        raise BadPayload("url must be an absolute https URL.")
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in allowed):
        return url
    raise BadPayload("url must be an https URL.")


def send_test(body: Any) -> SendTest:
    body = body_object(body)
    test_id = text(body, "partner_test_id", limit=20)
    candidate = body.get("candidate")
    if not isinstance(candidate, dict) or not candidate:
        raise BadPayload("candidate is missing: send first_name, last_name and email.")
    first = text(candidate, "first_name", limit=MAX_NAME)
    last = text(candidate, "last_name", limit=MAX_NAME)
    name = " ".join(f"{first} {last}".split())
    if len(name) > MAX_NAME:
        raise BadPayload(f"The candidate's name is longer than {MAX_NAME} characters.")
    email = email_key(text(candidate, "email", limit=254) or "")
    if problem := email_problem(email):
        raise BadPayload(f"candidate.email: {problem}.")
    url = callback_url(text(body, "url", limit=MAX_URL) or "")
    profile = text(candidate, "greenhouse_profile_url", limit=MAX_URL, required=False)
    return SendTest(test_id or "", name, email, url, profile)


def reported_error(body: Any) -> ReportedError:
    body = body_object(body)
    api_call = text(body, "api_call", limit=60) or ""
    errors = body.get("errors")
    if not isinstance(errors, list) or not all(isinstance(e, str) for e in errors):
        raise BadPayload("errors must be a list of strings.")
    return ReportedError(
        api_call=api_call,
        errors=[error[:500] for error in errors[:MAX_ERRORS]],
        partner_test_id=text(body, "partner_test_id", limit=60, required=False),
        partner_test_name=text(body, "partner_test_name", limit=200, required=False),
        partner_interview_id=text(body, "partner_interview_id", limit=60, required=False),
    )
