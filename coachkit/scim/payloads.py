"""Reading what an identity provider sends into coachkit's SCIM resources: the
attributes coachkit keeps are validated by scim2-models; others are set aside (a
name's parts stand in for a missing displayName), and the habits of real providers
are accepted ("True" for true, "Replace" for replace)."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from pydantic import ValidationError
from scim2_models import Context, InvalidSyntaxException, InvalidValueException, PatchOp

from coachkit.scim.resources import GROUP_SCHEMA, USER_SCHEMA, Group, User

Resource = TypeVar("Resource", User, Group)
KEPT = {
    User: {"userName", "displayName", "emails", "active", "externalId"},
    Group: {"displayName", "members", "externalId"},
}
SCHEMA = {User: USER_SCHEMA, Group: GROUP_SCHEMA}
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ATTRIBUTE = re.compile(r"^(?:urn:[^ \[]*:)?([A-Za-z$][\w$-]*)")


def no_nul(value: Any) -> None:
    """Refuse text holding a NUL character anywhere in a payload (PostgreSQL cannot
    store it)."""
    if isinstance(value, str) and "\x00" in value:
        raise InvalidValueException(detail="Values may not contain NUL characters.")
    if isinstance(value, dict):
        for item in value.values():
            no_nul(item)
    elif isinstance(value, list):
        for item in value:
            no_nul(item)


def resource(model: type[Resource], payload: Any, *, replacing: bool) -> Resource:
    """A User or Group made from a POST or PUT body."""
    if not isinstance(payload, dict):
        raise InvalidSyntaxException(detail="The body must be a JSON object.")
    no_nul(payload)
    kept = {key: value for key, value in payload.items() if key in KEPT[model]}
    kept["schemas"] = [SCHEMA[model]]
    if model is User:
        kept = _user_values(kept, payload)
    elif isinstance(kept.get("members"), list):
        kept["members"] = [_member(item) for item in kept["members"]]
    context = (
        Context.RESOURCE_REPLACEMENT_REQUEST if replacing else Context.RESOURCE_CREATION_REQUEST
    )
    try:
        return model.model_validate(kept, scim_ctx=context)
    except ValidationError as error:
        raise InvalidValueException(detail=_first_problem(error)) from None


def _user_values(kept: dict[str, Any], payload: dict[str, Any]) -> dict[str, Any]:
    if not kept.get("displayName"):
        raw = payload.get("name")
        name: dict[str, Any] = raw if isinstance(raw, dict) else {}
        parts = [name.get("givenName"), name.get("familyName")]
        formatted = name.get("formatted") or " ".join(p for p in parts if isinstance(p, str))
        kept["displayName"] = formatted.strip() or payload.get("userName")
    emails = kept.get("emails")
    if isinstance(emails, list):
        primary = [e for e in emails if isinstance(e, dict) and e.get("primary") in (True, "true")]
        kept["emails"] = [
            {"value": e.get("value")} for e in primary or emails if isinstance(e, dict)
        ]
    elif isinstance(payload.get("userName"), str) and "@" in payload["userName"]:
        kept["emails"] = [{"value": payload["userName"]}]
    if "active" in kept:
        kept["active"] = _boolean(kept["active"])
    else:
        kept["active"] = True
    return kept


def _member(item: Any) -> Any:
    return (
        {k: v for k, v in item.items() if k in ("value", "$ref", "type")}
        if isinstance(item, dict)
        else item
    )


def _boolean(value: Any) -> Any:
    """Microsoft Entra ID sends booleans as the strings "True" and "False"."""
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def patch(model: type[Resource], payload: Any) -> PatchOp[Any]:
    """A PATCH body as scim2-models' PatchOp for `model`, without the operations on
    attributes coachkit does not keep (which it ignores, as it would in a PUT)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("Operations"), list):
        raise InvalidSyntaxException(detail="A PATCH body needs a list of Operations.")
    no_nul(payload)
    operations = []
    for operation in payload["Operations"]:
        if not isinstance(operation, dict):
            raise InvalidSyntaxException(detail="Each operation must be a JSON object.")
        kept = _operation(model, {**operation, "op": str(operation.get("op", "")).lower()})
        if kept is not None:
            operations.append(kept)
    try:
        return PatchOp[model].model_validate(  # type: ignore[valid-type]
            {"schemas": [PATCH_SCHEMA], "Operations": operations},
            scim_ctx=Context.RESOURCE_PATCH_REQUEST,
        )
    except ValidationError as error:
        raise InvalidValueException(detail=_first_problem(error)) from None


def patched(current: Resource, payload: Any) -> Resource:
    """`current` (as it is served) with a PATCH body's operations applied."""
    patch(type(current), payload).patch(current)
    return current


def _operation(model: type[Resource], operation: dict[str, Any]) -> dict[str, Any] | None:
    path = operation.get("path")
    value = operation.get("value")
    if path:
        match = ATTRIBUTE.match(str(path))
        attribute = match.group(1) if match else ""
        if attribute.lower() not in {name.lower() for name in KEPT[model]}:
            return None
        if attribute.lower() == "active":
            value = _boolean(value)
        return {**operation, "value": value} if "value" in operation else operation
    if not isinstance(value, dict):
        return operation
    kept = {k: v for k, v in value.items() if k.lower() in {n.lower() for n in KEPT[model]}}
    if "active" in kept:
        kept["active"] = _boolean(kept["active"])
    return {**operation, "value": kept} if kept else None


def _first_problem(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    return f"{where}: {first.get('msg', 'invalid')}" if where else str(first.get("msg"))
