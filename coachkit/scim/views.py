"""The SCIM 2.0 API (RFC 7644) under /scim/v2: discovery, Users and Groups.

Every request needs a bearer token an admin made (`tokens`); the blueprint is exempt
from CSRF checks, which protect cookie sessions, not bearer tokens. Answers are
`application/scim+json`, errors SCIM Error messages. Views parse, call the domain
(`users`, `groups`), commit and respond.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from flask import Blueprint, Response, g, request
from scim2_models import (
    Context,
    InvalidSyntaxException,
    ListResponse,
    NotFoundException,
    NotImplementedException,
    ResourceType,
    Schema,
    SCIMException,
    SearchRequest,
    UnauthorizedException,
    UniquenessException,
)
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

from coachkit.auth.access import public
from coachkit.auth.password_links import external_url
from coachkit.extensions import db
from coachkit.scim import groups, payloads, queries, resources, tokens, users
from coachkit.scim.models import ScimToken
from coachkit.security import MAX_ID

# Public as far as sign-in goes: no cookie session reaches these views; each request
# is authenticated by its bearer token in `authenticate` below.
bp = Blueprint("scim", __name__, url_prefix="/scim/v2")

MEDIA_TYPE = "application/scim+json"


@bp.before_request
def authenticate() -> Response | None:
    token = tokens.authenticate(request.headers.get("Authorization"))
    if token is None:
        response = _error(UnauthorizedException(detail="A valid SCIM bearer token is needed."))
        response.headers["WWW-Authenticate"] = 'Bearer realm="coachkit SCIM"'
        return response
    g.scim_token = token
    db.session.commit()  # its last use, when recorded
    return None


@bp.errorhandler(SCIMException)
def scim_error(error: SCIMException) -> Response:
    db.session.rollback()
    return _error(error)


@bp.errorhandler(IntegrityError)
def conflict(error: IntegrityError) -> Response:
    """Two requests made the same account or group at once: the second one is told."""
    db.session.rollback()
    return _error(UniquenessException(detail="A parallel request made it first. Try again."))


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> Response:
    db.session.rollback()
    return _error(SCIMException(detail=error.description), status=error.code or 500)


def _error(error: SCIMException, status: int | None = None) -> Response:
    body = error.to_error().model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    if status is not None:
        body["status"] = str(status)
    return _json(body, int(body.get("status") or 400))


def _json(body: Any, status: int = 200, location: str | None = None) -> Response:
    response = Response(json.dumps(body), status=status, mimetype=MEDIA_TYPE)
    if location:
        response.headers["Location"] = location
    return response


def _base() -> str:
    return external_url("scim.service_provider_config").rsplit("/", 1)[0]


def _body() -> Any:
    data = request.get_json(force=True, silent=True)
    if data is None:
        raise InvalidSyntaxException(detail="The body is not JSON.")
    return data


def _id(value: str) -> int:
    if not value.isdigit() or int(value) > MAX_ID:
        raise NotFoundException(detail=f"Nothing has the id {value[:40]}.")
    return int(value)


def _parameters() -> SearchRequest:
    return queries.search_request(dict(request.args.items()))


def _resource(model: Any, status: int = 200) -> Response:
    body = model.model_dump(
        scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=_parameters()
    )
    return _json(body, status, model.meta.location if status == 201 else None)


# ---------------------------------------------------------------- discovery


@bp.route("/ServiceProviderConfig")
@public
def service_provider_config() -> Response:
    config = resources.service_provider_config(_base())
    return _json(config.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


@bp.route("/ResourceTypes")
@public
def resource_types() -> Response:
    return _list(ResourceType, resources.resource_types(_base()))


@bp.route("/ResourceTypes/<name>")
@public
def resource_type(name: str) -> Response:
    return _one([t for t in resources.resource_types(_base()) if t.id == name])


@bp.route("/Schemas")
@public
def schemas() -> Response:
    return _list(Schema, resources.schemas(_base()))


@bp.route("/Schemas/<urn>")
@public
def schema(urn: str) -> Response:
    return _one([s for s in resources.schemas(_base()) if s.id == urn])


def _list(model: type[Any], items: list[Any]) -> Response:
    listed = ListResponse[model](  # type: ignore[valid-type]
        total_results=len(items), start_index=1, items_per_page=len(items), resources=items
    )
    return _json(listed.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


def _one(found: list[Any]) -> Response:
    if not found:
        raise NotFoundException(detail="No such resource.")
    return _json(found[0].model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


@bp.route("/<path:unknown>")
@public
def unknown(unknown: str) -> Response:
    raise NotFoundException(detail="No such endpoint.")


@bp.route("/.search", methods=["POST"])
@public
def search_everything() -> Response:
    """Searching Users and Groups at once (RFC 7644 3.4.3 makes it optional)."""
    raise NotImplementedException(detail="Search /Users/.search or /Groups/.search.")


# ---------------------------------------------------------------- Users and Groups


class Domain(Protocol):
    """What `users` and `groups` both offer, for one resource type."""

    def find(self, id_: int, /) -> Any: ...
    def create(self, payload: Any, token: ScimToken, /) -> Any: ...
    def write(self, found: Any, wanted: Any, token: ScimToken, /) -> None: ...
    def remove(self, found: Any, token: ScimToken, /) -> None: ...
    def resource(self, found: Any, base: str, /) -> Any: ...
    def listed(self, condition: Any, start: int, count: int, /) -> tuple[int, Any]: ...


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[Any]
    domain: Domain
    condition: Callable[[str | None], Any]


USERS = Kind("user", resources.User, users, queries.user_condition)
GROUPS = Kind("group", resources.Group, groups, queries.group_condition)


def _search(kind: Kind, search: SearchRequest) -> Response:
    start, count = queries.page(search)
    total, found = kind.domain.listed(kind.condition(search.filter), start, count)
    base = _base()
    listed = ListResponse[kind.model](  # type: ignore[name-defined]
        total_results=total,
        start_index=start,
        items_per_page=len(found),
        resources=[kind.domain.resource(item, base) for item in found],
    )
    return _json(listed.model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=search))


def _create(kind: Kind) -> Response:
    made = kind.domain.create(_body(), g.scim_token)
    db.session.commit()
    return _resource(kind.domain.resource(made, _base()), 201)


def _item(kind: Kind, value: str) -> Response:
    """GET, PUT, PATCH or DELETE one user or group."""
    found = kind.domain.find(_id(value))
    if found is None:
        raise NotFoundException(detail=f"No {kind.name} has the id {value}.")
    if request.method == "DELETE":
        kind.domain.remove(found, g.scim_token)
        db.session.commit()
        return Response(status=204)
    if request.method == "PUT":
        wanted = payloads.resource(kind.model, _body(), replacing=True)
        kind.domain.write(found, wanted, g.scim_token)
    elif request.method == "PATCH":
        current = kind.domain.resource(found, _base())
        kind.domain.write(found, payloads.patched(current, _body()), g.scim_token)
    db.session.commit()
    return _resource(kind.domain.resource(found, _base()))


@bp.route("/Users", methods=["GET"])
@public
def users_index() -> Response:
    return _search(USERS, _parameters())


@bp.route("/Users/.search", methods=["POST"])
@public
def users_search() -> Response:
    return _search(USERS, queries.search_request(_body()))


@bp.route("/Users", methods=["POST"])
@public
def users_create() -> Response:
    return _create(USERS)


@bp.route("/Users/<user_id>", methods=["GET", "PUT", "PATCH", "DELETE"])
@public
def user(user_id: str) -> Response:
    return _item(USERS, user_id)


@bp.route("/Groups", methods=["GET"])
@public
def groups_index() -> Response:
    return _search(GROUPS, _parameters())


@bp.route("/Groups/.search", methods=["POST"])
@public
def groups_search() -> Response:
    return _search(GROUPS, queries.search_request(_body()))


@bp.route("/Groups", methods=["POST"])
@public
def groups_create() -> Response:
    return _create(GROUPS)


@bp.route("/Groups/<group_id>", methods=["GET", "PUT", "PATCH", "DELETE"])
@public
def group(group_id: str) -> Response:
    return _item(GROUPS, group_id)
