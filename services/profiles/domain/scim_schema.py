"""SCIM schemas as data (RFC 7643 §2, §7): attributes, their definitions, and how a name resolves to one.

The same definitions answer `GET /Schemas`, resolve filter and PATCH paths, and read request bodies
(scim_reading.py), so what the Schemas document says is what the service does. Attribute names are
case-insensitive (RFC 7643 §2.1); everything here hands back the canonical spelling.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from services.profiles.domain.scim_errors import ScimError
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
        return named(self.sub, name)

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
        return named(self.attributes, name)

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


def named(attributes: Sequence[Attribute], name: str) -> Attribute | None:
    lowered = name.lower() if isinstance(name, str) else None
    return next((a for a in attributes if a.name.lower() == lowered), None)
