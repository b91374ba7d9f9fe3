"""SCIM list requests: the filters identity providers send (`userName eq "..."`,
`displayName eq "..."`...), read into SQL conditions, and the page asked for."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from scim2_models import Context, InvalidFilterException, InvalidValueException, SearchRequest
from sqlalchemy import ColumnElement, false, func

from coachkit.auth.forms import email_key
from coachkit.auth.models import User
from coachkit.scim import users
from coachkit.scim.models import ScimGroup
from coachkit.scim.resources import MAX_RESULTS
from coachkit.security import MAX_ID

EQUALS = re.compile(r'^\s*([A-Za-z][\w.:$-]*)\s+eq\s+("(?:[^"\\]|\\.)*"|true|false)\s*$', re.I)
DEFAULT_COUNT = 100
Condition = Callable[[Any], ColumnElement[bool]]
SUPPORTED = 'coachkit understands filters of the form  attribute eq "value"'


def search_request(values: dict[str, Any]) -> SearchRequest:
    """The query parameters (GET) or body (POST .search) as a SearchRequest."""
    try:
        return SearchRequest.model_validate(values, scim_ctx=Context.SEARCH_REQUEST)
    except ValidationError as error:
        raise InvalidValueException(detail=str(error.errors()[0].get("msg"))) from None


def page(request: SearchRequest) -> tuple[int, int]:
    start = min(max(request.start_index or 1, 1), MAX_ID)  # a huge offset overflows SQLite
    count = DEFAULT_COUNT if request.count is None else min(max(request.count, 0), MAX_RESULTS)
    return start, count


def _equals(text: str) -> tuple[str, Any]:
    match = EQUALS.match(text)
    if match is None:
        raise InvalidFilterException(detail=SUPPORTED)
    attribute = match.group(1).lower().rpartition(":")[2]
    raw = match.group(2)
    return attribute, json.loads(raw if raw.startswith('"') else raw.lower())


def _condition(text: str | None, columns: dict[str, Condition]) -> ColumnElement[bool] | None:
    """The SQL condition for a filter `attribute eq "value"` on one of `columns`."""
    if not text:
        return None
    attribute, value = _equals(text)
    if attribute not in columns:
        raise InvalidFilterException(detail=f"{SUPPORTED}, on {', '.join(columns)}.")
    return columns[attribute](value)


def _id(column: Any) -> Condition:
    def condition(value: Any) -> ColumnElement[bool]:
        text = str(value)
        return column == int(text) if text.isdigit() and len(text) < 10 else false()

    return condition


USER_FILTERS: dict[str, Condition] = {
    "username": lambda value: users.by_user_name(str(value)),
    "emails": lambda value: User.email == email_key(str(value)),
    "emails.value": lambda value: User.email == email_key(str(value)),
    "externalid": lambda value: User.scim_external_id == str(value),
    "displayname": lambda value: User.name == str(value),
    "active": lambda value: User.active.is_(bool(value)),
    "id": _id(User.id),
}
GROUP_FILTERS: dict[str, Condition] = {
    "displayname": lambda value: func.lower(ScimGroup.display_name) == str(value).lower(),
    "externalid": lambda value: ScimGroup.external_id == str(value),
    "id": _id(ScimGroup.id),
}


def user_condition(text: str | None) -> ColumnElement[bool] | None:
    return _condition(text, USER_FILTERS)


def group_condition(text: str | None) -> ColumnElement[bool] | None:
    return _condition(text, GROUP_FILTERS)
