"""The opt-in statement about a coaching session (XAPI_COACHING): the employee
`attended` a meeting of its kind on the day it was held. Nothing the coach wrote, not
the coach, only that it took place."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time
from typing import Any

from coachkit.coaching.models import CoachingSession
from coachkit.xapi.vocabulary import (
    COACHING_NAMESPACE,
    Statement,
    activity_type,
    base,
    statement,
)


def statement_id(session_id: int) -> str:
    return str(uuid.uuid5(COACHING_NAMESPACE, f"{base()}/coaching/sessions/{session_id}"))


def attended(session: CoachingSession, who: dict[str, Any]) -> Statement:
    return statement(
        statement_id(session.id),
        who,
        "attended",
        {
            "objectType": "Activity",
            "id": f"{base()}/coaching/sessions/{session.id}",
            "definition": {"type": activity_type("meeting"), "name": {"en-US": session.kind}},
        },
        datetime.combine(session.held_on, time(12), tzinfo=UTC),  # the day; no hour kept
        context={"platform": "coachkit", "language": "en"},
    )
