"""Request bodies read against the schemas: canonical names, checked values, readOnly attributes dropped.

Lenient where identity providers are known to bend the RFC, strict everywhere else: Entra ID's "True"
and "False" strings are booleans, a bare manager id is `{"value": id}`, numbers may come as strings;
an unknown attribute or schema is a 400 invalidSyntax, a value of the wrong type a 400 invalidValue.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from services.profiles.domain.scim_errors import InvalidSyntax, InvalidValue
from services.profiles.domain.scim_schema import Attribute, Schema, named


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
        attr = named(attributes, key)
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
