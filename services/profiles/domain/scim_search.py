"""Which Users a filter asks for, in the stored profile's terms: resolved fields, checked operators, clean values.

A filter names SCIM attributes; the store holds profiles. `plan` resolves each attribute (case-insensitive,
schema-qualified or not), refuses what cannot be searched or compared that way (400 invalidFilter), and
hands the adapter a tree of `Condition`s on profile fields, with `and`/`or` chains flattened so that
no part of it nests deeper than the filter's parentheses. How each kind of field is compared:

    folded  userName: stored and compared case-folded, so `eq` is one read of a unique index
    exact   ids, externalId, emails.value: compared exactly (RFC 7643 says so of ids; for an email
            address it is Tandem's choice, stated in the Schemas document, to keep `eq` an index read)
    text    names, title, department, location: compared ignoring case, never ordered
    active  employment_status: `active eq false` is a terminated person
    time    meta.created, meta.lastModified: RFC 3339 instants, ordered
    number  the Tandem grade
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from services.profiles.domain.scim_errors import InvalidFilter
from services.profiles.domain.scim_filter import Compare, Logical, Node, Not, ValuePath
from services.profiles.domain.scim_schema import resolve
from services.profiles.domain.scim_user_schema import ENTERPRISE_USER, TANDEM_USER, USER_SCHEMAS
from services.profiles.domain.scim_users import user_name_key
from shared.timeutil import parse_rfc3339, to_rfc3339

DEFAULT_COUNT, MAX_COUNT = 100, 500

SEARCHABLE = {
    "id": ("_id", "exact"), "externalId": ("scim.external_id", "exact"),
    "userName": ("scim.user_name_key", "folded"), "displayName": ("name", "text"), "title": ("title", "text"),
    "name.formatted": ("scim.name.formatted", "text"), "name.givenName": ("scim.name.givenName", "text"),
    "name.familyName": ("scim.name.familyName", "text"), "emails.value": ("email", "exact"),
    "addresses.locality": ("location", "text"), "active": ("employment_status", "active"),
    "meta.created": ("created_at", "time"), "meta.lastModified": ("updated_at", "time"),
    f"{ENTERPRISE_USER}:employeeNumber": ("scim.employee_number", "exact"),
    f"{ENTERPRISE_USER}:department": ("department", "text"),
    f"{ENTERPRISE_USER}:manager.value": ("manager_id", "exact"), f"{TANDEM_USER}:grade": ("grade", "number"),
}
_ORDERED = frozenset({"gt", "ge", "lt", "le"})
_STRING = frozenset({"eq", "ne", "co", "sw", "ew"})
OPERATORS_OF = {"folded": _STRING | _ORDERED, "exact": _STRING | _ORDERED, "text": _STRING,
                "active": frozenset({"eq", "ne"}), "time": _ORDERED | {"eq", "ne"},
                "number": _ORDERED | {"eq", "ne"}}


@dataclass(frozen=True)
class Condition:
    field: str  # of the stored profile
    kind: str  # folded | exact | text | active | time | number
    op: str  # an operator of OPERATORS_OF[kind], or "pr"
    value: Any = None


@dataclass(frozen=True)
class Junction:
    op: str  # "and" | "or"
    parts: tuple[Query, ...]


@dataclass(frozen=True)
class Negation:
    inner: Query


Query = Condition | Junction | Negation


def plan(node: Node) -> Query:
    """The store-side meaning of a parsed filter; InvalidFilter for what cannot be searched."""
    if isinstance(node, Logical):
        return Junction(node.op, tuple(plan(part) for part in _chain(node)))
    if isinstance(node, Not):
        return Negation(plan(node.inner))
    if isinstance(node, ValuePath):
        raise InvalidFilter("value filters (attribute[...]) are not supported in searches; use e.g. emails.value")
    target = resolve(USER_SCHEMAS, node.path, InvalidFilter)
    key = target.key if target.sub or not target.attr.child("value") else f"{target.key}.value"
    if key not in SEARCHABLE:
        raise InvalidFilter(f"Users cannot be searched by {key}; see SEARCHABLE in the Schemas descriptions")
    field, kind = SEARCHABLE[key]
    if not isinstance(node, Compare):
        return Condition(field, kind, "pr")
    if node.op not in OPERATORS_OF[kind]:
        raise InvalidFilter(f"{key} cannot be compared with {node.op}")
    return Condition(field, kind, node.op, _value(kind, node.value, key))


def _chain(node: Logical) -> list[Node]:
    """The operands of a run of one operator (`a and b and c`), without recursing along the run."""
    parts, pending = [], [node]
    while pending:
        current = pending.pop()
        if isinstance(current, Logical) and current.op == node.op:
            pending += [current.right, current.left]
        else:
            parts.append(current)
    return parts


def _value(kind: str, value: Any, key: str) -> Any:
    if kind == "active":
        if not isinstance(value, bool):
            raise InvalidFilter(f"{key} is compared with true or false")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidFilter(f"{key} is compared with a number")
        return value
    if not isinstance(value, str):
        raise InvalidFilter(f"{key} is compared with a string")
    if kind == "time":
        try:
            return to_rfc3339(parse_rfc3339(value))  # the stored format, so strings order as instants
        except (ValueError, OverflowError) as exc:
            raise InvalidFilter(f"{key} is compared with an RFC 3339 date-time") from exc
    return user_name_key(value) if kind == "folded" else value


def page_bounds(start_index: int | None, count: int | None) -> tuple[int, int]:
    """RFC 7644 §3.4.2.4: startIndex is 1-based (below 1 means 1); count below 0 means 0, and is capped."""
    start = 1 if start_index is None or start_index < 1 else start_index
    wanted = DEFAULT_COUNT if count is None else max(count, 0)
    return start, min(wanted, MAX_COUNT)
