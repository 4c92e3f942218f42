"""SCIM Users routes: they read the request, authorise, call a provisioning use case and render the User."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request

from services.profiles.adapters.scim_directory import ProvisioningUnitOfWork
from services.profiles.domain.access import PROVISIONING_ROLES
from services.profiles.domain.scim_errors import InvalidValue
from services.profiles.domain.scim_patch import read_operations
from services.profiles.domain.scim_reading import read_resource
from services.profiles.domain.scim_user_schema import USER_SCHEMAS
from services.profiles.domain.scim_users import to_resource, version_tag
from services.profiles.entrypoints.etags import versions_in
from services.profiles.entrypoints.scim import LIST_SCHEMA, base_url, blp, request_json, scim_response
from services.profiles.entrypoints.scim_openapi import LIST_BODY, LIST_PARAMETERS, PATCH_BODY, USER_BODY, operation
from services.profiles.entrypoints.scim_schemas import validate_profile
from services.profiles.use_cases import provisioning
from shared.auth import require
from shared.web import store_of


@blp.route("/Users", methods=["GET"])
@blp.doc(**operation(200, LIST_BODY, parameters=LIST_PARAMETERS))
@require(*PROVISIONING_ROLES)
def list_users():
    """List Users, or find them with a filter (RFC 7644 §3.4.2)."""
    total, start, found = provisioning.search_users(unit_of_work(), request.args.get("filter"),
                                                    _integer("startIndex"), _integer("count"))
    base = base_url()
    return scim_response({"schemas": [LIST_SCHEMA], "totalResults": total, "startIndex": start,
                          "itemsPerPage": len(found), "Resources": [to_resource(p, base) for p in found]})


@blp.route("/Users", methods=["POST"])
@blp.doc(**operation(201, USER_BODY, request=USER_BODY))
@require(*PROVISIONING_ROLES)
def create_user():
    """Create a User: a profile write, as PUT /v1/profiles/{id} (adopts a person HR created with that id)."""
    saved = provisioning.create_user(unit_of_work(), read_resource(USER_SCHEMAS, request_json()), validate_profile)
    return _user(saved.profile, 201)


@blp.route("/Users/<user_id>", methods=["GET"])
@blp.doc(**operation(200, USER_BODY))
@require(*PROVISIONING_ROLES)
def get_user(user_id: str):
    return _user(provisioning.find_user(unit_of_work(), user_id))


@blp.route("/Users/<user_id>", methods=["PUT"])
@blp.doc(**operation(200, USER_BODY, request=USER_BODY))
@require(*PROVISIONING_ROLES)
def replace_user(user_id: str):
    """Replace a User (If-Match honoured); what people set themselves is kept."""
    user = read_resource(USER_SCHEMAS, request_json())
    return _user(provisioning.replace_user(unit_of_work(), user_id, user, validate_profile, _if_match()).profile)


@blp.route("/Users/<user_id>", methods=["PATCH"])
@blp.doc(**operation(200, USER_BODY, request=PATCH_BODY))
@require(*PROVISIONING_ROLES)
def patch_user(user_id: str):
    """Change a User with PatchOp operations; `active: false` is a termination."""
    operations = read_operations(request_json())
    return _user(provisioning.patch_user(unit_of_work(), user_id, operations, validate_profile, _if_match()).profile)


@blp.route("/Users/<user_id>", methods=["DELETE"])
@blp.doc(**operation(204, None))
@require(*PROVISIONING_ROLES)
def delete_user(user_id: str):
    """Erase the person, as DELETE /v1/profiles/{id}: every service is told by mentoring.profile.deleted."""
    provisioning.delete_user(unit_of_work(), user_id, _if_match())
    return Response(status=204)


def unit_of_work() -> ProvisioningUnitOfWork:
    """This request's unit of work: no transaction, each write stands on its own with its outbox."""
    return ProvisioningUnitOfWork(store_of(current_app).db)


def _user(profile: dict[str, Any], status: int = 200) -> Response:
    user = to_resource(profile, base_url())
    headers = {"ETag": version_tag(profile["version"]), "Location": user["meta"]["location"]}
    return scim_response(user, status, headers)


def _if_match() -> frozenset[int] | None:
    return versions_in(request.headers.get("If-Match"))


def _integer(name: str) -> int | None:
    text = request.args.get(name)
    if text is None:
        return None
    try:
        return int(text)
    except ValueError as exc:
        raise InvalidValue(f"{name} must be an integer") from exc
