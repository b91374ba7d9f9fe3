"""What coachkit publishes as SCIM resources, as scim2-models classes: the attributes
coachkit keeps (and so returns as they were sent), which make the schemas served at
/Schemas. Attributes a provider sends beyond these (a name's parts, phone numbers, the
enterprise extension...) are read where they help (the display name) and otherwise
ignored, as RFC 7643 allows a service provider."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import EmailStr, Field
from scim2_models import (
    URN,
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    ComplexAttribute,
    ETag,
    Filter,
    Meta,
    Mutability,
    Patch,
    Reference,
    Required,
    Resource,
    ResourceType,
    Schema,
    ServiceProviderConfig,
    Sort,
    Uniqueness,
)

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
MAX_RESULTS = 200


class EmailAddress(ComplexAttribute):
    value: Annotated[EmailStr | None, Required.true] = None
    """The address coachkit sends e-mail to and signs people in by."""


class User(Resource[Any]):
    """A coachkit account: any unique userName, one e-mail address, active or not."""

    __schema__ = URN(USER_SCHEMA)

    user_name: Annotated[str | None, Required.true, Uniqueness.server] = None
    display_name: Annotated[str | None, Required.true] = None
    emails: Annotated[list[EmailAddress] | None, Required.true] = None
    active: Annotated[bool | None, Required.true] = None


class Member(ComplexAttribute):
    value: Annotated[str | None, Mutability.immutable, Required.true] = None
    ref: Annotated[Reference[User] | None, Mutability.immutable] = Field(
        None, serialization_alias="$ref", validation_alias="$ref"
    )
    type: Annotated[str | None, Mutability.immutable] = Field(None, examples=["User"])


class Group(Resource[Any]):
    """A coachkit team's members, or (by SCIM_MANAGER_GROUP_SUFFIX) its managers."""

    __schema__ = URN(GROUP_SCHEMA)

    display_name: Annotated[str | None, Required.true, Uniqueness.server] = None
    members: list[Member] | None = None


def service_provider_config(base: str) -> ServiceProviderConfig:
    return ServiceProviderConfig(
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme(
                type=AuthenticationScheme.Type.oauthbearertoken,
                name="Bearer token",
                description="A token an admin makes in coachkit (Admin → Provisioning).",
                primary=True,
            )
        ],
        meta=Meta(resource_type="ServiceProviderConfig", location=f"{base}/ServiceProviderConfig"),
    )


def resource_types(base: str) -> list[ResourceType]:
    return [
        ResourceType.model_validate(
            {
                "id": name,
                "name": name,
                "endpoint": f"/{name}s",
                "description": f"coachkit {description}",
                "schema": schema,
                "meta": {
                    "resourceType": "ResourceType",
                    "location": f"{base}/ResourceTypes/{name}",
                },
            }
        )
        for name, schema, description in (
            ("User", USER_SCHEMA, "accounts"),
            ("Group", GROUP_SCHEMA, "teams: their members, or their managers"),
        )
    ]


def schemas(base: str) -> list[Schema]:
    found = []
    for model in (User, Group):
        schema = model.to_schema()
        schema.meta = Meta(resource_type="Schema", location=f"{base}/Schemas/{schema.id}")
        found.append(schema)
    return found
