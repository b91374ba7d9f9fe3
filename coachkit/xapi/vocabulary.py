"""The parts every statement shares: ADL verbs and activity types, coachkit's own
extension IRIs, the actor (never an e-mail address or a name) and timestamps."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import current_app

VERSION = "1.0.3"
ADL = "http://adlnet.gov/expapi"
VERBS = ("launched", "initialized", "answered", "responded", "completed", "attended")
# Statement ids about coaching sessions (which have no registration): uuid5 of this.
COACHING_NAMESPACE = uuid.UUID("6b1d6a4e-4c31-5b8e-9f0e-1c0ac4c0c4c1")

Statement = dict[str, Any]


def base() -> str:
    """The organisation's address: activity ids, extensions and account homes hang
    from it."""
    return str(current_app.config["EXTERNAL_URL"])


def extension(name: str) -> str:
    return f"{base()}/xapi/extensions/{name}"


def verb(name: str) -> dict[str, Any]:
    assert name in VERBS  # noqa: S101 - a programming error, not input
    return {"id": f"{ADL}/verbs/{name}", "display": {"en-US": name}}


def activity_type(name: str) -> str:
    return f"{ADL}/activities/{name}"


def actor(user_id: int, email: str) -> dict[str, Any]:
    """The person as XAPI_ACTOR says: `mbox_sha1sum` of their mailto IRI (the default),
    or an account on the organisation's homepage named by their id."""
    if current_app.config["XAPI_ACTOR"] == "account":
        return {"objectType": "Agent", "account": {"homePage": base(), "name": str(user_id)}}
    digest = hashlib.sha1(f"mailto:{email}".encode(), usedforsecurity=False).hexdigest()
    return {"objectType": "Agent", "mbox_sha1sum": digest}


def timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC, to the millisecond (what LRSs keep)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def duration(seconds: float) -> str:
    """An ISO 8601 duration, e.g. PT83.25S."""
    return f"PT{max(seconds, 0):.2f}S".replace(".00S", "S")


def statement(
    statement_id: str,
    who: dict[str, Any],
    did: str,
    what: dict[str, Any],
    when: datetime,
    *,
    context: dict[str, Any],
    result: dict[str, Any] | None = None,
) -> Statement:
    made: Statement = {
        "id": statement_id,
        "actor": who,
        "verb": verb(did),
        "object": what,
        "context": context,
        "timestamp": timestamp(when),
        "version": VERSION,
    }
    if result:
        made["result"] = result
    return made
