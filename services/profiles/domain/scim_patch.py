"""PATCH operations (RFC 7644 §3.5.2) applied to a User's representation: add, replace and remove.

The use case renders the stored User, applies the operations here, and writes the result as a
replace, so a PATCH goes through the same mapping and validation as every other write. The forms
identity providers send all work: a `path` (`active`, `name.givenName`, an Enterprise URN attribute,
`emails[type eq "work"].value`) or none, with a value object whose keys are themselves paths
(`{"active": false}`, `{"name.givenName": "Y"}`, `{"<enterprise URN>:department": "Ops"}`).

Choices where the RFC leaves room: `remove` leaves an attribute null rather than absent (so a Tandem
extension attribute is cleared, not kept); an `add` or `replace` whose filter is a conjunction of `eq`
comparisons (`emails[type eq "work"]`) and matches nothing creates that item, as Entra ID expects
when it sets an address the person did not have; a `remove` whose filter matches nothing is noTarget.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from services.profiles.domain import scim_items
from services.profiles.domain.scim_errors import InvalidPath, InvalidSyntax, InvalidValue, Mutability, NoTarget
from services.profiles.domain.scim_filter import PatchPath, parse_path
from services.profiles.domain.scim_reading import checked
from services.profiles.domain.scim_schema import Attribute, Schema, Target, resolve
from services.profiles.domain.scim_user_schema import USER_SCHEMAS

PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
MAX_OPERATIONS = 200


@dataclass(frozen=True)
class Operation:
    op: str  # "add" | "replace" | "remove"
    path: PatchPath | None
    value: Any = None


def read_operations(body: Any) -> list[Operation]:
    """The operations of a PatchOp request body; invalidSyntax (or noTarget) when it is not one."""
    if not isinstance(body, Mapping):
        raise InvalidSyntax("a PATCH body is a PatchOp message object")
    fields = {str(key).lower(): value for key, value in body.items()}
    if not isinstance(fields.get("schemas"), list) or PATCH_OP.lower() not in map(_lower, fields["schemas"]):
        raise InvalidSyntax(f"schemas must be [{PATCH_OP!r}]")
    operations = fields.get("operations")
    if not isinstance(operations, list) or not 0 < len(operations) <= MAX_OPERATIONS:
        raise InvalidSyntax(f"Operations must be a list of 1 to {MAX_OPERATIONS} operations")
    return [_operation(item) for item in operations]


def _operation(item: Any) -> Operation:
    if not isinstance(item, Mapping):
        raise InvalidSyntax("each operation is an object with op, path and value")
    fields = {str(key).lower(): value for key, value in item.items()}
    op, path = _lower(fields.get("op")), fields.get("path")
    if op not in ("add", "replace", "remove"):
        raise InvalidSyntax(f"op must be add, replace or remove, not {str(fields.get('op'))[:40]!r}")
    if path is not None and not isinstance(path, str):
        raise InvalidPath("path must be a string")
    if op == "remove" and path is None:
        raise NoTarget("remove needs a path")
    if op != "remove" and "value" not in fields:
        raise InvalidValue(f"{op} needs a value")
    return Operation(op, parse_path(path) if path is not None else None, fields.get("value"))


def apply(user: Mapping[str, Any], operations: list[Operation]) -> dict[str, Any]:
    """The User after `operations`, in order; the input is left as it was."""
    patched = copy.deepcopy(dict(user))
    for operation in operations:
        targets = [(operation.path, operation.value)] if operation.path else _paths_in(operation.value)
        for path, value in targets:
            _apply(patched, operation.op, path, value)
    return patched


def _paths_in(value: Any) -> list[tuple[PatchPath, Any]]:
    """A path-less add or replace: each key of its value object is a path (an extension's URN holds more)."""
    if not isinstance(value, Mapping):
        raise InvalidValue("an operation without a path takes an object of attributes")
    paths = []
    for key, item in value.items():
        extension = next((s for s in USER_SCHEMAS[1:] if s.id.lower() == str(key).lower()), None)
        if extension is not None and isinstance(item, Mapping):
            paths += [(parse_path(f"{extension.id}:{sub}"), v) for sub, v in item.items()]
        elif str(key).lower() != "schemas":
            paths.append((parse_path(str(key)), item))
    return paths


def _apply(user: dict[str, Any], op: str, path: PatchPath, value: Any) -> None:
    target = resolve(USER_SCHEMAS, path.attr, InvalidPath)
    if "readOnly" in (target.attr.mutability, target.sub and target.sub.mutability):
        raise Mutability(f"{target.key} is read-only")
    holder = _holder(user, target.schema)
    if path.filter is not None:
        _apply_to_items(holder, op, target.attr, path, value)
    elif target.sub is not None:
        _apply_to_sub_attribute(holder, op, target, value)
    elif op == "remove":
        holder[target.attr.name] = None  # null, not absent: see the module docstring
    elif target.attr.multi:
        values = checked(target.attr, value if isinstance(value, list) else [value])
        kept = (holder.get(target.attr.name) or []) if op == "add" else []
        holder[target.attr.name] = kept + [v for v in values if v not in kept]
    elif target.attr.type == "complex" and value is not None:
        holder[target.attr.name] = {**(holder.get(target.attr.name) or {}), **checked(target.attr, value)}
    else:
        holder[target.attr.name] = checked(target.attr, value)


def _holder(user: dict[str, Any], schema: Schema) -> dict[str, Any]:
    """Where a schema's attributes sit: the User itself, or the object named by an extension's URN."""
    if not schema.extension:
        return user
    if not isinstance(user.get(schema.id), dict):
        user[schema.id] = {}
    return user[schema.id]


def _apply_to_sub_attribute(holder: dict[str, Any], op: str, target: Target, value: Any) -> None:
    """`name.givenName`, `<enterprise URN>:manager.value`, or `emails.value` (every item of a list)."""
    attr, sub = target.attr, target.sub
    new = None if op == "remove" else checked(sub, value)
    if not attr.multi:
        holder[attr.name] = {**(holder.get(attr.name) or {}), sub.name: new}
        return
    items = holder.get(attr.name) or ([] if op == "remove" else [{}])
    holder[attr.name] = [{**item, sub.name: new} for item in items]


def _apply_to_items(holder: dict[str, Any], op: str, attr: Attribute, path: PatchPath, value: Any) -> None:
    """`emails[type eq "work"]` (the items) or `emails[type eq "work"].value` (a sub-attribute of them)."""
    if not attr.multi or attr.type != "complex":
        raise InvalidPath(f"{attr.name} is not a multi-valued complex attribute; it takes no value filter")
    sub = attr.child(path.sub) if path.sub else None
    if path.sub and sub is None:
        raise InvalidPath(f"{attr.name} has no sub-attribute {path.sub!r}")
    items = list(holder.get(attr.name) or [])
    chosen = [i for i, item in enumerate(items) if scim_items.matches(path.filter, item, attr)]
    if not chosen:
        if op == "remove" or (seed := scim_items.seed(path.filter, attr)) is None:
            raise NoTarget(f"no {attr.name} item matches the path's filter")
        items.append(seed)
        chosen = [len(items) - 1]
    if op == "remove" and sub is None:
        holder[attr.name] = [item for i, item in enumerate(items) if i not in chosen]
        return
    for i in chosen:
        if sub is not None:
            items[i] = {**items[i], sub.name: None if op == "remove" else checked(sub, value)}
        else:  # the whole item: replace puts the value in its place, add merges it in
            items[i] = {**(items[i] if op == "add" else {}), **checked(attr, value, single=True)}
    holder[attr.name] = items


def _lower(value: Any) -> str | None:
    return value.lower() if isinstance(value, str) else None
