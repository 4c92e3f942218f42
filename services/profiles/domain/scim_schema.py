"""SCIM schemas as data (RFC 7643 §2, §7): attributes, how a name resolves to one, and values checked against it.

The same definitions answer `GET /Schemas`, resolve filter and PATCH paths, and read request bodies, so
what the Schemas document says is what the service does. Attribute names are case-insensitive
(RFC 7643 §2.1); everything here hands back the canonical spelling.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from services.profiles.domain.scim_errors import InvalidSyntax, InvalidValue, ScimError
from services.profiles.domain.scim_filter import AttrPath

SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema"


@dataclass(frozen=True)
class Attribute:
    name: str
    type: str = "string"  # string | boolean | integer | decimal | dateTime | reference | complex
    multi: bool = False
    required: bool = False
    case_exact: bool = False
    mutability: str = "readWrite"  # readOnly | readWrite | immutable | writeOnly
    returned: str = "default"  # always | never | default | request
    uniqueness: str = "none"
    canonical: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    sub: tuple[Attribute, ...] = ()
    description: str = ""

    def child(self, name: str) -> Attribute | None:
        return _named(self.sub, name)

    def definition(self) -> dict[str, Any]:
        """This attribute as the Schemas document describes it (RFC 7643 §7)."""
        doc = {"name": self.name, "type": self.type, "multiValued": self.multi, "description": self.description,
               "required": self.required, "caseExact": self.case_exact, "mutability": self.mutability,
               "returned": self.returned, "uniqueness": self.uniqueness}
        if self.canonical:
            doc["canonicalValues"] = list(self.canonical)
        if self.type == "reference":
            doc["referenceTypes"] = list(self.references)
        if self.sub:
            doc["subAttributes"] = [attribute.definition() for attribute in self.sub]
        return doc


@dataclass(frozen=True)
class Schema:
    id: str
    name: str
    description: str
    attributes: tuple[Attribute, ...]
    extension: bool = False  # its attributes sit in an object named by its id

    def attribute(self, name: str) -> Attribute | None:
        return _named(self.attributes, name)

    def document(self, base_url: str) -> dict[str, Any]:
        return {"schemas": [SCHEMA_SCHEMA], "id": self.id, "name": self.name, "description": self.description,
                "attributes": [attribute.definition() for attribute in self.attributes],
                "meta": {"resourceType": "Schema", "location": f"{base_url}/Schemas/{self.id}"}}


@dataclass(frozen=True)
class Target:
    """An attribute path resolved: the schema, the attribute and, for `name.givenName`, the sub-attribute."""

    schema: Schema
    attr: Attribute
    sub: Attribute | None = None

    @property
    def key(self) -> str:
        """The canonical name: `name.givenName`, or `<extension URN>:department` outside the core schema."""
        local = self.attr.name + (f".{self.sub.name}" if self.sub else "")
        return f"{self.schema.id}:{local}" if self.schema.extension else local


def resolve(schemas: Sequence[Schema], path: AttrPath, error: type[ScimError]) -> Target:
    """The attribute `path` names, in the core schema first (an unqualified name), or `error`."""
    candidates = [s for s in schemas if path.uri is None or s.id.lower() == path.uri.lower()]
    if not candidates:
        raise error(f"unknown schema {path.uri}")
    for schema in candidates:
        attr = schema.attribute(path.name)
        if attr is not None:
            break
    else:
        raise error(f"unknown attribute {path.name!r}")
    if path.sub is None:
        return Target(schema, attr)
    sub = attr.child(path.sub)
    if sub is None:
        raise error(f"{attr.name} has no sub-attribute {path.sub!r}")
    return Target(schema, attr, sub)


def read_resource(schemas: Sequence[Schema], body: Mapping[str, Any]) -> dict[str, Any]:
    """A request body with canonical names and checked values; readOnly attributes are dropped (RFC 7644
    §3.5.1: they are ignored), unknown attributes and schemas refused."""
    core, *extensions = schemas
    if not isinstance(body, Mapping):
        raise InvalidSyntax("a User is a JSON object")
    listed = next((v for k, v in body.items() if isinstance(k, str) and k.lower() == "schemas"), None) or []
    if not isinstance(listed, list) or core.id.lower() not in {str(s).lower() for s in listed}:
        raise InvalidSyntax(f"schemas must list {core.id}")
    known = {s.id.lower(): s for s in schemas}
    if unknown := [s for s in listed if not isinstance(s, str) or s.lower() not in known]:
        raise InvalidSyntax(f"unknown schemas: {unknown}")
    resource: dict[str, Any] = {"schemas": [known[s.lower()].id for s in listed]}
    for key, value in body.items():
        extension = next((s for s in extensions if s.id.lower() == str(key).lower()), None)
        if extension is not None:
            resource[extension.id] = read_attributes(extension.attributes, value)
        elif str(key).lower() != "schemas":
            resource.update(read_attributes(core.attributes, {key: value}))
    return resource


def read_attributes(attributes: Sequence[Attribute], value: Any) -> dict[str, Any]:
    """A JSON object of `attributes` with canonical names and checked values (readOnly ones dropped)."""
    if not isinstance(value, Mapping):
        raise InvalidSyntax("expected a JSON object of attributes")
    read: dict[str, Any] = {}
    for key, item in value.items():
        attr = _named(attributes, key)
        if attr is None:
            raise InvalidSyntax(f"unknown attribute {key!r}")
        if attr.mutability != "readOnly":
            read[attr.name] = checked(attr, item)
    return read


def checked(attr: Attribute, value: Any, *, single: bool = False) -> Any:
    """`value` as `attr` takes it (one item of it when `single`); InvalidValue when it cannot be that."""
    if value is None:
        return None
    if attr.multi and not single:
        if not isinstance(value, list):
            raise InvalidValue(f"{attr.name} takes a list")
        return [checked(attr, item, single=True) for item in value if item is not None]
    if attr.type == "complex":
        if not isinstance(value, Mapping) and attr.child("value") is not None and _scalar(value):
            value = {"value": value}  # `"manager": "M1"`, as Entra ID sends it
        return read_attributes(attr.sub, value)
    return _checked_scalar(attr, value)


def _checked_scalar(attr: Attribute, value: Any) -> Any:
    kind = attr.type
    if kind == "boolean" and isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"  # Entra ID has sent "False" for active
    if kind in ("integer", "decimal") and isinstance(value, str):
        value = _number(value)
    if kind == "boolean" and isinstance(value, bool):
        return value
    if kind == "integer" and isinstance(value, int | float) and not isinstance(value, bool) and value == int(value):
        return int(value)
    if kind == "decimal" and isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return value
    if kind in ("string", "reference", "dateTime", "binary") and isinstance(value, str):
        return value
    raise InvalidValue(f"{attr.name} takes a {kind}, not {type(value).__name__} {str(value)[:40]!r}")


def _number(text: str) -> Any:
    try:
        return float(text) if any(c in text for c in ".eE") else int(text)
    except ValueError:
        return text


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def _named(attributes: Sequence[Attribute], name: str) -> Attribute | None:
    lowered = name.lower() if isinstance(name, str) else None
    return next((a for a in attributes if a.name.lower() == lowered), None)
