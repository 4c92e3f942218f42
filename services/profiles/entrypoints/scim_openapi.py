"""/scim/v2 in the OpenAPI document: bodies built from the same schema data that reads requests.

Every response is `application/scim+json`, and every error is a SCIM error message (not problem+json).
"""

from __future__ import annotations

from typing import Any

from services.profiles.domain.scim_patch import PATCH_OP
from services.profiles.domain.scim_schema import Attribute
from services.profiles.domain.scim_user_schema import USER, USER_SCHEMAS
from services.profiles.entrypoints.scim import ERROR_SCHEMA, LIST_SCHEMA, SCIM_MEDIA_TYPE

_TYPES = {"string": "string", "reference": "string", "dateTime": "string", "binary": "string", "boolean": "boolean",
          "integer": "integer", "decimal": "number"}


def _attribute_schema(attr: Attribute) -> dict[str, Any]:
    if attr.type == "complex":
        one: dict[str, Any] = {"type": "object", "additionalProperties": False,
                               "properties": {sub.name: _attribute_schema(sub) for sub in attr.sub}}
    else:
        one = {"type": _TYPES[attr.type], **({"enum": list(attr.canonical)} if attr.canonical else {})}
    if attr.type == "boolean":
        one["description"] = '"True" and "False" as strings are read too (Entra ID sends them).'
    schema = {"type": "array", "items": one} if attr.multi else one
    if attr.mutability == "readOnly":
        schema["readOnly"] = True
    return {**schema, "nullable": True} if not attr.required else schema


def _user() -> dict[str, Any]:
    properties = {"schemas": {"type": "array", "items": {"type": "string", "enum": [s.id for s in USER_SCHEMAS]}}}
    properties |= {a.name: _attribute_schema(a) for a in USER.attributes}
    properties |= {s.id: {"type": "object", "additionalProperties": False, "nullable": True, "properties": {
        a.name: _attribute_schema(a) for a in s.attributes}} for s in USER_SCHEMAS[1:]}
    return {"type": "object", "required": ["schemas", "userName"], "additionalProperties": False,
            "properties": properties, "description": "A User (RFC 7643 §4.1); see GET /scim/v2/Schemas.",
            "example": EXAMPLE_USER}


EXAMPLE_USER = {  # as Entra ID sends one with its default mapping, plus the Tandem grade
    "schemas": [s.id for s in USER_SCHEMAS], "externalId": "yhaddad", "userName": "yara.haddad@example.com",
    "active": True, "displayName": "Yara Haddad", "name": {"givenName": "Yara", "familyName": "Haddad"},
    "title": "Engineer", "preferredLanguage": "de-DE", "timezone": "Europe/Berlin",
    "emails": [{"type": "work", "value": "yara.haddad@example.com", "primary": True}],
    "addresses": [{"type": "work", "locality": "Berlin"}],
    USER_SCHEMAS[1].id: {"employeeNumber": "E1001", "department": "Engineering", "manager": {"value": "E7"}},
    USER_SCHEMAS[2].id: {"grade": 6, "mentoringRoles": ["mentee"]},
}


USER_BODY = _user()
PATCH_BODY = {"type": "object", "required": ["schemas", "Operations"], "example": {
    "schemas": [PATCH_OP], "Operations": [{"op": "replace", "path": "active", "value": False}]}, "properties": {
    "schemas": {"type": "array", "items": {"type": "string", "enum": [PATCH_OP]}},
    "Operations": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["op"], "properties": {
        "op": {"type": "string", "enum": ["add", "replace", "remove", "Add", "Replace", "Remove"]},
        "path": {"type": "string"}, "value": {}}}}}}
ERROR_BODY = {"type": "object", "required": ["schemas", "status"], "properties": {
    "schemas": {"type": "array", "items": {"type": "string", "enum": [ERROR_SCHEMA]}},
    "status": {"type": "string"}, "scimType": {"type": "string"}, "detail": {"type": "string"}}}
LIST_BODY = {"type": "object", "properties": {
    "schemas": {"type": "array", "items": {"type": "string", "enum": [LIST_SCHEMA]}},
    "totalResults": {"type": "integer"}, "startIndex": {"type": "integer"}, "itemsPerPage": {"type": "integer"},
    "Resources": {"type": "array", "items": {"type": "object"}}}}
ANY_BODY = {"type": "object"}


def content(schema: dict[str, Any]) -> dict[str, Any]:
    return {SCIM_MEDIA_TYPE: {"schema": schema}}


def operation(ok: int, body: dict[str, Any] | None, *, request: dict[str, Any] | None = None,
              **extra: Any) -> dict[str, Any]:
    """The OpenAPI of one SCIM operation: its success, and SCIM error messages for every failure."""
    success = {"description": "OK" if ok != 201 else "Created", **({"content": content(body)} if body else {})}
    doc = {"responses": {str(ok): success, "default": {"description": "A SCIM error message (RFC 7644 §3.12)",
                                                       "content": content(ERROR_BODY)}}, **extra}
    if request is not None:
        doc["requestBody"] = {"required": True, "content": content(request)}
    return doc


LIST_PARAMETERS = [
    {"name": "filter", "in": "query", "schema": {"type": "string"},
     "description": 'e.g. userName eq "yara@example.com" (RFC 7644 §3.4.2.2)'},
    {"name": "startIndex", "in": "query", "schema": {"type": "integer"}, "description": "1-based (default 1)"},
    {"name": "count", "in": "query", "schema": {"type": "integer"}, "description": "default 100, at most 500"},
]
