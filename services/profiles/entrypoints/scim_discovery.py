"""SCIM discovery (RFC 7644 §4): what this service provider offers, its resource type and its schemas."""

from __future__ import annotations

from typing import Any

from services.profiles.domain.access import PROVISIONING_ROLES
from services.profiles.domain.scim_search import MAX_COUNT
from services.profiles.domain.scim_user_schema import CORE_USER, USER_SCHEMAS
from services.profiles.entrypoints.scim import LIST_SCHEMA, base_url, blp, scim_response
from services.profiles.entrypoints.scim_openapi import ANY_BODY, LIST_BODY, operation
from shared.auth import require
from shared.errors import NotFound

CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
TOKEN_HELP = ("A JWT whose roles claim holds scim (or hr_admin), signed like every Tandem token; "
              "`make token TOKEN_ARGS='--role scim --sub okta --hours 8760'` prints one (deploy/README.md).")


@blp.route("/ServiceProviderConfig", methods=["GET"])
@blp.doc(**operation(200, ANY_BODY))
@require(*PROVISIONING_ROLES)
def service_provider_config():
    """What Tandem's SCIM service provider supports."""
    return scim_response({
        "schemas": [CONFIG_SCHEMA],
        "patch": {"supported": True}, "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": True, "maxResults": MAX_COUNT}, "changePassword": {"supported": False},
        "sort": {"supported": False}, "etag": {"supported": True},
        "authenticationSchemes": [{"type": "oauthbearertoken", "name": "Bearer token", "description": TOKEN_HELP,
                                   "primary": True}],
        "meta": {"resourceType": "ServiceProviderConfig", "location": f"{base_url()}/ServiceProviderConfig"}})


@blp.route("/ResourceTypes", methods=["GET"])
@blp.doc(**operation(200, LIST_BODY))
@require(*PROVISIONING_ROLES)
def resource_types():
    return scim_response(_listed([_user_type()]))


@blp.route("/ResourceTypes/<name>", methods=["GET"])
@blp.doc(**operation(200, ANY_BODY))
@require(*PROVISIONING_ROLES)
def resource_type(name: str):
    if name != "User":
        raise NotFound(f"no resource type {name}: Tandem serves User only")
    return scim_response(_user_type())


@blp.route("/Schemas", methods=["GET"])
@blp.doc(**operation(200, LIST_BODY))
@require(*PROVISIONING_ROLES)
def schemas():
    """Every attribute Tandem accepts, and what it does with each."""
    base = base_url()
    return scim_response(_listed([schema.document(base) for schema in USER_SCHEMAS]))


@blp.route("/Schemas/<schema_id>", methods=["GET"])
@blp.doc(**operation(200, ANY_BODY))
@require(*PROVISIONING_ROLES)
def schema(schema_id: str):
    found = next((s for s in USER_SCHEMAS if s.id == schema_id), None)
    if found is None:
        raise NotFound(f"no schema {schema_id}")
    return scim_response(found.document(base_url()))


def _user_type() -> dict[str, Any]:
    return {"schemas": [RESOURCE_TYPE_SCHEMA], "id": "User", "name": "User", "endpoint": "/Users",
            "description": "A person in Tandem's mentoring programs (a profile)", "schema": CORE_USER,
            "schemaExtensions": [{"schema": s.id, "required": False} for s in USER_SCHEMAS[1:]],
            "meta": {"resourceType": "ResourceType", "location": f"{base_url()}/ResourceTypes/User"}}


def _listed(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"schemas": [LIST_SCHEMA], "totalResults": len(resources), "startIndex": 1,
            "itemsPerPage": len(resources), "Resources": resources}
